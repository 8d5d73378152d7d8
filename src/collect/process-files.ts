// The files a component process references (flag → config file → kubeconfig → certificate), read
// through the process's own mount namespace when it can be entered: certificates without their
// private keys, kubeconfigs redacted. Synchronous, as the whole collection is (see collect/host.ts).
import fs from 'node:fs';
import path from 'node:path/posix';
import { absolutePath } from '../formats/paths.js';
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
import { canEnterRoot, type ProcTree } from './proc.js';
import { redactKubeconfig } from './redact.js';
import type { DirRead, FileRead, FileRequest, ProcessInfo } from './types.js';

/** Reference chains are short (flag → config file → kubeconfig → certificate); this bounds a cycle. */
const MAX_REFERENCE_ROUNDS = 6;

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
export function markVanished(info: ProcessInfo, tree: ProcTree): void {
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
    const certificates = parseCertificates(content);
    // The component reads every block; judged on the others, a check would pass on what it never
    // saw (a CA it trusts, the leaf it presents).
    if (certificates.length < blocks.length)
      return readFailure(key, 'bad-certificate', root, `${blocks.length - certificates.length} of ${blocks.length}`);
    const { bytes: _bytes, ...meta } = file;
    return { ...meta, content, certificates };
  }
  const file = readTextFile(root, raw, CONFIG_MAX_BYTES, key);
  if (!file.ok) return file;
  const content = withoutPrivateKeys(file.content);
  return { ...file, content: kind === 'kubeconfig' ? redactKubeconfig(content) : content };
}

export function readReferencedFiles(
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

export function fileRootFor(tree: ProcTree, info: ProcessInfo, hostRoot: FileRoot): FileRoot {
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
