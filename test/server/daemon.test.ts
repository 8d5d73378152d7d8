// The daemon as a real process: signals, reload, audit failure, shutdown.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import bcrypt from 'bcryptjs';
import { sampleCheck, sampleReport } from '../support/sample-report.js';
import { weakenedProtection } from '../../src/server/daemon.js';
import { spawnDaemon, type DaemonProcess } from './spawn-daemon.js';
import { get, sample } from '../support/http.js';

const passing = sampleReport([
  sampleCheck('kubelet-anonymous-auth', 'pass'),
  sampleCheck('kubelet-authz-webhook', 'pass'),
]);
const failing = sampleReport([
  sampleCheck('kubelet-anonymous-auth', 'fail'),
  sampleCheck('kubelet-authz-webhook', 'pass'),
]);

function workspace(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'scs-daemon-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = { report: join(dir, 'report.json'), settings: join(dir, 'settings.json'), web: join(dir, 'web.yml') };
  return {
    dir,
    files,
    write: (file: string, content: unknown) =>
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content)),
  };
}

async function start(t: { after: (fn: () => void) => void }, args: string[]): Promise<DaemonProcess> {
  const daemon = await spawnDaemon(args);
  t.after(() => daemon.child.kill('SIGKILL'));
  return daemon;
}

test(
  'SIGHUP: a valid config reloads and audits at once; a changed check is logged with check_id, from, to',
  { timeout: 30_000 },
  async (t) => {
    const { files, write } = workspace(t);
    write(files.report, passing);
    write(files.settings, { intervalSeconds: 3600 });
    const daemon = await start(t, [files.report, files.settings]);
    await daemon.waitForLine((line) => line.msg === 'audit finished');
    assert.equal((await get(daemon.address, '/readyz')).status, 200);
    assert.equal(sample((await get(daemon.address, '/metrics')).body, 'scs_node_audit_compliant'), '1');

    write(files.report, failing);
    const mark = daemon.lines.length;
    daemon.child.kill('SIGHUP');
    await daemon.waitForLine((line) => line.msg === 'configuration reloaded', 10_000, mark);
    const change = await daemon.waitForLine((line) => line.msg === 'check status changed', 10_000, mark);
    assert.deepEqual(
      { check_id: change.check_id, from: change.from, to: change.to },
      { check_id: 'kubelet-anonymous-auth', from: 'pass', to: 'fail' },
    );
    const metrics = (await get(daemon.address, '/metrics')).body;
    assert.equal(sample(metrics, 'scs_node_audit_compliant'), '0');
    assert.equal(
      sample(
        metrics,
        'scs_node_audit_check_status{check_id="kubelet-anonymous-auth",component="kubelet",level="MUST",status="fail"}',
      ),
      '1',
    );
    assert.equal(sample(metrics, 'scs_node_audit_runs_total'), '2');
  },
);

test(
  'SIGHUP with a broken config: rejected with a log line naming the key, old config kept, no audit',
  { timeout: 30_000 },
  async (t) => {
    const { files, write } = workspace(t);
    write(files.report, passing);
    write(files.settings, { intervalSeconds: 3600 });
    const daemon = await start(t, [files.report, files.settings]);
    await daemon.waitForLine((line) => line.msg === 'audit finished');

    write(files.settings, { intervalSeconds: 3600, intervalSecnods: 5 });
    const mark = daemon.lines.length;
    daemon.child.kill('SIGHUP');
    const rejected = await daemon.waitForLine(
      (line) => line.msg === 'configuration reload rejected; keeping the previous configuration',
      10_000,
      mark,
    );
    assert.equal(rejected.key, 'intervalSecnods');
    assert.equal(rejected.level, 'error');
    // The daemon still serves, and no audit ran for the rejected config.
    const metrics = (await get(daemon.address, '/metrics')).body;
    assert.equal(sample(metrics, 'scs_node_audit_runs_total'), '1');
    assert.equal(daemon.child.exitCode, null);
  },
);

test(
  'SIGHUP with a web config that drops basic auth: rejected with an error naming it, /metrics stays protected',
  { timeout: 30_000 },
  async (t) => {
    const { files, write } = workspace(t);
    write(files.report, passing);
    write(files.settings, { intervalSeconds: 3600 });
    write(files.web, `basic_auth_users:\n  prometheus: '${bcrypt.hashSync('pw', 4)}'\n`);
    const daemon = await start(t, [files.report, files.settings, files.web]);
    await daemon.waitForLine((line) => line.msg === 'audit finished');
    const credentials = { authorization: `Basic ${Buffer.from('prometheus:pw').toString('base64')}` };
    assert.equal((await get(daemon.address, '/metrics')).status, 401);

    for (const emptied of ['', 'basic_auth_users: {}\n']) {
      write(files.web, emptied);
      const mark = daemon.lines.length;
      daemon.child.kill('SIGHUP');
      const rejected = await daemon.waitForLine((line) => /reload/.test(String(line.msg)), 10_000, mark);
      assert.equal(rejected.msg, 'configuration reload rejected; keeping the previous configuration');
      assert.equal(rejected.level, 'error');
      assert.equal(rejected.code, 'SCS_ERR_WEB_CONFIG_RELOAD');
      assert.match(String(rejected.err), /removing basic_auth_users/);
      assert.equal((await get(daemon.address, '/metrics')).status, 401, 'still protected');
      assert.equal((await get(daemon.address, '/metrics', credentials)).status, 200, 'the old users still work');
    }

    // Changing the users is fine: protection stays.
    write(files.web, `basic_auth_users:\n  prometheus: '${bcrypt.hashSync('rotated', 4)}'\n`);
    const mark = daemon.lines.length;
    daemon.child.kill('SIGHUP');
    await daemon.waitForLine((line) => line.msg === 'configuration reloaded', 10_000, mark);
    assert.equal(
      (
        await get(daemon.address, '/metrics', {
          authorization: `Basic ${Buffer.from('prometheus:rotated').toString('base64')}`,
        })
      ).status,
      200,
    );
    assert.equal((await get(daemon.address, '/metrics', credentials)).status, 401);
  },
);

test('weakenedProtection: removing all users or TLS is refused; adding or changing them is not', () => {
  const users = new Map([['prometheus', 'h']]);
  const tls = {
    cert: 'c',
    key: 'k',
    clientCa: undefined,
    clientAuthType: 'NoClientCert' as const,
    minVersion: 'TLSv1.2' as const,
    maxVersion: 'TLSv1.3' as const,
  };
  const none = { tls: undefined, basicAuthUsers: new Map<string, string>(), headers: {} };
  assert.match(weakenedProtection({ ...none, basicAuthUsers: users }, none) ?? '', /basic_auth_users/);
  assert.match(weakenedProtection({ ...none, tls }, none) ?? '', /tls_server_config/);
  assert.equal(weakenedProtection(none, { ...none, basicAuthUsers: users, tls }), undefined);
  assert.equal(
    weakenedProtection({ ...none, basicAuthUsers: users }, { ...none, basicAuthUsers: new Map([['other', 'h2']]) }),
    undefined,
  );
});

test('an audit that fails keeps the last good report and counts a run failure', { timeout: 30_000 }, async (t) => {
  const { files, write } = workspace(t);
  write(files.report, failing);
  write(files.settings, { intervalSeconds: 3600 });
  const daemon = await start(t, [files.report, files.settings]);
  await daemon.waitForLine((line) => line.msg === 'audit finished');

  write(files.report, '{"truncated": ');
  const mark = daemon.lines.length;
  daemon.child.kill('SIGHUP');
  const failure = await daemon.waitForLine(
    (line) => line.msg === 'audit failed; serving the previous report',
    10_000,
    mark,
  );
  assert.equal(failure.has_report, true);
  const metrics = (await get(daemon.address, '/metrics')).body;
  assert.equal(sample(metrics, 'scs_node_audit_run_failures_total'), '1');
  assert.equal(sample(metrics, 'scs_node_audit_last_run_success'), '0');
  assert.equal(sample(metrics, 'scs_node_audit_compliant'), '0', 'last good report still served');
  const report = JSON.parse((await get(daemon.address, '/report')).body) as { checks: unknown[] };
  assert.equal(report.checks.length, 2);
  assert.equal((await get(daemon.address, '/readyz')).status, 200);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal}: finishes the response in flight and exits 0 within 5 s`, { timeout: 30_000 }, async (t) => {
    const { files, write } = workspace(t);
    write(files.report, passing);
    write(files.settings, { intervalSeconds: 3600 });
    // A costly bcrypt hash keeps an authenticated request in flight for a while.
    write(files.web, `basic_auth_users:\n  prometheus: '${bcrypt.hashSync('pw', 12)}'\n`);
    const daemon = await start(t, [files.report, files.settings, files.web]);
    await daemon.waitForLine((line) => line.msg === 'audit finished');

    const inFlight = get(daemon.address, '/metrics', {
      authorization: `Basic ${Buffer.from('prometheus:pw').toString('base64')}`,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sentAt = Date.now();
    daemon.child.kill(signal);
    const answer = await inFlight;
    assert.equal(answer.status, 200);
    assert.ok(answer.body.includes('scs_node_audit_compliant 1'));
    const exit = await daemon.exited;
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.ok(Date.now() - sentAt < 5_000, `exited after ${Date.now() - sentAt} ms`);
    assert.ok(daemon.lines.some((line) => line.msg === 'shutting down' && line.signal === signal));
    await assert.rejects(get(daemon.address, '/healthz'), 'no longer accepting');
  });
}
