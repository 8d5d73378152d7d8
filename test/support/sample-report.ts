// Hand-made reports for the renderers, the daemon and the benchmarks: no collect, no resolve; the
// summary is the real one (src/report/summary.ts), so it always agrees with the checks.
import type { Status } from '../../src/checks/types.js';
import { summarize } from '../../src/report/summary.js';
import type { Report, ReportCheck } from '../../src/report/types.js';

export function reportCheck(fields: Partial<ReportCheck> & { id: string; status: Status }): ReportCheck {
  return {
    title: `title of ${fields.id}`,
    level: 'MUST',
    component: 'kubelet',
    message: `message of ${fields.id}`,
    evidence: [],
    remediation: `remediation of ${fields.id}`,
    ...fields,
  };
}

/** Shorthand for `reportCheck` with the id and status first. */
export function sampleCheck(id: string, status: Status, overrides: Partial<ReportCheck> = {}): ReportCheck {
  return reportCheck({ id, status, ...overrides });
}

export function sampleReport(
  checks: ReportCheck[] = [sampleCheck('kubelet-anonymous-auth', 'pass')],
  overrides: Partial<Report> = {},
): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'scs-node-audit', version: '0.1.0' },
    standard: { id: 'scs-0217', version: 'v1' },
    host: { hostname: 'cp-1', roles: ['control-plane', 'etcd'], distribution: { name: 'kubeadm', version: null } },
    startedAt: '2026-11-29T10:00:00.000Z',
    durationMs: 12.3,
    components: [
      { name: 'kube-apiserver', pid: 812, version: 'v1.36.2', source: 'process', origin: 'pid 812' },
      {
        name: 'etcd',
        pid: 700,
        version: null,
        source: 'static-pod-manifest',
        origin: 'static pod manifest /etc/kubernetes/manifests/etcd.yaml',
      },
    ],
    checks,
    notes: [],
    summary: summarize(checks, { kubernetes: true, notJudged: 0 }),
    ...overrides,
  };
}

/** One check of every status, spread over the four report groups. */
/** The JSON report's top-level keys, in the order DESIGN §4 (and the README's additions) give them. */
export const REPORT_KEYS = [
  'schemaVersion',
  'tool',
  'standard',
  'host',
  'startedAt',
  'durationMs',
  'components',
  'checks',
  'notes',
  'summary',
  'waivers',
  'selection',
  'releaseTable',
];

export const MIXED_CHECKS: ReportCheck[] = [
  reportCheck({
    id: 'kubelet-anonymous-auth',
    component: 'kubelet',
    status: 'fail',
    message: 'anonymous requests are allowed',
    evidence: [
      { source: 'config-file', detail: '/var/lib/kubelet/config.yaml: authentication.anonymous.enabled=true' },
    ],
    remediation: 'set authentication.anonymous.enabled: false in /var/lib/kubelet/config.yaml',
  }),
  reportCheck({
    id: 'etcd-client-tls',
    component: 'etcd',
    status: 'pass',
    evidence: [{ source: 'flag', detail: '--cert-file=/etc/etcd/server.crt' }],
  }),
  reportCheck({ id: 'apiserver-authz-rbac', component: 'kube-apiserver', level: 'RECOMMENDED', status: 'skip' }),
  reportCheck({
    id: 'network-exposure',
    component: 'node',
    status: 'unknown',
    message: 'listeners beyond loopback: 0.0.0.0:10250',
  }),
  reportCheck({
    id: 'kubelet-client-authn',
    component: 'kubelet',
    level: 'OPTIONAL',
    status: 'error',
    message: 'the check itself failed: boom',
  }),
];
