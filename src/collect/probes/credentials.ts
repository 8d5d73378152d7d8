// The one place a private key is read: the client certificate the etcd auth probe presents.
// The PEM texts go to node:tls and nowhere else: not into the snapshot, not into a message.
import { readOperatorFile } from '../files.js';
import type { EtcdProbeCredentialPaths } from './plan.js';
import type { ClientCredentials } from './net.js';

/** Certificates and keys are a few KiB; anything larger is not one. */
const MAX_PEM_BYTES = 256 * 1024;

export type CredentialsRead =
  | { ok: true; credentials: ClientCredentials }
  /** `missing` lets a default location (kubeadm's) be absent without complaint. */
  | { ok: false; missing: boolean; problem: string };

export function readEtcdProbeCredentials(paths: EtcdProbeCredentialPaths): CredentialsRead {
  const files: [keyof ClientCredentials, string | undefined][] = [
    ['cert', paths.certFile],
    ['key', paths.keyFile],
    ['ca', paths.caFile],
  ];
  const texts: Partial<Record<keyof ClientCredentials, string>> = {};
  for (const [name, file] of files) {
    if (file === undefined) continue;
    const read = readOperatorFile(file, MAX_PEM_BYTES);
    if (!read.ok) return { ok: false, missing: read.missing, problem: `${file} (${paths.origin}): ${read.reason}` };
    if (!/-----BEGIN [A-Z ]+-----/.test(read.text))
      return { ok: false, missing: false, problem: `${file} (${paths.origin}): not a PEM file` };
    texts[name] = read.text;
  }
  return {
    ok: true,
    credentials: { cert: texts.cert!, key: texts.key!, ...(texts.ca !== undefined && { ca: texts.ca }) },
  };
}
