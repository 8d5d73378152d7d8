// A real process that passes scs-node-audit's identity rules (src/resolve/identity.ts) needs an
// executable named after its component, root-owned, in root-owned directories nobody else may
// write. This Node.js binary, hard-linked (or copied) under such a name, is one: started as root
// it stands for a genuine component; started as `nobody` it is the genuine binary misused.
import { chmodSync, copyFileSync, linkSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';

/** Root-owned, not writable by group or others, and not under /tmp (world-writable). */
const PARENT = '/var/lib';
let dir: string | undefined;

/** The path of this Node.js binary under the name `component`, e.g. `/var/lib/scs-node-audit-test-XXXX/bin/kubelet`. */
export function componentBinary(component: string): string {
  if (dir === undefined) {
    const created = mkdtempSync(path.join(PARENT, 'scs-node-audit-test-'));
    dir = created;
    // Traversable by the unprivileged users some tests start processes as.
    chmodSync(created, 0o755);
    mkdirSync(path.join(created, 'bin'), { mode: 0o755 });
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
  }
  const file = path.join(dir, 'bin', component);
  try {
    linkSync(process.execPath, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return file;
    // Another filesystem: a copy is as good, only slower.
    if (code !== 'EXDEV') throw error;
    copyFileSync(process.execPath, file);
    chmodSync(file, 0o755);
  }
  return file;
}
