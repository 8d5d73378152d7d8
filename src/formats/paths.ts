// Paths as a process sees them: shared by collect (what to read) and resolve (what was read).
import path from 'node:path/posix';

/** Absolute, normalised path of `p` for a process: relative paths resolve against its cwd. */
export function absolutePath(cwd: string, p: string): string {
  return path.resolve(cwd || '/', p);
}
