// Evidence is what resolve produces beside each resolved fact: where it came from and what it said.
// Checks carry it into findings unchanged, so the type belongs to the producer (resolve).

/** Where a fact came from; `detail` names the flag, file and key, never a secret. */
export type EvidenceSource =
  | 'flag'
  | 'config-file'
  | 'drop-in'
  | 'env'
  | 'default'
  | 'static-pod-manifest'
  | 'systemd-unit'
  | 'distribution'
  | 'process'
  | 'socket'
  | 'certificate'
  | 'package'
  | 'probe'
  | 'release-table'
  | 'config';

export interface Evidence {
  source: EvidenceSource;
  detail: string;
}
