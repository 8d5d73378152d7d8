// The collect stage's one way in. Everything that touches the host is below this directory.
import { collectSnapshot, type CollectOptions } from './host.js';
import type { HostSnapshot } from './types.js';

export { type CollectOptions } from './host.js';
export { CollectError } from './process-scan.js';
export { parseCertificates } from './certs.js';
export { parseProcNetTcp } from './sockets.js';
export { parseFibTrie, parseIfInet6 } from './addresses.js';
export { parseDpkgStatus } from './packages.js';
export { parseCmdline, recogniseComponent } from './proc.js';
export { parseStaticPodManifest } from './manifests.js';
export { redactKubeconfig } from './redact.js';

/**
 * Reads everything the checks need from `<proc>` (default `<root>/proc`) and `<root>`, once.
 * Throws CollectError (code PROC_UNREADABLE) when `<proc>` cannot be listed; every other
 * problem is recorded in the snapshot. Spawns no child process. `references` says which files a
 * process names; it is resolve's knowledge (`src/resolve/references.ts`), passed in by the audit
 * so that collect imports nothing from a later stage.
 */
export function collectHost(options: CollectOptions & Required<Pick<CollectOptions, 'references'>>): HostSnapshot {
  return collectSnapshot(options);
}
