// The kubelet probes against a process that looks like a kubelet: node started as `kubelet
// <script> --anonymous-auth=… --port=…`, serving HTTPS (401, 403 or 200 on /pods), plain HTTP, or
// nothing at all. `scs-node-audit --once --format json` runs against the real /proc.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Report } from '../../src/report/types.js';
import { createTestPki, etcdUnavailable, exclusiveHost, freePort, removeDir, type TestPki } from '../support/etcd.js';
import { auditOnce, checkOf, describeCheck, probeEvidence, writeConfig } from '../support/cli.js';
import { startFakeComponent, type FakeComponent, type FakeListener } from './fake-component.js';
import { PROBE_TIMEOUT_MAX_MS } from '../../src/collect/probes/plan.js';

/** Loopback as a probe URL names it: 127.0.0.1, or ::1 for a dual-stack `::` listener. */
const LOOPBACK = '(127\\.0\\.0\\.1|\\[::1\\])';

function expectCheck(report: Report, id: string, status: string, probe?: RegExp, message?: RegExp): void {
  const check = checkOf(report, id);
  assert.equal(check.status, status, describeCheck(check));
  if (probe)
    assert.ok(
      probeEvidence(check).some((d) => probe.test(d)),
      `${id}: no probe evidence matching ${probe}\n${describeCheck(check)}`,
    );
  if (message) assert.match(check.message, message, describeCheck(check));
}

function expectAudited(report: Report, kubelet: FakeComponent): void {
  assert.equal(
    report.components.find((c) => c.name === 'kubelet')?.pid,
    kubelet.pid,
    JSON.stringify(report.components),
  );
}

describe('kubelet probes against a fake kubelet', { skip: etcdUnavailable() }, () => {
  let pki: TestPki;
  let work: string;
  let config: string;
  const running: FakeComponent[] = [];

  before(() => {
    pki = createTestPki();
    work = mkdtempSync(path.join(tmpdir(), 'scs-probe-kubelet-'));
    // Probe credentials for etcd are configured: they must never reach the kubelet.
    config = writeConfig(path.join(work, 'config.yaml'), {
      probes: { etcd: { certFile: pki.probeCert, keyFile: pki.probeKey, caFile: pki.caFile } },
    });
  });
  const stopAll = async () => {
    for (const p of running.splice(0)) await p.stop();
  };
  // Safety net; each test already stops what it started inside exclusiveHost.
  afterEach(stopAll);
  /** One test at a time on this machine, across test files, and everything it started stopped before the next. */
  const serial = (fn: () => Promise<void>) => () => exclusiveHost(fn, stopAll);
  after(() => {
    removeDir(work);
    removeDir(pki.dir);
  });

  async function kubelet(flags: string[], listeners: FakeListener[]): Promise<FakeComponent> {
    const fake = await startFakeComponent('kubelet', flags, listeners, pki);
    running.push(fake);
    return fake;
  }
  const secureFlags = (port: number, anonymous: boolean) => [
    `--anonymous-auth=${anonymous}`,
    '--authorization-mode=Webhook',
    `--port=${port}`,
    '--read-only-port=0',
  ];

  it(
    'config says anonymous off and /pods answers 401: pass, probe agrees',
    serial(async () => {
      const port = await freePort();
      const fake = await kubelet(secureFlags(port, false), [
        { host: '0.0.0.0', port, mode: 'https', statuses: { '/pods': 401 } },
      ]);
      const { report } = auditOnce(['--config', config]);
      expectAudited(report, fake);
      expectCheck(report, 'kubelet-anonymous-auth', 'pass', new RegExp(`${LOOPBACK}:${port}/pods.*401`));
      expectCheck(report, 'endpoints-https', 'pass', new RegExp(`${LOOPBACK}:${port}.*TLS handshake completed`));
      // No credentials, no Authorization header: the etcd probe certificate stays with etcd.
      const requests = fake.requests();
      assert.ok(requests.length > 0);
      assert.deepEqual(
        requests.filter((r) => r.clientCertificate || r.authorization),
        [],
      );
    }),
  );

  it(
    'config says anonymous off but /pods answers 403: the probe wins, fail',
    serial(async () => {
      const port = await freePort();
      const fake = await kubelet(secureFlags(port, false), [
        { host: '127.0.0.1', port, mode: 'https', statuses: { '/pods': 403 } },
      ]);
      const { report } = auditOnce(['--config', config]);
      expectAudited(report, fake);
      expectCheck(report, 'kubelet-anonymous-auth', 'fail', /403/, /config.*but.*403/i);
    }),
  );

  it(
    'config says anonymous off but /pods answers 200: critical fail, the message says config and probe disagree',
    serial(async () => {
      const port = await freePort();
      const fake = await kubelet(secureFlags(port, false), [
        { host: '127.0.0.1', port, mode: 'https', statuses: { '/pods': 200 } },
      ]);
      const { report } = auditOnce(['--config', config]);
      expectAudited(report, fake);
      expectCheck(report, 'kubelet-anonymous-auth', 'fail', /200/, /config.*anonymous.*off.*but.*200/i);
    }),
  );

  it(
    'config says anonymous on but /pods answers 401: the probe wins, pass',
    serial(async () => {
      const port = await freePort();
      const fake = await kubelet(secureFlags(port, true), [
        { host: '127.0.0.1', port, mode: 'https', statuses: { '/pods': 401 } },
      ]);
      const { report } = auditOnce(['--config', config]);
      expectAudited(report, fake);
      expectCheck(report, 'kubelet-anonymous-auth', 'pass', /401/, /config.*but.*401/i);
    }),
  );

  it(
    'plain HTTP on the secure port beyond loopback: endpoints-https fails on the probe',
    serial(async () => {
      const port = await freePort();
      const fake = await kubelet(secureFlags(port, false), [
        { host: '0.0.0.0', port, mode: 'http', statuses: { '/pods': 401 } },
      ]);
      const { report } = auditOnce(['--config', config]);
      expectAudited(report, fake);
      expectCheck(report, 'endpoints-https', 'fail', new RegExp(`${LOOPBACK}:${port}.*plain HTTP`), /plain HTTP/);
    }),
  );

  it(
    'read-only port configured and answering HTTP: fail with probe evidence',
    serial(async () => {
      const [port, readOnly] = [await freePort(), await freePort()];
      const flags = [
        '--anonymous-auth=false',
        '--authorization-mode=Webhook',
        `--port=${port}`,
        `--read-only-port=${readOnly}`,
      ];
      const fake = await kubelet(flags, [
        { host: '127.0.0.1', port, mode: 'https', statuses: { '/pods': 401 } },
        { host: '0.0.0.0', port: readOnly, mode: 'http', statuses: { '/healthz': 200 } },
      ]);
      const { report } = auditOnce(['--config', config]);
      expectAudited(report, fake);
      expectCheck(report, 'kubelet-read-only-port', 'fail', new RegExp(`http://${LOOPBACK}:${readOnly}/healthz.*200`));
    }),
  );

  it(
    'kube-apiserver: GET /version tells the running version, GET /api whether anonymous requests are authenticated',
    serial(async () => {
      const port = await freePort();
      const apiserver = await startFakeComponent(
        'kube-apiserver',
        [`--secure-port=${port}`, '--bind-address=127.0.0.1', '--anonymous-auth=true'],
        [
          {
            host: '127.0.0.1',
            port,
            mode: 'https',
            statuses: { '/version': 200, '/api': 403 },
            bodies: { '/version': { major: '1', minor: '34', gitVersion: 'v1.34.1' } },
          },
        ],
        pki,
      );
      running.push(apiserver);
      const { report } = auditOnce(['--config', config]);
      const component = report.components.find((c) => c.name === 'kube-apiserver');
      assert.equal(component?.pid, apiserver.pid);
      assert.equal(component.version, 'v1.34.1');
      assert.ok(
        report.notes.some((n) =>
          new RegExp(`/api without credentials answered 403: anonymous requests are authenticated`).test(n),
        ),
        report.notes.join('\n'),
      );
      assert.deepEqual(
        apiserver.requests().filter((r) => r.clientCertificate || r.authorization),
        [],
      );
    }),
  );

  it(
    'a listener that accepts and never answers does not hang the audit',
    serial(async () => {
      const port = await freePort();
      // The largest timeout the config accepts: the bound below must hold even then.
      const silentConfig = writeConfig(path.join(work, 'silent.yaml'), { probes: { timeoutMs: PROBE_TIMEOUT_MAX_MS } });
      const fake = await kubelet(secureFlags(port, false), [{ host: '0.0.0.0', port, mode: 'silent' }]);
      const run = auditOnce(['--config', silentConfig]);
      expectAudited(run.report, fake);
      // Each probe is capped at 2 s, all of them at 5 s.
      assert.ok(run.report.durationMs < 5_500, `audit took ${run.report.durationMs} ms`);
      // No answer is no evidence against the configuration: it still decides, and says the probe timed out.
      expectCheck(run.report, 'kubelet-anonymous-auth', 'pass', /no answer within 2000 ms/);
      assert.ok(
        run.report.notes.some((n) => /without answer in time/.test(n)),
        run.report.notes.join('\n'),
      );
    }),
  );
});
