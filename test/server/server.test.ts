import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import bcrypt from 'bcryptjs';
import type { AuditMetricsState } from '../../src/report/prometheus.js';
import { renderJson } from '../../src/report/json.js';
import { buildServer } from '../../src/server/index.js';
import type { WebConfig } from '../../src/server/web-config.js';
import { promtoolCheckMetrics } from './promtool.js';
import { sampleCheck, sampleReport } from '../support/sample-report.js';

const report = sampleReport([
  sampleCheck('kubelet-anonymous-auth', 'fail', {
    message: 'anonymous auth on <script>alert(1)</script>',
    remediation: 'Set authentication.anonymous.enabled: false in /var/lib/kubelet/config.yaml & restart',
  }),
  sampleCheck('kubelet-authz-webhook', 'pass'),
]);
const audited: AuditMetricsState = {
  version: '0.1.0',
  report,
  lastRun: { startedAt: new Date(report.startedAt), durationMs: 12.5, success: true },
  runs: 1,
  runFailures: 0,
};
const fresh: AuditMetricsState = { version: '0.1.0', report: undefined, lastRun: undefined, runs: 0, runFailures: 0 };

async function listen(app: ReturnType<typeof buildServer>): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

test('health: /healthz is 200 at once; /readyz is 503 until the first audit', async (t) => {
  let state = fresh;
  const app = buildServer({ readState: () => state });
  t.after(() => app.close());
  assert.equal((await app.inject('/healthz')).statusCode, 200);
  assert.equal((await app.inject('/readyz')).statusCode, 503);
  state = audited;
  assert.equal((await app.inject('/readyz')).statusCode, 200);
  const base = await listen(app);
  assert.equal((await fetch(`${base}/readyz`)).status, 200);
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
});

test('report: /report is 503 before the first audit, then the JSON report', async (t) => {
  let state = fresh;
  const app = buildServer({ readState: () => state });
  t.after(() => app.close());
  assert.equal((await app.inject('/report')).statusCode, 503);
  state = audited;
  const response = await app.inject('/report');
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['content-type']), /^application\/json/);
  assert.deepEqual(response.json(), JSON.parse(renderJson(report)));
  assert.equal(response.body, renderJson(report), 'byte for byte what --once --format json prints');
  const base = await listen(app);
  assert.deepEqual(await (await fetch(`${base}/report`)).json(), JSON.parse(renderJson(report)));
});

test('metrics: audit families and process metrics, clean under promtool check metrics on a live scrape', async (t) => {
  const app = buildServer({ readState: () => audited });
  t.after(() => app.close());
  const base = await listen(app);
  const response = await fetch(`${base}/metrics`);
  assert.equal(response.status, 200);
  assert.match(String(response.headers.get('content-type')), /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  assert.ok(
    text.includes(
      'scs_node_audit_check_status{check_id="kubelet-anonymous-auth",component="kubelet",level="MUST",status="fail"} 1',
    ),
  );
  assert.ok(text.includes('scs_node_audit_compliant 0'));
  assert.ok(text.includes('process_resident_memory_bytes'));
  assert.ok(!text.includes('nodejs_active_handles_total'), 'the gauges promtool rejects are removed');
  const lint = promtoolCheckMetrics(text);
  assert.equal(lint.status, 0, lint.output);
});

test('metrics: a scrape never runs an audit and follows the state it is given', async (t) => {
  let state = fresh;
  let reads = 0;
  const app = buildServer({ readState: () => ((reads += 1), state) });
  t.after(() => app.close());
  assert.ok(!(await app.inject('/metrics')).body.includes('scs_node_audit_compliant 0'));
  state = audited;
  assert.ok((await app.inject('/metrics')).body.includes('scs_node_audit_compliant 0'));
  assert.ok(reads > 0);
});

test('status page: verdict, node, check table with remediation of failures, everything escaped', async (t) => {
  const app = buildServer({ readState: () => audited, now: () => new Date('2026-11-29T10:01:00.000Z') });
  t.after(() => app.close());
  const response = await app.inject('/');
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.match(String(response.headers['content-security-policy']), /default-src 'none'/);
  const html = response.body;
  assert.ok(html.includes('Not compliant'));
  assert.ok(html.includes('cp-1'));
  assert.ok(html.includes('2026-11-29T10:00:00.000Z (60 s ago'));
  assert.ok(!html.includes('<script>'), 'report text is escaped');
  assert.ok(html.includes('&#60;script&#62;alert(1)&#60;/script&#62;'));
  assert.ok(html.includes('/var/lib/kubelet/config.yaml &#38; restart'), 'remediation of the failing check is shown');
  assert.ok(!/<script|src="http|href="http/i.test(html), 'no script, no external asset');
  assert.ok(html.indexOf('kubelet-anonymous-auth') < html.indexOf('kubelet-authz-webhook'), 'failures first');
  const base = await listen(app);
  assert.equal((await fetch(`${base}/`)).status, 200);
});

test('status page: a level or component is one word, never broken inside ("RECOMMENDED" wrapped mid-word)', async (t) => {
  const app = buildServer({ readState: () => audited });
  t.after(() => app.close());
  const html = (await app.inject('/')).body;
  // The table breaks long text anywhere (paths, URLs); level and component cells opt out.
  assert.match(html, /th,td\{[^}]*overflow-wrap:anywhere/);
  const word = /td\.word\{([^}]*)\}/.exec(html)?.[1] ?? '';
  assert.match(word, /white-space:nowrap/);
  assert.match(word, /overflow-wrap:normal/);
  assert.match(html, /<td class="word">MUST<\/td>\n<td class="word">kubelet<\/td>/);
  // Wide enough for "RECOMMENDED" (11 capitals ≈ 8.2em at system-ui) plus 1em of cell padding.
  const levelWidth = Number(/\.c-level\{width:([\d.]+)em\}/.exec(html)?.[1]);
  assert.ok(levelWidth >= 9.5, `level column ${levelWidth}em`);
});

test('status page before the first audit and after a failed run', async (t) => {
  let state = fresh;
  const app = buildServer({ readState: () => state });
  t.after(() => app.close());
  assert.ok((await app.inject('/')).body.includes('No audit yet'));
  state = {
    ...audited,
    lastRun: { startedAt: new Date('2026-11-29T10:05:00.000Z'), durationMs: 1, success: false },
    runs: 2,
    runFailures: 1,
  };
  assert.ok((await app.inject('/')).body.includes('The last audit run (2026-11-29T10:05:00.000Z) failed'));
});

test('basic auth guards every route: right credentials 200, wrong and missing 401 with a challenge', async (t) => {
  const webConfig: WebConfig = {
    tls: undefined,
    basicAuthUsers: new Map([['prometheus', bcrypt.hashSync('right', 4)]]),
    headers: { 'X-Frame-Options': 'deny' },
  };
  const app = buildServer({ readState: () => audited, webConfig: () => webConfig });
  t.after(() => app.close());
  const auth = (password: string) => ({
    authorization: `Basic ${Buffer.from(`prometheus:${password}`).toString('base64')}`,
  });
  for (const url of ['/', '/metrics', '/report', '/healthz', '/readyz', '/nonexistent']) {
    const missing = await app.inject(url);
    assert.equal(missing.statusCode, 401, url);
    assert.match(String(missing.headers['www-authenticate']), /^Basic realm=/);
    assert.equal((await app.inject({ url, headers: auth('wrong') })).statusCode, 401, url);
  }
  const ok = await app.inject({ url: '/metrics', headers: auth('right') });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.headers['x-frame-options'], 'deny');
  const base = await listen(app);
  assert.equal((await fetch(`${base}/metrics`)).status, 401);
  assert.equal((await fetch(`${base}/metrics`, { headers: auth('right') })).status, 200);
});

test('status page: backtick spans of a remediation become code, still escaped inside', async () => {
  const { escapeWithCode } = await import('../../src/server/routes/status.js');
  assert.equal(
    escapeWithCode('run `kubeadm upgrade plan` then `a<b>`'),
    'run <code>kubeadm upgrade plan</code> then <code>a&#60;b&#62;</code>',
  );
  assert.equal(escapeWithCode('an odd ` backtick'), 'an odd ` backtick');
});
