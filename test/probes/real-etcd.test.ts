// The etcd checks against a real etcd 3.4 (Debian etcd-server): each setup starts etcd on free
// loopback ports, runs `scs-node-audit --once --format json` against the real /proc and asserts
// every etcd check's status and the probe evidence behind it. Every etcd is stopped, also when
// an assertion fails (afterEach), and on process exit (test/support/etcd.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as connectTls } from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Report } from '../../src/report/types.js';
import {
  createTestPki,
  credentialsOf,
  enableEtcdAuth,
  etcdUnavailable,
  freePort,
  exclusiveHost,
  removeDir,
  startEtcd,
  type EtcdSetup,
  type RunningEtcd,
  type TestPki,
} from '../support/etcd.js';
import { auditOnce, checkOf, describeCheck, probeEvidence, writeConfig } from '../support/cli.js';

/** Loopback as a probe URL names it: a wildcard bind is asked on 127.0.0.1, or on ::1 for `::`. */
const LOOPBACK = '(127\\.0\\.0\\.1|\\[::1\\])';

const ETCD_CHECKS = [
  'etcd-client-tls',
  'etcd-peer-tls',
  'etcd-client-cert-auth',
  'etcd-peer-cert-auth',
  'etcd-auth-enabled',
] as const;

function expectStatuses(report: Report, expected: Record<string, string>): void {
  for (const [id, status] of Object.entries(expected)) {
    const check = checkOf(report, id);
    assert.equal(check.status, status, describeCheck(check));
  }
}

function expectProbe(report: Report, id: string, pattern: RegExp): void {
  const check = checkOf(report, id);
  assert.ok(
    probeEvidence(check).some((d) => pattern.test(d)),
    `${id}: no probe evidence matching ${pattern}\n${describeCheck(check)}`,
  );
}

/** The audit looked at our etcd, not at another one on the machine. */
function expectAudited(report: Report, etcd: RunningEtcd): void {
  const component = report.components.find((c) => c.name === 'etcd');
  assert.equal(
    component?.pid,
    etcd.pid,
    `audited etcd: ${JSON.stringify(report.components)}; notes: ${report.notes.join(' | ')}`,
  );
}

/** etcd-isolated depends on whether a kubelet runs on this machine too (another test file may start one). */
function expectIsolation(report: Report): void {
  const kubelet = report.components.some((c) => c.name === 'kubelet');
  assert.equal(
    checkOf(report, 'etcd-isolated').status,
    kubelet ? 'fail' : 'pass',
    describeCheck(checkOf(report, 'etcd-isolated')),
  );
}

describe('live probes against a real etcd', { skip: etcdUnavailable() }, () => {
  let pki: TestPki;
  let work: string;
  const started: RunningEtcd[] = [];

  before(() => {
    pki = createTestPki();
    work = mkdtempSync(path.join(tmpdir(), 'scs-probe-etcd-'));
  });
  const stopAll = async () => {
    for (const etcd of started.splice(0)) await etcd.stop();
  };
  // Safety net; each test already stops what it started inside exclusiveHost.
  afterEach(stopAll);
  /** One test at a time on this machine, across test files, and everything it started stopped before the next. */
  const serial = (fn: () => Promise<void>) => () => exclusiveHost(fn, stopAll);
  after(() => {
    removeDir(work);
    removeDir(pki.dir);
  });

  const tlsFlags = (
    name: string,
    client: number,
    peer: number,
    certAuth: boolean,
    clientHost = '127.0.0.1',
    trustedCA = true,
  ) => [
    `--name=${name}`,
    `--data-dir=${path.join(work, `${name}.data`)}`,
    `--listen-client-urls=https://${clientHost}:${client}`,
    `--advertise-client-urls=https://127.0.0.1:${client}`,
    // Peers on every interface: a single member whose peer URLs are all loopback has no peer
    // traffic to judge (issue 9, case 'single member on loopback' below); these cases judge it.
    `--listen-peer-urls=https://0.0.0.0:${peer}`,
    `--initial-advertise-peer-urls=https://127.0.0.1:${peer}`,
    `--initial-cluster=${name}=https://127.0.0.1:${peer}`,
    `--cert-file=${pki.memberCert}`,
    `--key-file=${pki.memberKey}`,
    `--peer-cert-file=${pki.memberCert}`,
    `--peer-key-file=${pki.memberKey}`,
    // etcd demands client certificates whenever a trusted CA is set, client-cert-auth or not.
    ...(trustedCA ? [`--trusted-ca-file=${pki.caFile}`, `--peer-trusted-ca-file=${pki.caFile}`] : []),
    ...(certAuth ? ['--client-cert-auth', '--peer-client-cert-auth'] : []),
  ];
  /** Starts a real etcd and registers it for stopping in the same step, so none can be left running. */
  const launch = async (name: string, setup: EtcdSetup): Promise<RunningEtcd> => {
    const etcd = await startEtcd(work, name, setup);
    started.push(etcd);
    return etcd;
  };
  const probeConfig = (name: string) =>
    writeConfig(path.join(work, `${name}.config.yaml`), {
      probes: { etcd: { certFile: pki.probeCert, keyFile: pki.probeKey, caFile: pki.caFile } },
    });
  const emptyConfig = (name: string) => writeConfig(path.join(work, `${name}.empty.yaml`), {});

  it(
    '1: plain http:// client and peer URLs, metrics on 0.0.0.0',
    serial(async () => {
      const [client, peer, metrics] = [await freePort(), await freePort(), await freePort()];
      const etcd = await launch('plain', {
        args: [
          '--name=plain',
          `--data-dir=${path.join(work, 'plain.data')}`,
          `--listen-client-urls=http://127.0.0.1:${client}`,
          `--advertise-client-urls=http://127.0.0.1:${client}`,
          `--listen-peer-urls=http://0.0.0.0:${peer}`,
          `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
          `--initial-cluster=plain=http://127.0.0.1:${peer}`,
          `--listen-metrics-urls=http://0.0.0.0:${metrics}`,
        ],
        clientUrl: `http://127.0.0.1:${client}`,
      });
      const { report } = auditOnce(['--config', emptyConfig('plain')]);
      expectAudited(report, etcd);
      expectStatuses(report, {
        'etcd-client-tls': 'fail',
        'etcd-peer-tls': 'fail',
        'etcd-client-cert-auth': 'fail',
        'etcd-peer-cert-auth': 'fail',
        // Plain HTTP needs no credentials: the probe asks etcd 3.4 directly (no AuthStatus → Authenticate).
        'etcd-auth-enabled': 'fail',
        'endpoints-https': 'fail',
      });
      expectIsolation(report);
      expectProbe(report, 'etcd-auth-enabled', /authentication is not enabled/);
      expectProbe(
        report,
        'etcd-client-cert-auth',
        new RegExp(`http://127\\.0\\.0\\.1:${client}/version.*answered 200`),
      );
      // Go binds 0.0.0.0 as a dual-stack `::` socket; the probe then asks on ::1.
      expectProbe(report, 'endpoints-https', new RegExp(`${LOOPBACK}:${metrics}.*plain HTTP`));
    }),
  );

  it(
    '2: TLS without --client-cert-auth (and without a trusted CA), clients on 0.0.0.0',
    serial(async () => {
      const [client, peer] = [await freePort(), await freePort()];
      const etcd = await launch('tls-open', {
        args: tlsFlags('tls-open', client, peer, false, '0.0.0.0', false),
        clientUrl: `https://127.0.0.1:${client}`,
      });
      const { report } = auditOnce(['--config', emptyConfig('tls-open')]);
      expectAudited(report, etcd);
      expectStatuses(report, {
        'etcd-client-tls': 'pass',
        'etcd-peer-tls': 'pass',
        'etcd-client-cert-auth': 'fail',
        'etcd-peer-cert-auth': 'fail',
        // No client certificate needed: etcd answers anyone, and says auth is off.
        'etcd-auth-enabled': 'fail',
        'endpoints-https': 'pass',
      });
      expectIsolation(report);
      expectProbe(report, 'etcd-client-cert-auth', new RegExp(`https://${LOOPBACK}:${client}/version.*answered 200`));
      expectProbe(report, 'endpoints-https', new RegExp(`${LOOPBACK}:${client}.*TLS handshake completed`));
      expectProbe(report, 'etcd-auth-enabled', /without a client certificate.*auth disabled/);
    }),
  );

  it(
    '2b: TLS with --trusted-ca-file but without --client-cert-auth: certificates demanded, CN not used',
    serial(async () => {
      const [client, peer] = [await freePort(), await freePort()];
      const etcd = await launch('tls-ca', {
        args: tlsFlags('tls-ca', client, peer, false),
        clientUrl: `https://127.0.0.1:${client}`,
        credentials: credentialsOf(pki, 'root'),
      });
      const { report } = auditOnce(['--config', probeConfig('tls-ca')]);
      expectAudited(report, etcd);
      expectStatuses(report, {
        'etcd-client-tls': 'pass',
        'etcd-client-cert-auth': 'fail',
        'etcd-peer-cert-auth': 'fail',
        'etcd-auth-enabled': 'fail',
      });
      const check = checkOf(report, 'etcd-client-cert-auth');
      assert.match(check.message, /still refused .* without a client certificate/, describeCheck(check));
      expectProbe(report, 'etcd-client-cert-auth', /bad certificate|rejected|alert/i);
    }),
  );

  it(
    '3: TLS with client and peer certificate auth, ACL disabled',
    serial(async () => {
      const [client, peer] = [await freePort(), await freePort()];
      const etcd = await launch('certauth', {
        args: tlsFlags('certauth', client, peer, true),
        clientUrl: `https://127.0.0.1:${client}`,
        credentials: credentialsOf(pki, 'root'),
      });
      const { report } = auditOnce(['--config', probeConfig('certauth')]);
      expectAudited(report, etcd);
      expectStatuses(report, {
        'etcd-client-tls': 'pass',
        'etcd-peer-tls': 'pass',
        'etcd-client-cert-auth': 'pass',
        'etcd-peer-cert-auth': 'pass',
        'etcd-auth-enabled': 'fail',
        'endpoints-https': 'pass',
      });
      expectIsolation(report);
      expectProbe(report, 'etcd-client-cert-auth', /bad certificate|rejected|alert/i);
      expectProbe(
        report,
        'etcd-auth-enabled',
        new RegExp(`client certificate ${pki.probeCert.replaceAll('.', '\\.')}.*auth disabled`),
      );
    }),
  );

  it(
    '4: (3) plus a root user and `etcdctl auth enable`',
    serial(async () => {
      const [client, peer] = [await freePort(), await freePort()];
      const endpoint = `https://127.0.0.1:${client}`;
      const etcd = await launch('acl', {
        args: tlsFlags('acl', client, peer, true),
        clientUrl: endpoint,
        credentials: credentialsOf(pki, 'root'),
      });
      enableEtcdAuth(pki, endpoint);

      const { report } = auditOnce(['--config', probeConfig('acl')]);
      expectAudited(report, etcd);
      expectStatuses(report, {
        'etcd-client-cert-auth': 'pass',
        'etcd-peer-cert-auth': 'pass',
        'etcd-auth-enabled': 'pass',
      });
      expectProbe(report, 'etcd-auth-enabled', /auth enabled|only when auth is enabled/);

      // Without probe credentials (and no kubeadm certificate on this machine) nothing can tell.
      const blind = auditOnce(['--config', emptyConfig('acl')]).report;
      const check = checkOf(blind, 'etcd-auth-enabled');
      assert.equal(check.status, 'unknown', describeCheck(check));
      assert.match(check.message, /probes\.etcd\.certFile/);
      assert.match(check.message, /probes\.etcd\.keyFile/);

      // --no-probes: the configuration alone cannot show ACL state.
      const offline = auditOnce(['--no-probes', '--config', probeConfig('acl')]).report;
      assert.equal(checkOf(offline, 'etcd-auth-enabled').status, 'unknown');
      assert.deepEqual(
        offline.checks.flatMap((c) => c.evidence.filter((e) => e.source === 'probe')),
        [],
      );
    }),
  );

  it(
    'issue 9: single member on loopback, plain-HTTP peers: no peer traffic leaves the host, the peer checks pass',
    serial(async () => {
      const [client, peer] = [await freePort(), await freePort()];
      const etcd = await launch('loopback', {
        args: [
          '--name=loopback',
          `--data-dir=${path.join(work, 'loopback.data')}`,
          `--listen-client-urls=https://127.0.0.1:${client}`,
          `--advertise-client-urls=https://127.0.0.1:${client}`,
          `--listen-peer-urls=http://127.0.0.1:${peer}`,
          `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
          `--initial-cluster=loopback=http://127.0.0.1:${peer}`,
          `--cert-file=${pki.memberCert}`,
          `--key-file=${pki.memberKey}`,
        ],
        clientUrl: `https://127.0.0.1:${client}`,
        credentials: credentialsOf(pki, 'root'),
      });
      const { report } = auditOnce(['--config', emptyConfig('loopback')]);
      expectAudited(report, etcd);
      expectStatuses(report, { 'etcd-client-tls': 'pass', 'etcd-peer-tls': 'pass', 'etcd-peer-cert-auth': 'pass' });
      for (const id of ['etcd-peer-tls', 'etcd-peer-cert-auth'])
        assert.match(
          checkOf(report, id).message,
          /No etcd peer traffic leaves this host/,
          describeCheck(checkOf(report, id)),
        );
    }),
  );

  it(
    'issue 9: --auto-tls and --peer-auto-tls beside real certificates: etcd serves the given certificates, both TLS checks pass',
    serial(async () => {
      const [client, peer] = [await freePort(), await freePort()];
      const etcd = await launch('autotls', {
        args: [...tlsFlags('autotls', client, peer, true), '--auto-tls', '--peer-auto-tls'],
        clientUrl: `https://127.0.0.1:${client}`,
        credentials: credentialsOf(pki, 'root'),
      });
      // Verified against the test CA: a self-signed auto-TLS certificate would fail this handshake.
      for (const port of [client, peer]) assert.equal(await servedByTestCa(port), 'CN=etcd-member', `port ${port}`);
      // etcd-io/etcd:server/embed/config.go ClientSelfCert / PeerSelfCert say so in the log.
      const log = readFileSync(etcd.logFile, 'utf8');
      assert.match(log, /ignoring client auto TLS since certs given/);
      assert.match(log, /ignoring peer auto TLS since certs given/);

      const { report } = auditOnce(['--config', probeConfig('autotls')]);
      expectAudited(report, etcd);
      expectStatuses(report, { 'etcd-client-tls': 'pass', 'etcd-peer-tls': 'pass' });
      for (const id of ['etcd-client-tls', 'etcd-peer-tls'])
        assert.match(checkOf(report, id).message, /ignores it/, describeCheck(checkOf(report, id)));
    }),
  );

  /** The subject of the certificate etcd serves on `port`, verified against the test CA. */
  const servedByTestCa = (port: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const { cert, key, ca } = credentialsOf(pki, 'root');
      const socket = connectTls({ host: '127.0.0.1', port, ca, cert, key, servername: 'localhost' }, () => {
        const subject = socket.getPeerCertificate().subject;
        socket.end();
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- getPeerCertificate() is {} when the peer sent none (https://nodejs.org/api/tls.html#tlssocketgetpeercertificatedetailed)
        resolve(`CN=${String(subject?.CN)}`);
      });
      socket.setTimeout(5_000, () => socket.destroy(new Error('TLS handshake timed out')));
      socket.on('error', reject);
    });

  it(
    '5a: configured through --config-file only',
    serial(async () => {
      const [client, peer] = [await freePort(), await freePort()];
      const file = path.join(work, 'etcd.conf.yaml');
      writeFileSync(
        file,
        [
          'name: fromfile',
          `data-dir: ${path.join(work, 'fromfile.data')}`,
          `listen-client-urls: https://127.0.0.1:${client}`,
          `advertise-client-urls: https://127.0.0.1:${client}`,
          `listen-peer-urls: https://127.0.0.1:${peer}`,
          `initial-advertise-peer-urls: https://127.0.0.1:${peer}`,
          `initial-cluster: fromfile=https://127.0.0.1:${peer}`,
          'client-transport-security:',
          `  cert-file: ${pki.memberCert}`,
          `  key-file: ${pki.memberKey}`,
          `  trusted-ca-file: ${pki.caFile}`,
          '  client-cert-auth: true',
          'peer-transport-security:',
          `  cert-file: ${pki.memberCert}`,
          `  key-file: ${pki.memberKey}`,
          `  trusted-ca-file: ${pki.caFile}`,
          '  client-cert-auth: true',
          '',
        ].join('\n'),
      );
      const etcd = await launch('fromfile', {
        args: [`--config-file=${file}`],
        clientUrl: `https://127.0.0.1:${client}`,
        credentials: credentialsOf(pki, 'root'),
      });
      const { report } = auditOnce(['--config', probeConfig('fromfile')]);
      expectAudited(report, etcd);
      expectStatuses(report, {
        'etcd-client-tls': 'pass',
        'etcd-peer-tls': 'pass',
        'etcd-client-cert-auth': 'pass',
        'etcd-peer-cert-auth': 'pass',
        'etcd-auth-enabled': 'fail',
        'endpoints-https': 'pass',
      });
      for (const id of ETCD_CHECKS.slice(0, 4)) {
        assert.ok(
          checkOf(report, id).evidence.some((e) => e.source === 'config-file' && e.detail.includes(file)),
          describeCheck(checkOf(report, id)),
        );
      }
      expectProbe(report, 'etcd-client-cert-auth', /bad certificate|rejected|alert/i);
      // etcd 3.4 configured by file serves no HTTP gateway: the probe asks over gRPC.
      expectProbe(report, 'etcd-auth-enabled', /gRPC Authenticate.*auth disabled/);

      enableEtcdAuth(pki, `https://127.0.0.1:${client}`);
      const after = auditOnce(['--config', probeConfig('fromfile')]).report;
      expectStatuses(after, { 'etcd-auth-enabled': 'pass' });
      expectProbe(after, 'etcd-auth-enabled', /gRPC Authenticate.*auth enabled/);
    }),
  );

  it(
    '5b: configured through ETCD_* environment variables only',
    serial(async () => {
      const [client, peer] = [await freePort(), await freePort()];
      const env = {
        ETCD_NAME: 'fromenv',
        ETCD_DATA_DIR: path.join(work, 'fromenv.data'),
        ETCD_LISTEN_CLIENT_URLS: `https://127.0.0.1:${client}`,
        ETCD_ADVERTISE_CLIENT_URLS: `https://127.0.0.1:${client}`,
        ETCD_LISTEN_PEER_URLS: `https://127.0.0.1:${peer}`,
        ETCD_INITIAL_ADVERTISE_PEER_URLS: `https://127.0.0.1:${peer}`,
        ETCD_INITIAL_CLUSTER: `fromenv=https://127.0.0.1:${peer}`,
        ETCD_CERT_FILE: pki.memberCert,
        ETCD_KEY_FILE: pki.memberKey,
        ETCD_TRUSTED_CA_FILE: pki.caFile,
        ETCD_CLIENT_CERT_AUTH: 'true',
        ETCD_PEER_CERT_FILE: pki.memberCert,
        ETCD_PEER_KEY_FILE: pki.memberKey,
        ETCD_PEER_TRUSTED_CA_FILE: pki.caFile,
        ETCD_PEER_CLIENT_CERT_AUTH: 'true',
      };
      const etcd = await launch('fromenv', {
        env,
        clientUrl: `https://127.0.0.1:${client}`,
        credentials: credentialsOf(pki, 'root'),
      });
      const { report } = auditOnce(['--config', probeConfig('fromenv')]);
      expectAudited(report, etcd);
      expectStatuses(report, {
        'etcd-client-tls': 'pass',
        'etcd-peer-tls': 'pass',
        'etcd-client-cert-auth': 'pass',
        'etcd-peer-cert-auth': 'pass',
        'etcd-auth-enabled': 'fail',
        'endpoints-https': 'pass',
      });
      assert.ok(
        checkOf(report, 'etcd-client-cert-auth').evidence.some(
          (e) => e.source === 'env' && e.detail.includes('ETCD_CLIENT_CERT_AUTH=true'),
        ),
      );
      expectProbe(report, 'etcd-auth-enabled', /auth disabled/);
    }),
  );
});
