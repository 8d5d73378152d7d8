import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../src/log.js';
import type { Report } from '../../src/report/types.js';
import { AuditTimeoutError, createAuditLoop, statusChanges } from '../../src/server/audit-loop.js';
import { sampleCheck, sampleReport } from '../support/sample-report.js';

function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  return {
    logger: createLogger({
      level: 'debug',
      format: 'json',
      write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    }),
    lines,
  };
}

test('a failing audit keeps the last good report and counts a run failure', async (t) => {
  const good = sampleReport();
  const results: (Report | Error)[] = [good, new Error('proc unreadable')];
  const { logger, lines } = recordingLogger();
  const loop = createAuditLoop({
    audit: () => {
      const next = results.shift()!;
      if (next instanceof Error) throw next;
      return next;
    },
    config: {},
    intervalMs: 60_000,
    version: '0.1.0',
    logger,
  });
  t.after(() => loop.stop());
  await loop.runNow();
  assert.equal(loop.state().report, good);
  await loop.runNow();
  const state = loop.state();
  assert.equal(state.report, good, 'last good report is still served');
  assert.equal(state.runs, 2);
  assert.equal(state.runFailures, 1);
  assert.equal(state.lastRun?.success, false);
  const failure = lines.find((line) => line.msg === 'audit failed; serving the previous report');
  assert.equal(failure?.err, 'proc unreadable');
  assert.equal(failure.level, 'error');
});

test('never two audits at once: requests during a run coalesce into one more run', async (t) => {
  let active = 0;
  let maxActive = 0;
  let calls = 0;
  const releases: (() => void)[] = [];
  const loop = createAuditLoop({
    audit: async () => {
      calls += 1;
      active += 1;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((resolve) => releases.push(resolve));
      active -= 1;
      return sampleReport();
    },
    config: {},
    intervalMs: 60_000,
    version: '0.1.0',
    logger: recordingLogger().logger,
  });
  t.after(() => loop.stop());
  const first = loop.runNow();
  const second = loop.runNow();
  const third = loop.runNow();
  assert.equal(second, third, 'queued requests share one follow-up run');
  await new Promise((resolve) => setImmediate(resolve));
  releases.shift()!();
  await first;
  await new Promise((resolve) => setImmediate(resolve));
  releases.shift()!();
  await second;
  assert.equal(calls, 2);
  assert.equal(maxActive, 1);
});

test('the next audit is scheduled one interval after the last one started', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let calls = 0;
  const loop = createAuditLoop({
    audit: () => ((calls += 1), sampleReport()),
    config: {},
    intervalMs: 5_000,
    version: '0.1.0',
    logger: recordingLogger().logger,
  });
  t.after(() => loop.stop());
  await loop.runNow();
  assert.equal(calls, 1);
  t.mock.timers.tick(4_000);
  assert.equal(calls, 1);
  t.mock.timers.tick(1_000);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(calls, 2);
  loop.stop();
  t.mock.timers.tick(10_000);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(calls, 2, 'no audit after stop');
});

test('status changes are logged per check with check_id, from and to', async (t) => {
  const { logger, lines } = recordingLogger();
  const reports = [
    sampleReport([sampleCheck('kubelet-anonymous-auth', 'pass'), sampleCheck('kubelet-authz-webhook', 'pass')]),
    sampleReport([sampleCheck('kubelet-anonymous-auth', 'fail'), sampleCheck('kubelet-authz-webhook', 'pass')]),
  ];
  const loop = createAuditLoop({
    audit: () => reports.shift()!,
    config: {},
    intervalMs: 60_000,
    version: '0.1.0',
    logger,
  });
  t.after(() => loop.stop());
  await loop.runNow();
  await loop.runNow();
  const changes = lines.filter((line) => line.msg === 'check status changed');
  assert.deepEqual(
    changes.map(({ check_id, from, to, level }) => ({ check_id, from, to, level })),
    [{ check_id: 'kubelet-anonymous-auth', from: 'pass', to: 'fail', level: 'warn' }],
  );
  assert.ok(lines.some((line) => line.msg === 'node compliance changed' && line.from === true && line.to === false));
});

test('statusChanges: none for a first report; a check new in the second comes from "absent"', () => {
  const next = sampleReport([sampleCheck('a', 'pass'), sampleCheck('b', 'unknown')]);
  assert.deepEqual(statusChanges(undefined, next), []);
  assert.deepEqual(statusChanges(sampleReport([sampleCheck('a', 'pass')]), next), [
    { check_id: 'b', from: 'absent', to: 'unknown' },
  ]);
});

test('the state carries the configured interval from the start and after a reload', (t) => {
  const loop = createAuditLoop({
    audit: () => sampleReport(),
    config: {},
    intervalMs: 3_600_000,
    version: '0.1.0',
    logger: recordingLogger().logger,
  });
  t.after(() => loop.stop());
  assert.equal(loop.state().intervalSeconds, 3600);
  loop.configure({}, 90_000);
  assert.equal(loop.state().intervalSeconds, 90);
});

test('an audit past its deadline is aborted and counts as a failed run; the last good report stays', async (t) => {
  const good = sampleReport();
  const { logger, lines } = recordingLogger();
  let aborted: unknown;
  let calls = 0;
  const loop = createAuditLoop({
    audit: (_config, signal) => {
      calls += 1;
      if (calls === 1) return good;
      // An audit that never ends on its own; it hears about the deadline through its signal.
      return new Promise<Report>(() =>
        signal.addEventListener('abort', () => {
          aborted = signal.reason;
        }),
      );
    },
    config: {},
    intervalMs: 60_000,
    timeoutMs: 50,
    version: '0.1.0',
    logger,
  });
  t.after(() => loop.stop());
  await loop.runNow();
  await loop.runNow();
  const state = loop.state();
  assert.equal(state.report, good, 'the last good report is still served');
  assert.equal(state.runFailures, 1);
  assert.equal(state.lastRun?.success, false);
  assert.ok(aborted instanceof AuditTimeoutError, 'the audit was told why it was stopped');
  assert.match(state.lastRun.error ?? '', /deadline of 50 ms/);
  const failure = lines.find((line) => line.msg === 'audit failed; serving the previous report');
  assert.equal(failure?.code, 'SCS_ERR_AUDIT_TIMEOUT');
  assert.equal(failure.level, 'error');
  assert.equal(typeof failure.report_age_s, 'number');
});

test('stop() aborts the audit in flight and does not wait for it', async () => {
  let reason: unknown;
  const loop = createAuditLoop({
    audit: (_config, signal) =>
      new Promise<Report>(() =>
        signal.addEventListener('abort', () => {
          reason = signal.reason;
        }),
      ),
    config: {},
    intervalMs: 60_000,
    version: '0.1.0',
    logger: recordingLogger().logger,
  });
  const run = loop.runNow();
  loop.stop();
  await run;
  assert.match((reason as Error).message, /stopping/);
  assert.equal(loop.state().runFailures, 1);
});

test('without timeoutMs the deadline is the interval; configure() changes it for the next audit', async (t) => {
  let calls = 0;
  const loop = createAuditLoop({
    audit: (_config, signal) =>
      (calls += 1) === 1
        ? new Promise<Report>((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason as Error)),
          )
        : sampleReport(),
    config: {},
    intervalMs: 30,
    version: '0.1.0',
    logger: recordingLogger().logger,
  });
  t.after(() => loop.stop());
  await loop.runNow();
  assert.match(loop.state().lastRun?.error ?? '', /deadline of 30 ms/);
  loop.configure({}, 60_000, 10_000);
  await loop.runNow();
  assert.equal(loop.state().lastRun?.success, true);
});
