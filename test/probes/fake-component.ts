// A process that is a Kubernetes component to collect: node, hard-linked under the component's
// name in a root-owned directory, started as root with argv[0] set to that name and that name in
// /proc/self/comm (which collect reads first; the kernel sets it from the executable's file name,
// and node renames its own to MainThread), serving small
// HTTPS, plain-HTTP or silent listeners. It records whether a client presented a certificate,
// so tests can prove probes never send credentials to it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { componentBinary } from '../support/component-binary.js';
import { startTracked, type StartedProcess, type TestPki } from '../support/etcd.js';

export interface FakeListener {
  host: string;
  port: number;
  /** `silent` accepts connections and never answers a byte. */
  mode: 'https' | 'http' | 'silent';
  /** Status per path; anything else answers 404. */
  statuses?: Record<string, number>;
  /** JSON bodies per path (e.g. `/version`). */
  bodies?: Record<string, unknown>;
}

const SCRIPT = `
import fs from 'node:fs';
fs.writeFileSync('/proc/self/comm', process.argv0);
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
const listeners = JSON.parse(process.env.FAKE_LISTENERS);
const record = (line) => fs.appendFileSync(process.env.FAKE_RECORD, line + '\\n');
const handler = (spec) => (req, res) => {
  const cert = req.socket.getPeerCertificate ? req.socket.getPeerCertificate() : undefined;
  const presented = cert !== undefined && cert !== null && Object.keys(cert).length > 0;
  record(JSON.stringify({ port: spec.port, path: req.url, clientCertificate: presented, authorization: req.headers.authorization !== undefined }));
  const status = (spec.statuses || {})[req.url] || 404;
  const body = (spec.bodies || {})[req.url];
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === undefined ? '{}' : JSON.stringify(body));
};
const held = [];
for (const spec of listeners) {
  let server;
  if (spec.mode === 'https') {
    server = https.createServer({ key: fs.readFileSync(process.env.FAKE_KEY), cert: fs.readFileSync(process.env.FAKE_CERT), requestCert: true, rejectUnauthorized: false }, handler(spec));
  } else if (spec.mode === 'http') {
    server = http.createServer(handler(spec));
  } else {
    server = net.createServer((socket) => { held.push(socket); socket.on('error', () => {}); });
  }
  server.listen(spec.port, spec.host);
}
process.on('SIGTERM', () => process.exit(0));
`;

export interface FakeComponent extends StartedProcess {
  /** What the fake saw, one entry per HTTP request. */
  requests(): { port: number; path: string; clientCertificate: boolean; authorization: boolean }[];
}

/** Start `<component> <script> ...args` (argv[0] is the bare component name) and wait for its listeners. */
export async function startFakeComponent(
  component: string,
  args: string[],
  listeners: FakeListener[],
  pki: TestPki,
): Promise<FakeComponent> {
  const dir = mkdtempSync(path.join(tmpdir(), `scs-fake-${component}-`));
  const script = path.join(dir, 'fake.mjs');
  const recordFile = path.join(dir, 'requests.jsonl');
  writeFileSync(script, SCRIPT);
  writeFileSync(recordFile, '');
  // The component's name on a root-owned binary: the audit trusts it as the component it names.
  const started = startTracked(componentBinary(component), [script, ...args], {
    cwd: dir,
    argv0: component,
    logName: component,
    env: {
      FAKE_LISTENERS: JSON.stringify(listeners),
      FAKE_RECORD: recordFile,
      FAKE_KEY: pki.memberKey,
      FAKE_CERT: pki.memberCert,
    },
  });
  for (const l of listeners) await waitForPort(l.host, l.port, started);
  return {
    ...started,
    requests: () =>
      readFileSync(recordFile, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as ReturnType<FakeComponent['requests']>[number]),
  };
}

async function waitForPort(host: string, port: number, started: StartedProcess): Promise<void> {
  const connectHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null)
      throw new Error(`fake component exited with ${started.child.exitCode}: ${readFileSync(started.logFile, 'utf8')}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: connectHost, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`fake component: ${host}:${port} not listening within 10 s`);
}
