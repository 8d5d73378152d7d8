// Reading live-probe records back in a check: which records a probe left, and how they read as evidence.
import type { ProbeName, ProbeRecord } from '../../collect/types.js';
import type { Evidence } from '../../resolve/evidence.js';
import type { ResolvedHost } from '../../resolve/index.js';

/** The records of one probe, for the check that folds them in. */
export function probeRecords(host: ResolvedHost, probe: ProbeName): ProbeRecord[] {
  return (host.snapshot.probes?.records ?? []).filter((r) => r.probe === probe);
}

/** A probe record as a finding's evidence: what was asked and what came back. */
export function probeEvidence(record: ProbeRecord): Evidence {
  return { source: 'probe', detail: `${record.target}: ${record.detail}` };
}

/** The address a request probe asked, without its method (`https://127.0.0.1:10250/pods`). */
export function probeUrl(record: ProbeRecord): string {
  return record.target.replace(/^(GET|POST|gRPC) /, '');
}
