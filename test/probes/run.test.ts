// runProbes against servers in this test process: the time bounds, where credentials go, and
// what a probe records. The listeners belong to this process, so its network namespace is ours.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { TLSSocket } from 'node:tls';
import { tlsErrorText } from '../../src/collect/probes/net.js';
import { runProbes } from '../../src/collect/probes/run.js';
import type { EtcdProbeCredentialPaths, PlannedProbe, ProbePlan } from '../../src/collect/probes/plan.js';
import { createTestPki, etcdUnavailable, removeDir, type TestPki } from '../support/etcd.js';

const PID = process.pid;

interface Seen {
  path: string;
  clientCertificate: boolean;
}

/** An HTTPS server that asks for (but does not require) a client certificate and records whether one came. */
async function recordingServer(
  pki: TestPki,
  answer: (path: string) => [number, string],
): Promise<{ port: number; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = https.createServer(
    {
      key: readFileSync(pki.memberKey),
      cert: readFileSync(pki.memberCert),
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const cert = req.socket instanceof TLSSocket ? req.socket.getPeerCertificate() : undefined;
      seen.push({ path: req.url ?? '', clientCertificate: Object.keys(cert ?? {}).length > 0 });
      const [status, body] = answer(req.url ?? '');
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Accepts connections and never sends a byte. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const base = (port: number) => ({
  component: 'kubelet' as const,
  pid: PID,
  host: '127.0.0.1',
  port,
  listener: { address: '0.0.0.0', port },
});
const get = (probe: PlannedProbe['probe'], port: number, path: string): PlannedProbe => ({
  kind: 'http',
  probe,
  ...base(port),
  url: `https://127.0.0.1:${port}${path}`,
});
const plan = (...probes: PlannedProbe[]): ProbePlan => ({ probes, notes: [] });
/** The etcd auth probe against a local test server, with the credentials a case configures. */
const etcdAuth = (port: number, credentials: EtcdProbeCredentialPaths): PlannedProbe => ({
  kind: 'etcd-auth',
  probe: 'etcd-auth-enabled',
  ...base(port),
  component: 'etcd',
  baseUrl: `https://127.0.0.1:${port}`,
  credentials,
});

describe('runProbes', { skip: etcdUnavailable() }, () => {
  let pki: TestPki;
  before(() => {
    pki = createTestPki();
  });
  after(() => removeDir(pki.dir));

  it('listeners that accept and never answer: each probe gives up at 2 s however long the config allows', async () => {
    const silent = await silentServer();
    try {
      const start = performance.now();
      const run = await runProbes(
        plan(
          { kind: 'handshake', probe: 'endpoints-https', ...base(silent.port) },
          get('kubelet-anonymous-auth', silent.port, '/pods'),
        ),
        {
          timeoutMs: 60_000,
          proc: '/proc',
        },
      );
      const elapsed = performance.now() - start;
      assert.ok(elapsed < 2_500, `took ${elapsed} ms`);
      assert.deepEqual(
        run.results.records?.map((r) => [r.outcome, r.detail]),
        [
          ['timeout', 'no TLS handshake within 2000 ms'],
          ['timeout', 'no answer within 2000 ms'],
        ],
      );
      assert.match(run.notes.join(), /without answer in time/);
    } finally {
      await silent.close();
    }
  });

  it('the overall budget abandons what is still waiting', async () => {
    const silent = await silentServer();
    try {
      const start = performance.now();
      const run = await runProbes(
        plan(get('kubelet-anonymous-auth', silent.port, '/pods'), get('apiserver-version', silent.port, '/version')),
        {
          timeoutMs: 2_000,
          budgetMs: 200,
          proc: '/proc',
        },
      );
      assert.ok(performance.now() - start < 1_000);
      assert.ok(run.results.records?.every((r) => r.outcome === 'timeout' && /abandoned/.test(r.detail)));
    } finally {
      await silent.close();
    }
  });

  it('the etcd client certificate goes to the etcd auth probe and nowhere else', async () => {
    const kubelet = await recordingServer(pki, () => [401, '{}']);
    // etcd 3.4: no AuthStatus; Authenticate says auth is off.
    const etcd = await recordingServer(pki, (path) =>
      path === '/v3/auth/status'
        ? [404, 'Not Found']
        : [412, '{"error":"etcdserver: authentication is not enabled","code":9}'],
    );
    try {
      const run = await runProbes(
        plan(
          get('kubelet-anonymous-auth', kubelet.port, '/pods'),
          get('apiserver-anonymous', kubelet.port, '/api'),
          etcdAuth(etcd.port, {
            certFile: pki.probeCert,
            keyFile: pki.probeKey,
            caFile: pki.caFile,
            origin: 'probes.etcd',
          }),
        ),
        { timeoutMs: 2_000, proc: '/proc' },
      );
      assert.deepEqual(kubelet.seen, [
        { path: '/pods', clientCertificate: false },
        { path: '/api', clientCertificate: false },
      ]);
      assert.deepEqual(etcd.seen, [
        { path: '/v3/auth/status', clientCertificate: true },
        { path: '/v3/auth/authenticate', clientCertificate: true },
      ]);
      assert.deepEqual(run.results.etcd, { endpoint: `https://127.0.0.1:${etcd.port}`, authEnabled: false });
      const record = run.results.records?.find((r) => r.probe === 'etcd-auth-enabled');
      assert.match(record?.detail ?? '', /with the client certificate .*probe\.crt \(probes\.etcd\).*auth disabled/);
      // No key material in anything that leaves the runner.
      assert.doesNotMatch(JSON.stringify(run), /PRIVATE KEY|BEGIN CERTIFICATE/);
    } finally {
      await Promise.all([kubelet.close(), etcd.close()]);
    }
  });

  it('etcd gateway refusal of a CN certificate means auth is on (etcd embed/serve.go)', async () => {
    const etcd = await recordingServer(pki, () => [
      400,
      'CommonName of client sending a request against gateway will be ignored and not used as expected\n',
    ]);
    try {
      const run = await runProbes(
        plan(
          etcdAuth(etcd.port, {
            certFile: pki.probeCert,
            keyFile: pki.probeKey,
            caFile: pki.caFile,
            origin: 'probes.etcd',
          }),
        ),
        { timeoutMs: 2_000, proc: '/proc' },
      );
      assert.equal(run.results.etcd?.authEnabled, true);
    } finally {
      await etcd.close();
    }
  });

  it('a server whose certificate is not from probes.etcd.caFile never gets the request', async () => {
    const impostor = await recordingServer(pki, () => [200, '{"header":{},"enabled":true}']);
    try {
      const run = await runProbes(
        // The impostor's certificate is from the test CA; the probe is told to trust only the probe certificate.
        plan(
          etcdAuth(impostor.port, {
            certFile: pki.probeCert,
            keyFile: pki.probeKey,
            caFile: pki.probeCert,
            origin: 'probes.etcd',
          }),
        ),
        { timeoutMs: 2_000, proc: '/proc' },
      );
      assert.deepEqual(impostor.seen, []);
      assert.equal(run.results.etcd, undefined);
      assert.equal(run.results.records?.[0]?.outcome, 'error');
    } finally {
      await impostor.close();
    }
  });

  it('configured credentials that cannot be read: the probe does not run, and says which file', async () => {
    const run = await runProbes(
      plan(
        etcdAuth(1, { certFile: '/nonexistent/probe.crt', keyFile: '/nonexistent/probe.key', origin: 'probes.etcd' }),
      ),
      { timeoutMs: 500, proc: '/proc' },
    );
    assert.equal(run.results.records?.[0]?.outcome, 'not-run');
    assert.match(run.results.records[0].detail, /\/nonexistent\/probe\.crt \(probes\.etcd\): no such file/);
  });

  it('a process in another (or an unknown) network namespace is not probed', async () => {
    const gone = 2 ** 22 + 17; // above pid_max's default: no such process
    const run = await runProbes(plan({ ...get('kubelet-anonymous-auth', 1, '/pods'), pid: gone }), {
      timeoutMs: 500,
      proc: '/proc',
    });
    assert.equal(run.results.records?.[0]?.outcome, 'not-run');
    assert.match(run.notes.join(), /network namespace/);
  });
});

describe('tlsErrorText', () => {
  it('keeps the alert, drops OpenSSL internals', () => {
    const raw =
      '801C8AAA247F0000:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 42\n';
    assert.equal(tlsErrorText(raw), 'sslv3 alert bad certificate');
    assert.equal(tlsErrorText('socket hang up'), 'socket hang up');
  });
});
