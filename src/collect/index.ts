// The collect stage's one way in. Everything that touches the host is below this directory.
import { referencedFiles } from '../resolve/references.js';
import { collectSnapshot, type CollectOptions } from './host.js';
import type { HostSnapshot } from './types.js';

export { CollectError, type CollectOptions } from './host.js';
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
 * problem is recorded in the snapshot. Spawns no child process.
 */
export function collectHost(options: CollectOptions): HostSnapshot {
  return collectSnapshot({ ...options, references: options.references ?? referencedFiles });
}
