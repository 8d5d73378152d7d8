// Facts about who could have put a process's executable where it is: the owner and mode of the
// binary and of each directory above it. An unprivileged user can name a process anything
// (`exec -a kubelet`) and run it with any arguments, but cannot make a binary they wrote
// root-owned, nor place it under directories only root may write. Resolve weighs these facts.
import fs from 'node:fs';
import path from 'node:path/posix';
import { errnoCode, locate, type FileRoot } from './files.js';
import { canEnterRoot, type ProcRead, type ProcTree } from './proc.js';
import type { ExecutableFacts, Ownership } from './types.js';

/** Bits that let group or others write: a binary or directory with either is replaceable by non-root users. */
const GROUP_OR_OTHER_WRITABLE = 0o022;

function ownership(p: string, stat: fs.Stats): Ownership {
  return { path: p, uid: stat.uid, mode: stat.mode & 0o7777 };
}

/** Not root-owned, or writable by group or others. */
export function isWeak(owner: Ownership): boolean {
  return owner.uid !== 0 || (owner.mode & GROUP_OR_OTHER_WRITABLE) !== 0;
}

/** The kernel appends ` (deleted)` to the exe link of a binary replaced since it started. */
function withoutDeleted(target: string): string {
  return target.endsWith(' (deleted)') ? target.slice(0, -' (deleted)'.length) : target;
}

/**
 * The executable of `pid` as its `exe` link names it (`link`), judged where the process sees it:
 * on a live procfs the binary is `stat(<proc>/<pid>/exe)` (the running inode, even when replaced
 * on disk since) and its directories are looked up in the process's mount namespace
 * (`<proc>/<pid>/root`), else under the audited root; in a fake tree the link is an ordinary
 * symlink whose target is resolved under the audited root (DESIGN §2 "Fake roots"), never `/`.
 */
export function readExecutableFacts(
  tree: ProcTree,
  hostRoot: FileRoot,
  pid: number,
  link: ProcRead<string>,
): ExecutableFacts {
  const exeEntry = path.join(tree.dir, String(pid), 'exe');
  if (!link.ok) return { ok: false, detail: `${exeEntry} could not be read (${link.code})` };
  const target = withoutDeleted(link.value);
  if (!target.startsWith('/'))
    return { ok: false, path: target, detail: `${exeEntry} is not an absolute path: ${JSON.stringify(target)}` };
  const root: FileRoot =
    tree.real && canEnterRoot(tree, pid)
      ? { dir: path.join(tree.dir, String(pid), 'root'), description: `in the mount namespace of pid ${pid}` }
      : hostRoot;

  let binary: Ownership;
  if (tree.real) {
    try {
      binary = ownership(target, fs.statSync(exeEntry));
    } catch (error) {
      return {
        ok: false,
        path: target,
        detail: `${exeEntry} could not be examined (${errnoCode(error) ?? String(error)})`,
      };
    }
  } else {
    const located = locate(root, target);
    if (!located.ok) return { ok: false, path: target, detail: located.detail };
    if (!located.stat.isFile())
      return { ok: false, path: target, detail: `${target} is not a regular file, looked up ${root.description}` };
    binary = ownership(target, located.stat);
  }

  for (let dir = path.dirname(target); dir !== '/'; dir = path.dirname(dir)) {
    const located = locate(root, dir);
    if (!located.ok) return { ok: false, path: target, detail: `directory ${located.detail}` };
    const owner = ownership(dir, located.stat);
    if (isWeak(owner)) return { ok: true, binary, weakDirectory: owner };
  }
  return { ok: true, binary };
}

/**
 * Whether a non-root user could have written `file` (a config file a root process reads): the
 * file, or a directory above it, not root-owned or writable by group or others. Such a file may
 * make a verdict worse, never better (DESIGN promise 2), so its reader treats it as unread.
 */
export function weakFileOwner(
  root: FileRoot,
  file: string,
): { ok: true; weak?: Ownership } | { ok: false; detail: string } {
  // As readExecutableFacts: the root directory itself is not judged (it is the audited root).
  for (let p = path.normalize(file); p !== '/'; p = path.dirname(p)) {
    const located = locate(root, p);
    if (!located.ok) return { ok: false, detail: located.detail };
    const owner = ownership(p, located.stat);
    if (isWeak(owner)) return { ok: true, weak: owner };
  }
  return { ok: true };
}

/** `/etc/rancher/k3s/config.yaml is owned by uid 1000, not root` / `… is writable by group or others (mode 0666)`. */
export function describeWeakOwner(owner: Ownership): string {
  return owner.uid !== 0
    ? `${owner.path} is owned by uid ${owner.uid}, not root`
    : `${owner.path} is writable by group or others (mode 0${(owner.mode & 0o7777).toString(8)})`;
}
