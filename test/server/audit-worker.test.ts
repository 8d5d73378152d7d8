// The real daemon (the command line, its audit in a worker thread) with an audit that takes long
// or outlives its deadline: the HTTP server keeps answering, SIGTERM ends the process, a timed-out
// audit is a counted run failure and the last good report stays served (issue 9, item 6).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { copyFixture, slowAuditFixture } from '../support/cli.js';
import { removeDir } from '../support/etcd.js';
import { spawnCliDaemon, type DaemonProcess } from './spawn-daemon.js';
import { get, sample } from '../support/http.js';

/** The first audit is still running: counted as started, no run recorded yet. */
async function auditInFlight(address: string): Promise<boolean> {
  const metrics = (await get(address, '/metrics')).body;
  return (
    sample(metrics, 'scs_node_audit_runs_total') === '1' &&
    sample(metrics, 'scs_node_audit_last_run_success') === undefined
  );
}

async function startDaemon(
  t: { after: (fn: () => void) => void },
  root: string,
  config: string,
): Promise<DaemonProcess> {
  const daemon = await spawnCliDaemon([
    '--root',
    root,
    '--config',
    config,
    '--listen',
    '127.0.0.1:0',
    '--log.format',
    'json',
    '--no-probes',
  ]);
  t.after(() => daemon.child.kill('SIGKILL'));
  return daemon;
}

test(
  'during a long audit /healthz and /metrics answer, and SIGTERM ends the daemon with exit 0',
  { timeout: 120_000 },
  async (t) => {
    const { work, root } = slowAuditFixture();
    t.after(() => removeDir(work));
    const config = path.join(work, 'config.yaml');
    writeFileSync(config, 'interval: 1h\n');
    const daemon = await startDaemon(t, root, config);

    // Seen in flight, then /healthz answered, then still in flight: answered while the audit ran.
    let answeredDuringAudit = false;
    while (!answeredDuringAudit) {
      assert.ok(
        await auditInFlight(daemon.address),
        'the audit ended before it could be watched; the slow input is no longer slow',
      );
      assert.equal((await get(daemon.address, '/healthz')).status, 200);
      answeredDuringAudit = await auditInFlight(daemon.address);
    }
    assert.equal((await get(daemon.address, '/readyz')).status, 503, 'not ready before the first report');

    daemon.child.kill('SIGTERM');
    assert.deepEqual(await daemon.exited, { code: 0, signal: null });
    assert.ok(!daemon.lines.some((line) => line.msg === 'audit finished'), 'the audit was stopped, not waited for');
  },
);

test(
  'an audit past auditTimeout is a counted run failure; the last good report stays served with its time',
  { timeout: 60_000 },
  async (t) => {
    const { work, root } = copyFixture('kubeadm-1.34-control-plane', 'scs-audit-timeout-');
    t.after(() => removeDir(work));
    const config = path.join(work, 'config.yaml');
    writeFileSync(config, 'interval: 1h\n');
    const daemon = await startDaemon(t, root, config);
    await daemon.waitForLine((line) => line.msg === 'audit finished', 30_000);
    const good = JSON.parse((await get(daemon.address, '/report')).body) as { startedAt: string; checks: unknown[] };

    // No audit finishes within a millisecond (starting its thread alone takes longer).
    writeFileSync(config, 'interval: 1h\nauditTimeout: 1ms\n');
    const mark = daemon.lines.length;
    daemon.child.kill('SIGHUP');
    const failure = await daemon.waitForLine(
      (line) => line.msg === 'audit failed; serving the previous report',
      30_000,
      mark,
    );
    assert.equal(failure.code, 'SCS_ERR_AUDIT_TIMEOUT');
    assert.match(String(failure.err), /deadline of 1 ms/);
    assert.equal(failure.has_report, true);

    assert.equal((await get(daemon.address, '/healthz')).status, 200);
    const metrics = (await get(daemon.address, '/metrics')).body;
    assert.equal(sample(metrics, 'scs_node_audit_run_failures_total'), '1');
    assert.equal(sample(metrics, 'scs_node_audit_last_run_success'), '0');
    assert.equal(
      sample(metrics, 'scs_node_audit_last_success_timestamp_seconds'),
      String(Date.parse(good.startedAt) / 1000),
    );
    const report = await get(daemon.address, '/report');
    assert.equal(report.status, 200);
    assert.equal(
      (JSON.parse(report.body) as { startedAt: string }).startedAt,
      good.startedAt,
      'the last good report, unchanged',
    );
    assert.equal(report.headers['last-modified'], new Date(good.startedAt).toUTCString());
    const page = (await get(daemon.address, '/')).body;
    assert.match(page, /did not finish within its deadline of 1 ms/);
    assert.match(page, /shows the last good report, from \d+ s ago/);

    daemon.child.kill('SIGTERM');
    assert.deepEqual(await daemon.exited, { code: 0, signal: null });
  },
);
