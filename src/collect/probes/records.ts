// A probe's outcome as a ProbeRecord (what the report shows of it), shared by the probe runner
// (probes/run.ts) and the etcd authentication probe (probes/etcd-auth.ts).
import type { EtcdAuthProbe, ProbeRecord } from '../types.js';
import type { PlannedProbe } from './plan.js';

export type Outcome = { record: ProbeRecord; etcd?: EtcdAuthProbe };

export function record(
  probe: PlannedProbe,
  outcome: ProbeRecord['outcome'],
  detail: string,
  extra: Partial<ProbeRecord> = {},
): ProbeRecord {
  return {
    probe: probe.probe,
    component: probe.component,
    pid: probe.pid,
    target: targetOf(probe),
    listener: probe.listener,
    outcome,
    detail,
    ...extra,
  };
}

export function targetOf(probe: PlannedProbe): string {
  switch (probe.kind) {
    case 'handshake':
      return `TLS handshake ${probe.host.includes(':') ? `[${probe.host}]` : probe.host}:${probe.port}`;
    case 'http':
      return `GET ${probe.url}`;
    case 'etcd-auth':
      return `POST ${probe.baseUrl}/v3/auth/status`;
  }
}

export function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
