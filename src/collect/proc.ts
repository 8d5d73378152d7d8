// Reading and parsing `<proc>/<pid>/*`: which processes are Kubernetes components, and what
// the kernel says about them. Parsers take bytes or text; readers take the proc dir and a pid.
import fs from 'node:fs';
import path from 'node:path/posix';
import { COMPONENTS, type ComponentName, type ReadFailureReason } from './types.js';
import { errnoCode, locate, readBounded } from './files.js';

/** Error codes that mean "this pid is gone", never a bug. */
const PROCESS_GONE = new Set(['ENOENT', 'ESRCH']);
/** Codes a read of a proc entry may meet on a live system or a fake tree; others propagate. */
const KNOWN_CODES = new Set(['ENOENT', 'ESRCH', 'EACCES', 'EPERM', 'ELOOP', 'ENOTDIR', 'EISDIR', 'EINVAL', 'ENXIO']);
/** USER_HZ: the unit of `stat` start times; 100 on every Linux architecture Kubernetes supports. */
const CLOCK_TICKS_PER_SECOND = 100;
const FIRST_CHUNK_BYTES = 4096;

/** A proc directory, and whether it is the kernel's (statfs magic 0x9fa0) or a fake tree. */
export interface ProcTree {
  dir: string;
  real: boolean;
}

export type ProcRead<T> = { ok: true; value: T } | { ok: false; code: string };

export function isGone(code: string): boolean {
  return PROCESS_GONE.has(code);
}

function caught<T>(read: () => T): ProcRead<T> {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    const code = errnoCode(error);
    if (code !== undefined && KNOWN_CODES.has(code)) return { ok: false, code };
    throw error;
  }
}

const CODE_BY_REASON: Record<ReadFailureReason, string> = {
  missing: 'ENOENT',
  permission: 'EACCES',
  loop: 'ELOOP',
  'outside-root': 'EXDEV',
  'not-regular': 'ENOTDIR',
  vanished: 'ESRCH',
  'too-large': 'EFBIG',
  'not-utf8': 'EILSEQ',
  'bad-certificate': 'EBADMSG', // never a lookup's: the table covers every reason
};

/**
 * The host path of `<proc>/<relative>`. The kernel's links (`net` → `self/net`) are followed as
 * they are; in a fake tree the directories on the way are resolved inside the tree, so that a
 * link in a fixture cannot make collect read the auditor's own `/proc`.
 */
function entryPath(tree: ProcTree, relative: string): ProcRead<string> {
  if (tree.real) return { ok: true, value: path.join(tree.dir, relative) };
  const parent = locate({ dir: tree.dir, description: `in ${tree.dir}` }, `/${path.dirname(relative)}`);
  if (!parent.ok) return { ok: false, code: CODE_BY_REASON[parent.reason] };
  if (!parent.stat.isDirectory()) return { ok: false, code: 'ENOTDIR' };
  return { ok: true, value: path.join(parent.hostPath, path.basename(relative)) };
}

/** Opens a proc file and hands its descriptor to `read`; closes it whatever happens. */
function withProcFile<T>(tree: ProcTree, relative: string, read: (fd: number) => T): ProcRead<T> {
  const located = entryPath(tree, relative);
  if (!located.ok) return located;
  return caught(() => {
    // O_NOFOLLOW: a proc file is never a link; in a fake tree one could point anywhere.
    const fd = fs.openSync(located.value, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
    try {
      // A fake tree may hold a FIFO where the kernel has a file; the kernel's own entries are files.
      if (!tree.real && !fs.fstatSync(fd).isFile())
        throw Object.assign(new Error(`${located.value} is not a file`), { code: 'EISDIR' });
      return read(fd);
    } finally {
      fs.closeSync(fd);
    }
  });
}

/** Bounded read of a proc file (their size is 0, so read until EOF); undefined when over `maxBytes`. */
export function readProcBytes(tree: ProcTree, relative: string, maxBytes: number): ProcRead<Buffer | undefined> {
  // Most proc files are tiny: start small, then read in bigger chunks.
  return withProcFile(tree, relative, (fd) => readBounded(fd, maxBytes, FIRST_CHUNK_BYTES));
}

/**
 * The first `maxBytes` of a proc file, however long it is: enough of an oversized `cmdline` to
 * tell which component runs (argv[0], a hyperkube subcommand) when the whole cannot be read.
 */
export function readProcHead(tree: ProcTree, relative: string, maxBytes: number): ProcRead<Buffer> {
  return withProcFile(tree, relative, (fd) => {
    const buffer = Buffer.alloc(maxBytes);
    let total = 0;
    for (;;) {
      const read = fs.readSync(fd, buffer, total, maxBytes - total, null);
      if (read === 0 || total + read >= maxBytes) return buffer.subarray(0, total + read);
      total += read;
    }
  });
}

export function readProcLink(tree: ProcTree, relative: string): ProcRead<string> {
  const located = entryPath(tree, relative);
  if (!located.ok) return located;
  return caught(() => fs.readlinkSync(located.value));
}

/** Names in a proc directory (`fd`); in a fake tree the directory is resolved inside the tree. */
export function listProcDir(tree: ProcTree, relative: string): ProcRead<string[]> {
  if (tree.real) return caught(() => fs.readdirSync(path.join(tree.dir, relative)));
  const located = locate({ dir: tree.dir, description: `in ${tree.dir}` }, `/${relative}`);
  if (!located.ok) return { ok: false, code: CODE_BY_REASON[located.reason] };
  if (!located.stat.isDirectory()) return { ok: false, code: 'ENOTDIR' };
  return caught(() => fs.readdirSync(located.hostPath));
}

/** Whether `<proc>/<pid>/root` can be traversed (it needs ptrace access to the process). */
export function canEnterRoot(tree: ProcTree, pid: number): boolean {
  if (!tree.real) return false;
  const entered = caught(() => fs.statSync(path.join(tree.dir, String(pid), 'root') + '/'));
  return entered.ok && entered.value.isDirectory();
}

/**
 * Pid directories, ascending. Names only: with `withFileTypes`, Node lstat's every entry whose
 * type the filesystem leaves unknown, and a process that exited in between made the whole listing
 * fail (ENOENT, exit 3). In the kernel's proc every numeric entry is a process directory; in a
 * fake tree a pid that is a symlink is not a process, and one that vanishes is gone.
 */
export function listPids(tree: ProcTree): number[] {
  const pids: number[] = [];
  for (const name of fs.readdirSync(tree.dir)) {
    if (!/^[1-9][0-9]*$/.test(name)) continue;
    if (!tree.real) {
      const entry = caught(() => fs.lstatSync(path.join(tree.dir, name)));
      if (!entry.ok || !entry.value.isDirectory()) continue;
    }
    pids.push(Number(name));
  }
  return pids.sort((a, b) => a - b);
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');

export interface Cmdline {
  argv: string[];
  /** True when some byte was not UTF-8 and was decoded as U+FFFD. */
  replaced: boolean;
}

/** NUL-separated argv; the kernel ends it with a NUL, which is not an empty last argument. */
export function parseCmdline(bytes: Uint8Array): Cmdline {
  const argv: string[] = [];
  let replaced = false;
  let start = 0;
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 0 ? bytes.length - 1 : bytes.length;
  if (end === 0) return { argv, replaced };
  for (let i = 0; i <= end; i += 1) {
    if (i < end && bytes[i] !== 0) continue;
    const arg = bytes.subarray(start, i);
    try {
      argv.push(utf8Strict.decode(arg));
    } catch {
      argv.push(utf8Lenient.decode(arg));
      replaced = true;
    }
    start = i + 1;
  }
  return { argv, replaced };
}

/** `KEY=value` pairs of a NUL-separated environ, keeping only keys `keep` accepts. */
export function parseEnviron(bytes: Uint8Array, keep: (key: string) => boolean): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of utf8Lenient.decode(bytes).split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const key = entry.slice(0, eq);
    if (keep(key)) env[key] = entry.slice(eq + 1);
  }
  return env;
}

// A Map, not an object: argv is input, and `hyperkube constructor` must not find Object's.
const HYPERKUBE_SUBCOMMANDS = new Map<string, ComponentName>([
  ['apiserver', 'kube-apiserver'],
  ['kube-apiserver', 'kube-apiserver'],
  ['kubelet', 'kubelet'],
  ['controller-manager', 'kube-controller-manager'],
  ['kube-controller-manager', 'kube-controller-manager'],
  ['scheduler', 'kube-scheduler'],
  ['kube-scheduler', 'kube-scheduler'],
  ['proxy', 'kube-proxy'],
  ['kube-proxy', 'kube-proxy'],
]);

export interface Recognised {
  component: ComponentName;
  /** The arguments the component parses. */
  args: string[];
}

function isComponent(name: string): name is ComponentName {
  return (COMPONENTS as readonly string[]).includes(name);
}

/** The binary name of a path, without the ` (deleted)` the kernel appends to a replaced binary. */
export function binaryName(p: string): string {
  return path.basename(p.endsWith(' (deleted)') ? p.slice(0, -' (deleted)'.length) : p);
}

/**
 * Which component an argv runs, by the basename of argv[0] or else of the `exe` link target.
 * Never `comm`: it is cut to 15 characters ("kube-controller", kube-bench#328). A wrapper script
 * runs as `/bin/sh script …`, so it is not mistaken for the component it starts (kube-bench#828).
 */
export function recogniseComponent(argv: readonly string[], exe?: string): Recognised | undefined {
  const first = argv[0];
  if (first === undefined) return undefined;
  for (const name of [binaryName(first), exe === undefined ? undefined : binaryName(exe)]) {
    if (name === undefined) continue;
    if (isComponent(name)) return { component: name, args: argv.slice(1) };
    if (name === 'hyperkube') {
      const component = HYPERKUBE_SUBCOMMANDS.get(argv[1] ?? '');
      return component === undefined ? undefined : { component, args: argv.slice(2) };
    }
  }
  return undefined;
}

// The scan's prefilter: `<pid>/comm` (one tiny read) decides whether argv is read at all, so
// that a host with 10,000 processes costs about one read per process, as `ps` does. The kernel
// sets comm at exec to the basename of the file executed (before symlinks are followed), cut to
// TASK_COMM_LEN - 1 = 15 bytes (torvalds/linux:fs/exec.c begin_new_exec, __set_task_comm). That
// name is not always argv[0]'s: a component may run from a versioned file (`kubelet-1.34`) or a
// wrapper that execs it under its own name (NixOS's makeWrapper gives `.kubelet-wrapped`, cut to
// `.kubelet-wrapp`). Dropping such a process would make its checks `skip` (no component), so the
// filter keeps every comm that mentions a component family (`kube`: the Kubernetes binaries,
// hyperkube, MicroK8s's kubelite; `etcd`) or starts like a distribution that runs components
// in-process or as its children (k3s, rke2, k0s, MicroK8s's k8s-dqlite; src/collect/distribution.ts).
// The few extra processes it lets through (kube-state-metrics, etcdctl) cost one argv read each.
const COMPONENT_COMM = /kube|etcd|^k3s|^rke2|^k0s|^k8s-dqlite/;

/** Whether a process whose comm is `comm` may run a component (then its argv is read). */
export function mayRunComponent(comm: string): boolean {
  return COMPONENT_COMM.test(comm);
}

const commBuffer = Buffer.alloc(64);

/**
 * `<pid>/comm` without its newline, or undefined when it cannot be read (a fake tree without
 * comm, a process gone): the caller then reads argv as if there were no prefilter.
 */
export function readComm(tree: ProcTree, pid: number): string | undefined {
  if (!tree.real) {
    const read = readProcBytes(tree, `${pid}/comm`, commBuffer.length);
    return read.ok && read.value !== undefined ? read.value.toString('latin1').replace(/\n$/, '') : undefined;
  }
  // The kernel's comm is at most 16 bytes and comes in one read: no second read for EOF.
  const read = caught(() => {
    const fd = fs.openSync(path.join(tree.dir, String(pid), 'comm'), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      return fs.readSync(fd, commBuffer, 0, commBuffer.length, null);
    } finally {
      fs.closeSync(fd);
    }
  });
  return read.ok ? commBuffer.toString('latin1', 0, read.value).replace(/\n$/, '') : undefined;
}

/** Effective uid from `status` (`Uid: real effective saved fs`): the one file access is checked with. */
export function parseStatusUid(text: string): number | undefined {
  return parseStatusUids(text)?.effective;
}

/** Real and effective uid from `status` (`Uid: real effective saved fs`). */
export function parseStatusUids(text: string): { real: number; effective: number } | undefined {
  const match = /^Uid:\s+(\d+)\s+(\d+)/m.exec(text);
  return match ? { real: Number(match[1]), effective: Number(match[2]) } : undefined;
}

/** Field 22 of `<pid>/stat`, counted after the parenthesised comm, which may hold spaces and `)`. */
export function parseStartTicks(text: string): number | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // fields[0] is field 3 (state), so field 22 is fields[19].
  const ticks = Number(fields[19]);
  return Number.isSafeInteger(ticks) ? ticks : undefined;
}

/** `btime` of `<proc>/stat`: boot time in seconds since the epoch. */
export function parseBootTime(text: string): number | undefined {
  const match = /^btime\s+(\d+)/m.exec(text);
  return match ? Number(match[1]) : undefined;
}

export function startedAtIso(bootTimeSeconds: number, startTicks: number): string {
  return new Date(bootTimeSeconds * 1000 + (startTicks * 1000) / CLOCK_TICKS_PER_SECOND).toISOString();
}

/** Socket inodes a process holds, from `<pid>/fd/*` links `socket:[N]`. */
export function parseSocketInode(linkTarget: string): number | undefined {
  const match = /^socket:\[(\d+)\]$/.exec(linkTarget);
  return match ? Number(match[1]) : undefined;
}
