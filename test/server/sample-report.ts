// Hand-made reports for the daemon's tests and benchmarks (the audit engine is not needed).
import type { Status } from '../../src/checks/types.js';
import type { Report, ReportCheck } from '../../src/report/types.js';

export function sampleCheck(id: string, status: Status, overrides: Partial<ReportCheck> = {}): ReportCheck {
  return {
    id,
    title: `Title of ${id}`,
    level: 'MUST',
    component: 'kubelet',
    status,
    message: `${id} is ${status}`,
    evidence: [{ source: 'flag', detail: `--${id}=true` }],
    remediation: `Set --${id}=false on the kubelet.`,
    ...overrides,
  };
}

/** A report whose summary agrees with its checks (compliant unless a MUST check fails or errs). */
export function sampleReport(checks: ReportCheck[] = [sampleCheck('kubelet-anonymous-auth', 'pass')], overrides: Partial<Report> = {}): Report {
  const summary = { pass: 0, fail: 0, skip: 0, unknown: 0, error: 0, compliant: true, waived: 0 };
  for (const check of checks) {
    summary[check.status] += 1;
    if (check.level === 'MUST' && (check.status === 'fail' || check.status === 'error')) summary.compliant = false;
  }
  return {
    schemaVersion: 1,
    tool: { name: 'scs-node-audit', version: '0.1.0' },
    standard: { id: 'scs-0217', version: 'v1' },
    host: { hostname: 'cp-1', roles: ['control-plane'], distribution: { name: 'kubeadm', version: null } },
    startedAt: '2026-11-29T10:00:00.000Z',
    durationMs: 12.5,
    components: [{ name: 'kubelet', pid: 812, version: 'v1.33.2', source: 'process', origin: 'pid 812' }],
    checks,
    notes: [],
    summary,
    ...overrides,
  };
}
