// Collects the HostSnapshot: one synchronous pass over `<proc>` and `<root>`, no child process.
// Synchronous reads: /proc's files are tiny and in memory, and every fs.promises call is a round
// trip through libuv's thread pool (https://nodejs.org/api/fs.html#promises-api), which made an
// asynchronous pass 4-5x slower when measured. The per-process reads are in collect/process-scan.ts
// (which processes, what the kernel says of each) and collect/process-files.ts (the files they
// reference); this file assembles the host: listeners, addresses, packages, hostname.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path/posix';
import { parseFibTrie, parseIfInet6 } from './addresses.js';
import { readFailure, readRawFile, readTextFile, type FileRoot } from './files.js';
import { detectDistributions, detectPlatform } from './distribution.js';
import { readManifests } from './manifests.js';
import { DPKG_STATUS_MAX_BYTES, dpkgStanzasOfInterest, parseDpkgStatus } from './packages.js';
import { fileRootFor, markVanished, readReferencedFiles } from './process-files.js';
import { readProcText, scanProcesses } from './process-scan.js';
import { gatherComponents } from './sources/index.js';
import { isGone, listProcDir, parseSocketInode, readProcBytes, readProcLink, type ProcTree } from './proc.js';
import { parseProcNetTcp, type ByteOrder } from './sockets.js';
import type { FileRequest, HostSnapshot, Listener, ProcessInfo, ReadFailure } from './types.js';

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

const PROCFS_MAGIC = 0x9fa0;
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
