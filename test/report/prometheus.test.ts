import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { registerAuditMetrics, renderPrometheus } from '../../src/report/prometheus.js';
import { promtoolCheckMetrics } from '../server/promtool.js';
import { sampleCheck, sampleReport } from '../support/sample-report.js';

function sampleLines(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

const failingReport = sampleReport([
  sampleCheck('kubelet-anonymous-auth', 'fail'),
  sampleCheck('kubelet-read-only-port', 'pass', { level: 'SHOULD' }),
  sampleCheck('etcd-client-tls', 'skip', { component: 'etcd' }),
]);

test('check_status is a state set: five series per check, 1 only for the current status', async () => {
  const text = await renderPrometheus(failingReport);
  const lines = sampleLines(text, 'scs_node_audit_check_status');
  assert.equal(lines.length, 15);
  assert.ok(
    lines.includes(
      'scs_node_audit_check_status{check_id="kubelet-anonymous-auth",component="kubelet",level="MUST",status="fail"} 1',
    ),
  );
  assert.ok(
    lines.includes(
      'scs_node_audit_check_status{check_id="kubelet-anonymous-auth",component="kubelet",level="MUST",status="pass"} 0',
    ),
  );
  assert.ok(
    lines.includes(
      'scs_node_audit_check_status{check_id="kubelet-read-only-port",component="kubelet",level="SHOULD",status="pass"} 1',
    ),
  );
  assert.equal(lines.filter((line) => line.endsWith(' 1')).length, 3);
});

test('compliant, runs and build_info of a one-shot render', async () => {
  const text = await renderPrometheus(failingReport);
  assert.deepEqual(sampleLines(text, 'scs_node_audit_compliant'), ['scs_node_audit_compliant 0']);
  assert.deepEqual(sampleLines(text, 'scs_node_audit_runs_total'), ['scs_node_audit_runs_total 1']);
  assert.deepEqual(sampleLines(text, 'scs_node_audit_run_failures_total'), ['scs_node_audit_run_failures_total 0']);
  assert.deepEqual(sampleLines(text, 'scs_node_audit_last_run_success'), ['scs_node_audit_last_run_success 1']);
  assert.deepEqual(sampleLines(text, 'scs_node_audit_last_run_timestamp_seconds'), [
    `scs_node_audit_last_run_timestamp_seconds ${Date.parse('2026-11-29T10:00:00.000Z') / 1000}`,
  ]);
  assert.deepEqual(sampleLines(text, 'scs_node_audit_last_run_duration_seconds'), [
    'scs_node_audit_last_run_duration_seconds 0.0123',
  ]);
  assert.deepEqual(sampleLines(text, 'scs_node_audit_build_info'), [
    `scs_node_audit_build_info{version="0.1.0",nodejs_version="${process.version}",standard="scs-0217-v1"} 1`,
  ]);
  assert.deepEqual(sampleLines(await renderPrometheus(sampleReport()), 'scs_node_audit_compliant'), [
    'scs_node_audit_compliant 1',
  ]);
});

test('host_info names the distribution; no sample where no Kubernetes runs', async () => {
  const k3s = sampleReport([sampleCheck('kubelet-anonymous-auth', 'pass')], {
    host: { hostname: 'n', roles: ['worker'], distribution: { name: 'k3s', version: 'v1.33.4+k3s1' } },
  });
  assert.deepEqual(sampleLines(await renderPrometheus(k3s), 'scs_node_audit_host_info'), [
    'scs_node_audit_host_info{distribution="k3s"} 1',
  ]);
  const none = sampleReport([sampleCheck('kubelet-anonymous-auth', 'skip')], {
    components: [],
    host: { hostname: 'n', roles: [], distribution: null },
  });
  assert.deepEqual(sampleLines(await renderPrometheus(none), 'scs_node_audit_host_info'), []);
});

test('no compliant sample on a node without Kubernetes (compliant null): absent, neither 1 nor 0', async () => {
  const empty = sampleReport([sampleCheck('kubelet-anonymous-auth', 'skip')]);
  const text = await renderPrometheus({ ...empty, components: [], summary: { ...empty.summary, compliant: null } });
  assert.deepEqual(sampleLines(text, 'scs_node_audit_compliant'), []);
  assert.match(text, /^# TYPE scs_node_audit_compliant gauge$/m);
});

test('--format prometheus carries only scs_node_audit_* families, valid for promtool', async () => {
  const text = await renderPrometheus(failingReport);
  const families = text
    .split('\n')
    .filter((line) => line.startsWith('# TYPE '))
    .map((line) => line.split(' ')[2]);
  assert.ok(families.length === 17, `families: ${families.join(', ')}`);
  assert.ok(families.every((name) => name!.startsWith('scs_node_audit_')));
  const lint = promtoolCheckMetrics(text);
  assert.equal(lint.status, 0, lint.output);
});

test('interval_seconds carries the configured interval, so the stale alert can measure against it', async () => {
  assert.deepEqual(sampleLines(await renderPrometheus(failingReport, 3_600_000), 'scs_node_audit_interval_seconds'), [
    'scs_node_audit_interval_seconds 3600',
  ]);
  assert.deepEqual(sampleLines(await renderPrometheus(failingReport, 90_000), 'scs_node_audit_interval_seconds'), [
    'scs_node_audit_interval_seconds 90',
  ]);
  // Not configured (a caller without settings): no sample rather than a made-up interval.
  assert.deepEqual(sampleLines(await renderPrometheus(failingReport), 'scs_node_audit_interval_seconds'), []);
  const lint = promtoolCheckMetrics(await renderPrometheus(failingReport, 60_000));
  assert.equal(lint.status, 0, lint.output);
});

test('components: every known component gets detected 0/1; one series per component and version', async () => {
  const report = sampleReport([sampleCheck('etcd-client-tls', 'pass', { component: 'etcd' })], {
    components: [
      { name: 'etcd', pid: 10, version: 'v3.5.21', source: 'process', origin: 'pid 10' },
      { name: 'etcd', pid: 11, version: 'v3.5.21', source: 'process', origin: 'pid 11' },
      { name: 'kubelet', pid: 12, version: null, source: 'process', origin: 'pid 12' },
    ],
  });
  const text = await renderPrometheus(report);
  const detected = sampleLines(text, 'scs_node_audit_component_detected');
  assert.ok(detected.includes('scs_node_audit_component_detected{component="etcd"} 1'));
  assert.ok(detected.includes('scs_node_audit_component_detected{component="kube-apiserver"} 0'));
  assert.deepEqual(sampleLines(text, 'scs_node_audit_component_info'), [
    'scs_node_audit_component_info{component="etcd",version="v3.5.21"} 1',
    'scs_node_audit_component_info{component="kubelet",version="unknown"} 1',
  ]);
});

test('labels carry no messages, evidence or pids; odd titles stay valid exposition', async () => {
  const report = sampleReport(
    [
      sampleCheck('kubelet-anonymous-auth', 'fail', {
        title: 'Quote " backslash \\ newline \n end',
        message: '/var/lib/kubelet/config.yaml: secret-ish value',
      }),
    ],
    { components: [{ name: 'kubelet', pid: 4242, version: 'v1.33.2', source: 'process', origin: 'pid 4242' }] },
  );
  const text = await renderPrometheus(report);
  assert.ok(!text.includes('/var/lib/kubelet'), 'no evidence or message in labels');
  assert.ok(!text.includes('4242'), 'no pid in labels');
  assert.ok(text.includes('title="Quote \\" backslash \\\\ newline \\n end"'));
  const lint = promtoolCheckMetrics(text);
  assert.equal(lint.status, 0, lint.output);
});

test('before the first audit: no compliant sample (absent, not 0), no check series, counters at 0', async () => {
  const registry = new Registry();
  registerAuditMetrics(registry, () => ({
    version: '0.1.0',
    report: undefined,
    lastRun: undefined,
    runs: 0,
    runFailures: 0,
  }));
  const text = await registry.metrics();
  assert.deepEqual(sampleLines(text, 'scs_node_audit_compliant'), []);
  assert.deepEqual(sampleLines(text, 'scs_node_audit_check_status'), []);
  assert.deepEqual(sampleLines(text, 'scs_node_audit_last_run_success'), []);
  assert.deepEqual(sampleLines(text, 'scs_node_audit_last_success_timestamp_seconds'), []);
  assert.deepEqual(sampleLines(text, 'scs_node_audit_runs_total'), ['scs_node_audit_runs_total 0']);
  const lint = promtoolCheckMetrics(text);
  assert.equal(lint.status, 0, lint.output);
});

test('a failed run keeps the last report series and shows last_run_success 0', async () => {
  const registry = new Registry();
  registerAuditMetrics(registry, () => ({
    version: '0.1.0',
    report: failingReport,
    lastRun: { startedAt: new Date('2026-11-29T10:05:00.000Z'), durationMs: 3, success: false },
    runs: 6,
    runFailures: 1,
  }));
  const text = await registry.metrics();
  assert.deepEqual(sampleLines(text, 'scs_node_audit_last_run_success'), ['scs_node_audit_last_run_success 0']);
  assert.deepEqual(sampleLines(text, 'scs_node_audit_run_failures_total'), ['scs_node_audit_run_failures_total 1']);
  assert.deepEqual(sampleLines(text, 'scs_node_audit_runs_total'), ['scs_node_audit_runs_total 6']);
  assert.equal(sampleLines(text, 'scs_node_audit_check_status').length, 15);
  // The served report's own start, not the failed run's: its age is what an alert needs.
  assert.deepEqual(sampleLines(text, 'scs_node_audit_last_success_timestamp_seconds'), [
    `scs_node_audit_last_success_timestamp_seconds ${Date.parse(failingReport.startedAt) / 1000}`,
  ]);
});
