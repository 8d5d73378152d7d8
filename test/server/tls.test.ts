import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet, type RequestOptions } from 'node:https';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { silentLogger } from '../../src/log.js';
import { runDaemon, type DaemonHandle } from '../../src/server/daemon.js';
import { sampleReport } from '../support/sample-report.js';
import { createTestPki, type TestPki } from './test-pki.js';

let pki: TestPki;
before(() => {
  pki = createTestPki();
});
after(() => rmSync(pki.dir, { recursive: true, force: true }));

interface Answer {
  status: number;
  body: string;
}

function httpsRequest(url: string, options: RequestOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpsGet(url, { ...options, timeout: 5_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

function plainHttpRequest(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { timeout: 5_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

async function startDaemon(t: { after: (fn: () => Promise<void>) => void }, webConfig: string): Promise<DaemonHandle> {
  const file = join(pki.dir, `web-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, webConfig);
  const daemon = await runDaemon({
    settings: { config: {}, intervalMs: 60_000 },
    reload: () => ({ config: {}, intervalMs: 60_000 }),
    audit: () => sampleReport(),
    listen: '127.0.0.1:0',
    webConfigFile: file,
    logger: silentLogger,
    version: '0.1.0',
    handleSignals: false,
  });
  t.after(() => daemon.stop());
  return daemon;
}

const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

test('TLS with basic auth: right credentials 200, wrong and missing 401, plain HTTP refused', async (t) => {
  const daemon = await startDaemon(
    t,
    `tls_server_config:\n  cert_file: ${pki.files.serverCert}\n  key_file: ${pki.files.serverKey}\nbasic_auth_users:\n  prometheus: '${bcrypt.hashSync('scrape-me', 4)}'\n`,
  );
  assert.equal(daemon.scheme, 'https');
  const url = `https://${daemon.address}/metrics`;
  const right = await httpsRequest(url, { ca: pki.caCert, headers: basic('prometheus', 'scrape-me') });
  assert.equal(right.status, 200);
  assert.ok(right.body.includes('scs_node_audit_build_info'));
  assert.equal((await httpsRequest(url, { ca: pki.caCert, headers: basic('prometheus', 'nope') })).status, 401);
  assert.equal((await httpsRequest(url, { ca: pki.caCert, headers: basic('root', 'scrape-me') })).status, 401);
  assert.equal((await httpsRequest(url, { ca: pki.caCert })).status, 401);
  await assert.rejects(
    plainHttpRequest(`http://${daemon.address}/metrics`),
    'plain HTTP gets no answer from a TLS port',
  );
  await assert.rejects(
    httpsRequest(url, { headers: basic('prometheus', 'scrape-me') }),
    /self-signed|unable to verify|certificate/i,
    'the server is only trusted with the test CA',
  );
});

test('client_auth_type RequireAndVerifyClientCert: no certificate or a foreign one fails the handshake', async (t) => {
  const daemon = await startDaemon(
    t,
    `tls_server_config:\n  cert_file: ${pki.files.serverCert}\n  key_file: ${pki.files.serverKey}\n  client_ca_file: ${pki.files.ca}\n  client_auth_type: RequireAndVerifyClientCert\n`,
  );
  const url = `https://${daemon.address}/healthz`;
  assert.equal((await httpsRequest(url, { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey })).status, 200);
  await assert.rejects(httpsRequest(url, { ca: pki.caCert }), /certificate|alert|socket hang up|ECONNRESET/i);
  await assert.rejects(
    httpsRequest(url, { ca: pki.caCert, cert: pki.rogueClientCert, key: pki.rogueClientKey }),
    /certificate|alert|socket hang up|ECONNRESET/i,
  );
});

test('client_auth_type RequireAnyClientCert: a connection without a certificate is cut', async (t) => {
  const daemon = await startDaemon(
    t,
    `tls_server_config:\n  cert_file: ${pki.files.serverCert}\n  key_file: ${pki.files.serverKey}\n  client_auth_type: RequireAnyClientCert\n`,
  );
  const url = `https://${daemon.address}/healthz`;
  assert.equal(
    (await httpsRequest(url, { ca: pki.caCert, cert: pki.rogueClientCert, key: pki.rogueClientKey })).status,
    200,
    'any certificate is enough',
  );
  await assert.rejects(httpsRequest(url, { ca: pki.caCert }), /socket hang up|ECONNRESET|closed/i);
});

test('an invalid web config stops the start with an error naming the key', async () => {
  const file = join(pki.dir, 'broken-web.yml');
  writeFileSync(file, `tls_server_config:\n  cert_file: ${pki.files.serverCert}\n`);
  await assert.rejects(
    runDaemon({
      settings: { config: {}, intervalMs: 60_000 },
      reload: () => ({ config: {}, intervalMs: 60_000 }),
      audit: () => sampleReport(),
      listen: '127.0.0.1:0',
      webConfigFile: file,
      logger: silentLogger,
      version: '0.1.0',
      handleSignals: false,
    }),
    (error: Error & { key?: string }) => error.key === 'tls_server_config.key_file',
  );
});
