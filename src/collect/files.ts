// One file because it is collect's one safety boundary for reading a named file (the root-confined
// path walk, the bounded read and the failure each errno maps to), only just over the line.
//
// The one safe way collect reads a file named by a process or by the operator: resolved inside a
// given root component by component, opened without following, bounded, never blocking.
import fs from 'node:fs';
import path from 'node:path/posix';
import type { DirRead, FileContent, ReadFailure, ReadFailureReason } from './types.js';

/** Config files, kubeconfigs and certificates are small; anything bigger is not what we look for. */
export const CONFIG_MAX_BYTES = 4 * 1024 * 1024;
/** The symlink budget of the Linux path walk (MAXSYMLINKS). */
const MAX_SYMLINKS = 40;
const DIR_MAX_DEPTH = 5;
const DIR_MAX_ENTRIES = 1000;
const READ_CHUNK_BYTES = 64 * 1024;

/** Where a path is looked up: `dir` is a host path that stands for `/` of whoever named the file. */
export interface FileRoot {
  dir: string;
  /** Said in failure details, e.g. "under /mnt/img" or "in the mount namespace of pid 812". */
  description: string;
}

export interface RawFile {
  ok: true;
  path: string;
  bytes: Buffer;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
}

type Located = { ok: true; hostPath: string; stat: fs.Stats } | ReadFailure;

// The errno codes a hostile or changing filesystem produces. Anything else is a bug (or an I/O
// error the operator must see) and propagates.
const REASON_BY_ERRNO: Record<string, ReadFailureReason> = {
  ENOENT: 'missing',
  ENOTDIR: 'missing',
  EACCES: 'permission',
  EPERM: 'permission',
  ELOOP: 'loop',
  ENXIO: 'not-regular',
  ENODEV: 'not-regular',
  EISDIR: 'not-regular',
  ESRCH: 'vanished',
};

const REASON_TEXT: Record<ReadFailureReason, string> = {
  missing: 'does not exist',
  permission: 'is not readable (permission denied)',
  'not-regular': 'is not a regular file',
  'too-large': 'is larger than the read limit',
  'outside-root': 'resolves to a location outside the audited root',
  vanished: 'disappeared while it was read (the process exited)',
  'not-utf8': 'is not valid UTF-8 text',
  loop: 'has too many levels of symbolic links',
  'bad-certificate': 'holds a CERTIFICATE block that is not a readable X.509 certificate',
};

export function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The ReadFailure for a known errno, or undefined when the error must propagate. */
export function failureFromError(error: unknown, filePath: string, root: FileRoot): ReadFailure | undefined {
  const code = errnoCode(error);
  const reason = code !== undefined && Object.hasOwn(REASON_BY_ERRNO, code) ? REASON_BY_ERRNO[code] : undefined;
  return reason === undefined ? undefined : readFailure(filePath, reason, root, code);
}

export function readFailure(filePath: string, reason: ReadFailureReason, root: FileRoot, why?: string): ReadFailure {
  const because = why === undefined ? '' : ` (${why})`;
  return {
    ok: false,
    path: filePath,
    reason,
    detail: `${filePath} ${REASON_TEXT[reason]}${because}, looked up ${root.description}`,
  };
}

function hostPathOf(rootDir: string, components: readonly string[]): string {
  // One string, not a spread: a path from a hostile file may have a million components.
  return components.length === 0 ? rootDir : path.join(rootDir, components.join('/'));
}

function splitPath(p: string): string[] {
  return p.split('/').filter((c) => c !== '' && c !== '.');
}

/**
 * Resolves `requested` (absolute, as the process sees it) to a host path inside `root`, doing
 * the kernel's walk ourselves so that no symlink can lead out: absolute targets restart at the
 * root, `..` stops at it. In a fake tree `proc/<pid>/root` or an `/etc/...` link to `/` would
 * otherwise silently read the auditor's own filesystem.
 */
export function locate(root: FileRoot, requested: string, name = requested): Located {
  let resolved: string[] = [];
  let pending = splitPath(requested);
  let links = 0;
  while (pending.length > 0) {
    const component = pending.shift() as string;
    if (component === '..') {
      if (resolved.length === 0) return readFailure(name, 'outside-root', root, "'..' climbs above the root");
      resolved = resolved.slice(0, -1);
      continue;
    }
    const candidate = [...resolved, component];
    const hostPath = hostPathOf(root.dir, candidate);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(hostPath);
    } catch (error) {
      const failure = failureFromError(error, name, root);
      if (failure) return failure;
      throw error;
    }
    if (stat.isSymbolicLink()) {
      links += 1;
      if (links > MAX_SYMLINKS) return readFailure(name, 'loop', root, `more than ${MAX_SYMLINKS} symbolic links`);
      let target: string;
      try {
        target = fs.readlinkSync(hostPath);
      } catch (error) {
        const failure = failureFromError(error, name, root);
        if (failure) return failure;
        throw error;
      }
      if (target.startsWith('/')) resolved = [];
      pending = [...splitPath(target), ...pending];
      continue;
    }
    if (pending.length > 0 && !stat.isDirectory()) {
      return readFailure(name, 'missing', root, `${path.join('/', ...candidate)} is not a directory`);
    }
    resolved = candidate;
  }
  const hostPath = hostPathOf(root.dir, resolved);
  try {
    return { ok: true, hostPath, stat: fs.lstatSync(hostPath) };
  } catch (error) {
    const failure = failureFromError(error, name, root);
    if (failure) return failure;
    throw error;
  }
}

/**
 * Reads at most `maxBytes`; returns undefined when the file holds more (procfs and sysfs sizes
 * lie). A reader of mostly tiny files (proc) starts with a smaller `firstChunkBytes`.
 */
export function readBounded(fd: number, maxBytes: number, firstChunkBytes = READ_CHUNK_BYTES): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const size = total === 0 ? firstChunkBytes : READ_CHUNK_BYTES;
    const chunk = Buffer.allocUnsafe(Math.min(size, maxBytes + 1 - total));
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > maxBytes) return undefined;
  }
  return Buffer.concat(chunks, total);
}

/**
 * Opens a regular file safely. A FIFO is opened non-blocking and refused on fstat, a device or a
 * directory likewise; the size is checked before any byte is read.
 */
export function readRawFile(
  root: FileRoot,
  requested: string,
  maxBytes: number,
  name = requested,
): RawFile | ReadFailure {
  const located = locate(root, requested, name);
  if (!located.ok) return located;
  if (!located.stat.isFile()) return readFailure(name, 'not-regular', root, fileTypeName(located.stat));
  if (located.stat.size > maxBytes) {
    return readFailure(name, 'too-large', root, `${located.stat.size} bytes, limit ${maxBytes}`);
  }
  let fd: number;
  try {
    fd = fs.openSync(located.hostPath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
  } catch (error) {
    const failure = failureFromError(error, name, root);
    if (failure) return failure;
    throw error;
  }
  try {
    // The file may have been swapped between lstat and open; only what fstat says counts.
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return readFailure(name, 'not-regular', root, fileTypeName(stat));
    if (stat.size > maxBytes) return readFailure(name, 'too-large', root, `${stat.size} bytes, limit ${maxBytes}`);
    const bytes = readBounded(fd, maxBytes);
    if (bytes === undefined) return readFailure(name, 'too-large', root, `more than ${maxBytes} bytes`);
    return {
      ok: true,
      path: name,
      bytes,
      mode: stat.mode,
      uid: stat.uid,
      gid: stat.gid,
      size: stat.size,
      mtimeMs: stat.mtimeMs,
    };
  } catch (error) {
    const failure = failureFromError(error, name, root);
    if (failure) return failure;
    throw error;
  } finally {
    fs.closeSync(fd);
  }
}

function fileTypeName(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A text file with its metadata, or why it could not be read. */
export function readTextFile(
  root: FileRoot,
  requested: string,
  maxBytes = CONFIG_MAX_BYTES,
  name = requested,
): FileContent | ReadFailure {
  const raw = readRawFile(root, requested, maxBytes, name);
  if (!raw.ok) return raw;
  const content = decodeUtf8(raw.bytes);
  if (content === undefined) return readFailure(name, 'not-utf8', root);
  const { bytes: _bytes, ...meta } = raw;
  return { ...meta, content };
}

/**
 * Regular files below a directory (a kubelet `--config-dir`, a manifests directory), as sorted
 * relative paths. Symlinked files count when they resolve to a regular file inside the root;
 * symlinked directories are not entered, so a link cycle cannot make the listing endless.
 */
export function readDirListing(
  root: FileRoot,
  requested: string,
  name = requested,
): { read: DirRead; truncated: boolean } {
  const located = locate(root, requested, name);
  if (!located.ok) return { read: located, truncated: false };
  if (!located.stat.isDirectory()) {
    return {
      read: readFailure(name, 'not-regular', root, `${fileTypeName(located.stat)}, not a directory`),
      truncated: false,
    };
  }
  const entries: string[] = [];
  let truncated = false;
  const walk = (hostDir: string, relative: string, depth: number): ReadFailure | undefined => {
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(hostDir, { withFileTypes: true });
    } catch (error) {
      const failure = failureFromError(error, path.join(name, relative), root);
      if (failure) return failure;
      throw error;
    }
    for (const entry of names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entries.length >= DIR_MAX_ENTRIES) {
        truncated = true;
        return undefined;
      }
      const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isFile()) entries.push(rel);
      else if (entry.isDirectory() && depth < DIR_MAX_DEPTH) {
        const failure = walk(path.join(hostDir, entry.name), rel, depth + 1);
        // A subdirectory we may not read does not hide the files we could list: the
        // resolvers see the ones that are there. Only the top directory itself fails.
        if (failure && failure.reason !== 'permission' && failure.reason !== 'missing') return failure;
      } else if (entry.isSymbolicLink()) {
        const target = locate(root, path.join(requested, rel));
        if (target.ok && target.stat.isFile()) entries.push(rel);
      }
    }
    return undefined;
  };
  const failure = walk(located.hostPath, '', 1);
  if (failure) return { read: failure, truncated: false };
  return { read: { ok: true, path: name, entries: entries.sort() }, truncated };
}

// ---- operator files ------------------------------------------------------------------------------

/** Operator files (our config, the web config and the PEM files it names, probe credentials, the release table) are small. */
export const OPERATOR_FILE_MAX_BYTES = 1024 * 1024;

export type OperatorFileRead = { ok: true; text: string } | { ok: false; reason: string; missing: boolean };

const OPEN_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many symbolic links',
  ENOTDIR: 'a parent is not a directory',
  EISDIR: 'is a directory',
  ENXIO: 'not a regular file (a socket or a FIFO without a writer)',
  ENODEV: 'not a regular file (a device)',
};

/**
 * The one way to read a file the operator names, for every layer (config, server, probes): a
 * regular file of at most `maxBytes`, as UTF-8 text, or why not. Symbolic links are followed (a
 * Kubernetes Secret volume is links), but never into a FIFO or a device: the file is opened
 * O_NONBLOCK (opening a FIFO would wait for a writer forever, freezing start-up or a reload), the
 * opened descriptor is fstat'ed (no race with a swap), and at most `maxBytes + 1` bytes are read
 * (so /dev/zero or a growing file cannot fill memory, and a 200 MB file is refused unread).
 */
export function readOperatorFile(file: string, maxBytes = OPERATOR_FILE_MAX_BYTES): OperatorFileRead {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    const code = errnoCode(error);
    if (code !== undefined && Object.hasOwn(OPEN_PROBLEMS, code))
      return { ok: false, reason: OPEN_PROBLEMS[code]!, missing: code === 'ENOENT' };
    throw error;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: `not a regular file (${fileTypeName(stat)})`, missing: false };
    if (stat.size > maxBytes)
      return { ok: false, reason: `larger than ${maxBytes} bytes (${stat.size} bytes)`, missing: false };
    const bytes = readBounded(fd, maxBytes);
    if (bytes === undefined) return { ok: false, reason: `larger than ${maxBytes} bytes`, missing: false };
    const text = decodeUtf8(bytes);
    if (text === undefined) return { ok: false, reason: 'not valid UTF-8', missing: false };
    return { ok: true, text };
  } catch (error) {
    const code = errnoCode(error);
    if (code !== undefined && Object.hasOwn(OPEN_PROBLEMS, code))
      return { ok: false, reason: OPEN_PROBLEMS[code]!, missing: false };
    throw error;
  } finally {
    fs.closeSync(fd);
  }
}
