// Collects the HostSnapshot: one synchronous pass over `<proc>` and `<root>`, no child process.
// Synchronous reads: /proc's files are tiny and in memory, and every fs.promises call is a round
// trip through libuv's thread pool (https://nodejs.org/api/fs.html#promises-api), which made an
// asynchronous pass 4-5x slower when measured.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path/posix';
import { absolutePath } from '../formats/paths.js';
import { parseFibTrie, parseIfInet6 } from './addresses.js';
import { certificateBlocks, parseCertificates, withoutPrivateKeys } from './certs.js';
import {
  CONFIG_MAX_BYTES,
  decodeUtf8,
  readDirListing,
  readFailure,
  readRawFile,
  readTextFile,
  type FileRoot,
} from './files.js';
import { detectDistributions, detectPlatform, distributionProcess, type DistributionProcess } from './distribution.js';
import { readExecutableFacts } from './identity.js';
import { readManifests } from './manifests.js';
import { DPKG_STATUS_MAX_BYTES, dpkgStanzasOfInterest, parseDpkgStatus } from './packages.js';
import { gatherComponents } from './sources/index.js';
import {
  binaryName,
  canEnterRoot,
  isGone,
  listPids,
  listProcDir,
  mayRunComponent,
  parseBootTime,
  parseCmdline,
  parseEnviron,
  parseSocketInode,
  parseStartTicks,
  parseStatusUids,
  readComm,
  readProcBytes,
  readProcHead,
  readProcLink,
  recogniseComponent,
  startedAtIso,
  type ProcRead,
  type ProcTree,
} from './proc.js';
import { redactKubeconfig } from './redact.js';
import { parseProcNetTcp, type ByteOrder } from './sockets.js';
import type { DirRead, FileRead, FileRequest, HostSnapshot, Listener, ProcessInfo, ReadFailure } from './types.js';

export interface CollectOptions {
  root: string;
  /** Defaults to `<root>/proc`. */
  proc?: string;
  /** Overrides what the host says its name is. */
  hostname?: string;
  now?: Date;
  /** The files a process references (the resolvers' `referencedFiles`, passed in by the audit). */
  references?: (proc: ProcessInfo) => FileRequest[];
}

/** `<proc>` could not be listed: the audit cannot run (the CLI exits 3). */
export class CollectError extends Error {
  readonly code = 'PROC_UNREADABLE';
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot list the process directory ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'CollectError';
  }
}

const PROCFS_MAGIC = 0x9fa0;
/** Reference chains are short (flag → config file → kubeconfig → certificate); this bounds a cycle. */
const MAX_REFERENCE_ROUNDS = 6;
const CMDLINE_MAX_BYTES = 4 * 1024 * 1024;
const SMALL_PROC_FILE_MAX_BYTES = 1024 * 1024;
/** A node with 100k sockets has a net/tcp of ~15 MB. */
const NET_TABLE_MAX_BYTES = 64 * 1024 * 1024;

function isRealProcfs(dir: string): boolean {
  try {
    return fs.statfsSync(dir).type === PROCFS_MAGIC;
  } catch {
    // Whatever keeps statfs from answering, listing the directory will report it properly.
    return false;
  }
}

function rootDescription(root: string): string {
  return root === '/' ? 'on this host' : `under ${root}`;
}

interface ProcessScan {
  processes: ProcessInfo[];
  examined: number;
  unreadable: number;
  /** The distributions' own processes (k3s server, kubelite, k0s controller, …). */
  distributions: Array<{ pid: number; argv: string[]; found: DistributionProcess; uid?: number }>;
}

function scanProcesses(tree: ProcTree, hostRoot: FileRoot): ProcessScan {
  let pids: number[];
  try {
    pids = listPids(tree);
  } catch (error) {
    throw new CollectError(tree.dir, error);
  }
  const bootTime = readProcText(tree, 'stat', SMALL_PROC_FILE_MAX_BYTES);
  const btime = bootTime.ok ? parseBootTime(bootTime.value) : undefined;
  const scan: ProcessScan = { processes: [], examined: 0, unreadable: 0, distributions: [] };
  for (const pid of pids) {
    const comm = readComm(tree, pid);
    if (comm !== undefined && !mayRunComponent(comm)) {
      scan.examined += 1;
      continue;
    }
    const cmdline = readCommandLine(tree, pid);
    if (!cmdline.ok) {
      if (!isGone(cmdline.code)) scan.unreadable += 1;
      continue;
    }
    scan.examined += 1;
    const { argv, replaced } = parseCmdline(cmdline.value.bytes);
    // Kernel threads (and zombies) have an empty cmdline.
    if (argv.length === 0) continue;
    const exeLink = readProcLink(tree, `${pid}/exe`);
    const exe = exeLink.ok ? exeLink.value : undefined;
    const recognised = recogniseComponent(argv, exe);
    if (!recognised) {
      const found = distributionProcess(argv, exe);
      if (found !== undefined) {
        const status = readProcText(tree, `${pid}/status`, SMALL_PROC_FILE_MAX_BYTES);
        const uid = status.ok ? parseStatusUids(status.value)?.effective : undefined;
        scan.distributions.push({ pid, argv, found, ...(uid !== undefined && { uid }) });
      } else if (cmdline.value.incomplete !== undefined) scan.unreadable += 1;
      continue;
    }
    const info = describeProcess(tree, pid, btime, {
      pid,
      component: recognised.component,
      source: 'process',
      // Only a head of an oversized command line was read: its last argument may be cut, so none is parsed.
      argv: cmdline.value.incomplete === undefined ? argv : argv.slice(0, 1),
      args: cmdline.value.incomplete === undefined ? recognised.args : [],
      env: {},
      cwd: '/',
      ...(exe !== undefined && { exe: binaryName(exe) }),
      executable: readExecutableFacts(tree, hostRoot, pid, exeLink),
      ...(cmdline.value.incomplete !== undefined && { incomplete: cmdline.value.incomplete }),
      files: {},
      dirs: {},
      warnings: replaced ? [`pid ${pid}: the command line is not valid UTF-8; invalid bytes were read as U+FFFD`] : [],
    });
    if (info) scan.processes.push(info);
  }
  return scan;
}

const lenientUtf8 = new TextDecoder();

/** Enough of an oversized command line to recognise the component: argv[0] and a subcommand. */
const CMDLINE_HEAD_BYTES = 64 * 1024;

/**
 * `<pid>/cmdline` whole, or, when it is larger than the read limit, its head and why it is
 * incomplete: a component whose command line cannot be read whole still runs, and must be
 * judged `unknown`, not skipped (and so replaced by its static pod manifest).
 */
function readCommandLine(tree: ProcTree, pid: number): ProcRead<{ bytes: Uint8Array; incomplete?: string }> {
  const whole = readProcBytes(tree, `${pid}/cmdline`, CMDLINE_MAX_BYTES);
  if (!whole.ok) return whole;
  if (whole.value !== undefined) return { ok: true, value: { bytes: whole.value } };
  const head = readProcHead(tree, `${pid}/cmdline`, CMDLINE_HEAD_BYTES);
  if (!head.ok) return head;
  const limit = `${CMDLINE_MAX_BYTES / (1024 * 1024)} MiB`;
  return {
    ok: true,
    value: {
      bytes: head.value,
      incomplete: `its command line (${tree.dir}/${pid}/cmdline) is larger than the ${limit} read limit, so its flags could not be read`,
    },
  };
}

function readProcText(tree: ProcTree, relative: string, maxBytes: number): ProcRead<string> {
  const read = readProcBytes(tree, relative, maxBytes);
  if (!read.ok) return read;
  if (read.value === undefined) return { ok: false, code: 'EFBIG' };
  return { ok: true, value: lenientUtf8.decode(read.value) };
}

/** Adds what the kernel says about a component process; undefined when it exited meanwhile. */
function describeProcess(
  tree: ProcTree,
  pid: number,
  btime: number | undefined,
  info: ProcessInfo,
): ProcessInfo | undefined {
  const status = readProcText(tree, `${pid}/status`, SMALL_PROC_FILE_MAX_BYTES);
  const uids = status.ok ? parseStatusUids(status.value) : undefined;
  if (uids !== undefined) {
    info.uid = uids.effective;
    info.realUid = uids.real;
  }
  const stat = readProcText(tree, `${pid}/stat`, SMALL_PROC_FILE_MAX_BYTES);
  const ticks = stat.ok ? parseStartTicks(stat.value) : undefined;
  if (ticks !== undefined && btime !== undefined) info.startedAt = startedAtIso(btime, ticks);

  const cwd = readProcLink(tree, `${pid}/cwd`);
  const cwdPath = cwd.ok ? cwd.value.replace(/ \(deleted\)$/, '') : undefined;
  if (cwdPath !== undefined && cwdPath.startsWith('/')) info.cwd = cwdPath;
  else {
    const why = cwd.ok ? `not an absolute path: ${JSON.stringify(cwd.value)}` : cwd.code;
    info.warnings.push(
      `pid ${pid}: the working directory could not be read (${why}); relative paths were resolved against /`,
    );
  }

  if (info.component === 'etcd') {
    const environ = readProcBytes(tree, `${pid}/environ`, CMDLINE_MAX_BYTES);
    if (environ.ok && environ.value !== undefined) {
      // etcd reads every flag from ETCD_<FLAG> too; nothing else of the environment is kept.
      info.env = parseEnviron(environ.value, (key) => key.startsWith('ETCD_'));
    } else {
      const why = environ.ok ? 'too large' : environ.code;
      info.environUnreadable = why;
      info.warnings.push(`pid ${pid}: the environment could not be read (${why}); ETCD_* variables are unknown`);
    }
  }

  // A process that exited while we looked is not audited: its files are no longer its own.
  const still = readProcBytes(tree, `${pid}/cmdline`, CMDLINE_MAX_BYTES);
  if (!still.ok && isGone(still.code)) return undefined;
  return info;
}

/** Reads one referenced file or directory into the process record. */
function readRequest(info: ProcessInfo, root: FileRoot, request: FileRequest): string | undefined {
  const key = absolutePath(info.cwd, request.path);
  // Walk the path as written: `a/link/../b` is not `a/b` when `link` is a symlink.
  const raw = request.path.startsWith('/') ? request.path : `${info.cwd}/${request.path}`;
  if (request.kind === 'dir') {
    const { read, truncated } = readDirListing(root, raw, key);
    info.dirs[key] = read;
    return truncated ? `${key}: the directory listing was cut at 1000 files` : undefined;
  }
  info.files[key] = readFile(root, raw, key, request.kind);
  return undefined;
}

/** Through `<proc>/<pid>/root`, a file of an exited process is not missing: the process is gone. */
function markVanished(info: ProcessInfo, tree: ProcTree): void {
  if (!tree.real || info.source !== 'process' || fs.existsSync(path.join(tree.dir, String(info.pid)))) return;
  const tables: Record<string, FileRead | DirRead>[] = [info.files, info.dirs];
  for (const reads of tables) {
    for (const [key, read] of Object.entries(reads)) {
      if (!read.ok && read.reason === 'missing') {
        reads[key] = {
          ...read,
          reason: 'vanished',
          detail: `${key} could not be read: process ${info.pid} exited during the audit.`,
        };
      }
    }
  }
}

export function readFile(
  root: FileRoot,
  raw: string,
  key: string,
  kind: Exclude<FileRequest['kind'], 'dir'>,
): FileRead {
  if (kind === 'certificate') {
    const file = readRawFile(root, raw, CONFIG_MAX_BYTES, key);
    if (!file.ok) return file;
    const text = decodeUtf8(file.bytes);
    // The private key next to the certificate (kubelet-client-current.pem) must not outlive this call.
    file.bytes.fill(0);
    if (text === undefined) return readFailure(key, 'not-utf8', root);
    const blocks = certificateBlocks(text);
    const content = blocks.length === 0 ? '' : `${blocks.join('\n')}\n`;
    const { bytes: _bytes, ...meta } = file;
    return { ...meta, content, certificates: parseCertificates(content) };
  }
  const file = readTextFile(root, raw, CONFIG_MAX_BYTES, key);
  if (!file.ok) return file;
  const content = withoutPrivateKeys(file.content);
  return { ...file, content: kind === 'kubeconfig' ? redactKubeconfig(content) : content };
}

function readReferencedFiles(
  info: ProcessInfo,
  root: FileRoot,
  references: (proc: ProcessInfo) => FileRequest[],
): void {
  for (let round = 0; round < MAX_REFERENCE_ROUNDS; round += 1) {
    const fresh = new Map<string, FileRequest>();
    for (const request of references(info)) {
      const key = absolutePath(info.cwd, request.path);
      const known = request.kind === 'dir' ? key in info.dirs : key in info.files;
      if (!known && !fresh.has(`${request.kind === 'dir'}:${key}`))
        fresh.set(`${request.kind === 'dir'}:${key}`, request);
    }
    if (fresh.size === 0) return;
    for (const request of fresh.values()) {
      const warning = readRequest(info, root, request);
      if (warning !== undefined) info.warnings.push(warning);
    }
  }
  const left = references(info).filter(
    (r) => !(absolutePath(info.cwd, r.path) in (r.kind === 'dir' ? info.dirs : info.files)),
  );
  if (left.length > 0) {
    info.warnings.push(
      `stopped following file references after ${MAX_REFERENCE_ROUNDS} rounds; not read: ${left.map((r) => r.path).join(', ')}`,
    );
  }
}

function fileRootFor(tree: ProcTree, info: ProcessInfo, hostRoot: FileRoot): FileRoot {
  if (info.source !== 'process' || !tree.real) return hostRoot;
  if (canEnterRoot(tree, info.pid)) {
    const dir = path.join(tree.dir, String(info.pid), 'root');
    return { dir, description: `in the mount namespace of pid ${info.pid} (${dir})` };
  }
  info.warnings.push(
    `pid ${info.pid}: ${tree.dir}/${info.pid}/root is not accessible, so files were read ${hostRoot.description}; in a container they may differ`,
  );
  return hostRoot;
}

/** A component with a live pid: its own process, or the distribution process it runs inside. */
function runsAsProcess(info: ProcessInfo): boolean {
  return (info.source === 'process' || info.source === 'distribution') && info.pid > 0;
}

/** Net dirs of the component processes' network namespaces, each once; else `<proc>/net`. */
function netDirs(tree: ProcTree, processes: ProcessInfo[]): string[] {
  const dirs = new Map<string, string>();
  for (const info of processes) {
    if (!runsAsProcess(info)) continue;
    // A zero budget reads at most one byte: this only asks whether the table is there.
    const tcp = readProcBytes(tree, `${info.pid}/net/tcp`, 0);
    if (!tcp.ok) continue;
    const namespace = readProcLink(tree, `${info.pid}/ns/net`);
    const key = namespace.ok ? namespace.value : `${info.pid}`;
    if (!dirs.has(key)) dirs.set(key, `${info.pid}/net`);
  }
  return dirs.size > 0 ? [...dirs.values()] : ['net'];
}

function procFailure(tree: ProcTree, relative: string, code: string): ReadFailure {
  const file = path.join(tree.dir, relative);
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission'
      : code === 'EFBIG'
        ? 'too-large'
        : code === 'ESRCH'
          ? 'vanished'
          : 'missing';
  return readFailure(file, reason, { dir: tree.dir, description: `in ${tree.dir}` }, code);
}

function collectListeners(tree: ProcTree, dirs: string[], processes: ProcessInfo[]): Listener[] | ReadFailure {
  const byteOrder: ByteOrder = tree.real && os.endianness() === 'BE' ? 'BE' : 'LE';
  const byInode = new Map<number, Listener>();
  for (const dir of dirs) {
    for (const transport of ['tcp', 'tcp6'] as const) {
      const relative = `${dir}/${transport}`;
      const text = readProcText(tree, relative, NET_TABLE_MAX_BYTES);
      if (!text.ok) {
        // No tcp6 table means IPv6 is off; a missing IPv4 table means we know nothing.
        if (transport === 'tcp6' && text.code === 'ENOENT') continue;
        return procFailure(tree, relative, text.code);
      }
      for (const listener of parseProcNetTcp(text.value, transport, byteOrder)) {
        if (!byInode.has(listener.inode)) byInode.set(listener.inode, listener);
      }
    }
  }
  const owner = socketOwners(tree, processes);
  return [...byInode.values()].map((listener) => {
    const pid = owner.get(listener.inode);
    return pid === undefined ? listener : { ...listener, pid };
  });
}

/**
 * Socket inode → pid, for component processes only (reading every process's fds is costly and not
 * needed). A distribution's process that runs several components (k3s, kubelite) is read once;
 * resolve tells its ports apart by each component's configured port.
 */
function socketOwners(tree: ProcTree, processes: ProcessInfo[]): Map<number, number> {
  const owner = new Map<number, number>();
  const read = new Set<number>();
  for (const info of processes) {
    if (!runsAsProcess(info) || read.has(info.pid)) continue;
    read.add(info.pid);
    const fds = listProcDir(tree, `${info.pid}/fd`);
    if (!fds.ok) {
      if (!isGone(fds.code))
        info.warnings.push(
          `pid ${info.pid}: open files could not be listed (${fds.code}); its listening sockets are not attributed to it`,
        );
      continue;
    }
    for (const fd of fds.value) {
      const link = readProcLink(tree, `${info.pid}/fd/${fd}`);
      const inode = link.ok ? parseSocketInode(link.value) : undefined;
      if (inode !== undefined && !owner.has(inode)) owner.set(inode, info.pid);
    }
  }
  return owner;
}

function collectAddresses(tree: ProcTree, dir: string, notes: string[]): string[] {
  const addresses: string[] = [];
  const ipv4 = readProcText(tree, `${dir}/fib_trie`, NET_TABLE_MAX_BYTES);
  if (ipv4.ok) for (const address of parseFibTrie(ipv4.value)) addresses.push(address);
  else
    notes.push(
      `${path.join(tree.dir, dir, 'fib_trie')} could not be read (${ipv4.code}): the host's IPv4 addresses are unknown`,
    );
  const ipv6 = readProcText(tree, `${dir}/if_inet6`, NET_TABLE_MAX_BYTES);
  // No if_inet6 means IPv6 is disabled: no IPv6 address, nothing unknown.
  if (ipv6.ok) for (const address of parseIfInet6(ipv6.value)) addresses.push(address);
  else if (ipv6.code !== 'ENOENT')
    notes.push(
      `${path.join(tree.dir, dir, 'if_inet6')} could not be read (${ipv6.code}): the host's IPv6 addresses are unknown`,
    );
  return addresses;
}

function collectPackages(hostRoot: FileRoot): Record<string, string> {
  const status = readRawFile(hostRoot, '/var/lib/dpkg/status', DPKG_STATUS_MAX_BYTES);
  return status.ok ? parseDpkgStatus(dpkgStanzasOfInterest(status.bytes).join('\n\n')) : {};
}

function collectHostname(tree: ProcTree, root: string, hostRoot: FileRoot): string {
  const kernel = readProcText(tree, 'sys/kernel/hostname', 4096);
  if (kernel.ok && kernel.value.trim() !== '') return kernel.value.trim();
  const file = readTextFile(hostRoot, '/etc/hostname', 4096);
  const fromFile = file.ok ? (file.content.split('\n')[0] ?? '').trim() : '';
  if (fromFile !== '') return fromFile;
  // os.hostname() is the auditor's own name: right only when the audited root is this host.
  return root === '/' ? os.hostname() : 'unknown';
}

export function collectSnapshot(
  options: CollectOptions & { references: (proc: ProcessInfo) => FileRequest[] },
): HostSnapshot {
  const root = path.resolve(options.root);
  const procDir = path.resolve(options.proc ?? path.join(root, 'proc'));
  const collectedAt = (options.now ?? new Date()).toISOString();
  const tree: ProcTree = { dir: procDir, real: isRealProcfs(procDir) };
  const hostRoot: FileRoot = { dir: root, description: rootDescription(root) };
  const notes: string[] = [];

  const scan = scanProcesses(tree, hostRoot);
  const manifests = readManifests(hostRoot);
  const distributions = detectDistributions(hostRoot, scan.distributions);
  const platform = detectPlatform(hostRoot);
  const processes = gatherComponents({
    tree,
    root: hostRoot,
    scanned: scan.processes,
    manifests,
    distributions,
    notes,
  });

  for (const info of processes) {
    readReferencedFiles(info, fileRootFor(tree, info, hostRoot), options.references);
    markVanished(info, tree);
  }

  const dirs = netDirs(tree, processes);
  const listeners = collectListeners(tree, dirs, processes);
  const addresses = collectAddresses(tree, dirs[0] ?? 'net', notes);

  if (processes.length === 0 && distributions.length === 0) {
    const unreadable = scan.unreadable > 0 ? `; ${scan.unreadable} more could not be read` : '';
    notes.push(
      `not a Kubernetes node: no Kubernetes component or distribution found among ${scan.examined} processes in ${procDir}${unreadable}`,
    );
  }

  return {
    hostname: options.hostname ?? collectHostname(tree, root, hostRoot),
    root,
    proc: procDir,
    realProc: tree.real,
    collectedAt,
    processes,
    listeners,
    addresses,
    packages: collectPackages(hostRoot),
    manifests: manifests.map((m) => m.manifest),
    distributions,
    ...(platform !== undefined && { platform }),
    notes,
  };
}
