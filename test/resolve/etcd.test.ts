import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { referencedFiles, resolveEtcd } from '../../src/resolve/etcd/index.js';
import type { Resolved } from '../../src/resolve/resolved.js';
import { probeRecord, processInfo, type ProcessSpec } from '../support/host.js';

const PKI = '/etc/kubernetes/pki/etcd';
/** kubeadm's etcd static pod command (cmd/kubeadm/app/phases/etcd/local.go). */
const KUBEADM_ARGS = [
  '--advertise-client-urls=https://10.0.0.10:2379',
  `--cert-file=${PKI}/server.crt`,
  '--client-cert-auth=true',
  '--data-dir=/var/lib/etcd',
  '--initial-advertise-peer-urls=https://10.0.0.10:2380',
  '--initial-cluster=cp-1=https://10.0.0.10:2380',
  `--key-file=${PKI}/server.key`,
  '--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379',
  '--listen-metrics-urls=http://127.0.0.1:2381',
  '--listen-peer-urls=https://10.0.0.10:2380',
  '--name=cp-1',
  `--peer-cert-file=${PKI}/peer.crt`,
  '--peer-client-cert-auth=true',
  `--peer-key-file=${PKI}/peer.key`,
  `--peer-trusted-ca-file=${PKI}/ca.crt`,
  '--snapshot-count=10000',
  `--trusted-ca-file=${PKI}/ca.crt`,
];

function etcd(spec: Omit<ProcessSpec, 'component'>) {
  return resolveEtcd(processInfo({ component: 'etcd', ...spec }));
}

function value<T>(r: Resolved<T> | undefined): T {
  assert.ok(r, 'value is undefined');
  assert.ok(r.known, `expected a known value, got unknown: ${r.known ? '' : r.reason}`);
  return r.value;
}

function detail<T>(r: Resolved<T>): string {
  assert.ok(r.known, `expected a known value, got unknown: ${r.known ? '' : r.reason}`);
  return r.evidence.detail;
}

describe('resolveEtcd: flags and env', () => {
  it('kubeadm flags', () => {
    const r = etcd({ args: KUBEADM_ARGS });
    assert.equal(r.configSource, 'flags-and-env');
    assert.deepEqual(value(r.listenClientUrls), ['https://127.0.0.1:2379', 'https://10.0.0.10:2379']);
    assert.equal(value(r.clientCertAuth), true);
    assert.equal(detail(r.clientCertAuth), '--client-cert-auth=true');
    assert.equal(value(r.peerTrustedCAFile), `${PKI}/ca.crt`);
    assert.equal(value(r.autoTls), false);
    assert.equal(detail(r.autoTls), 'auto-tls=false, not set');
    assert.deepEqual(r.warnings, []);
  });

  it('defaults without any flag', () => {
    const r = etcd({ args: [] });
    assert.deepEqual(value(r.listenClientUrls), ['http://localhost:2379']);
    assert.equal(detail(r.listenClientUrls), 'listen-client-urls=http://localhost:2379, not set');
    assert.deepEqual(value(r.listenPeerUrls), ['http://localhost:2380']);
    assert.deepEqual(value(r.advertiseClientUrls), ['http://localhost:2379']);
    assert.deepEqual(value(r.listenMetricsUrls), []);
    assert.equal(value(r.clientCertAuth), false);
    assert.equal(value(r.certFile), undefined);
    assert.equal(r.trustedCA, undefined);
    assert.deepEqual(
      r.endpoints.map((e) => [e.purpose, e.scheme, e.address, e.port]),
      [
        ['client', 'http', 'localhost', 2379],
        ['peer', 'http', 'localhost', 2380],
      ],
    );
  });

  it('kubespray /etc/etcd.env style: ETCD_* env only', () => {
    const r = etcd({
      args: [],
      env: {
        ETCD_CLIENT_CERT_AUTH: 'true',
        ETCD_TRUSTED_CA_FILE: '/etc/ssl/etcd/ssl/ca.pem',
        ETCD_LISTEN_CLIENT_URLS: 'https://10.0.0.10:2379,https://127.0.0.1:2379',
      },
    });
    assert.equal(value(r.clientCertAuth), true);
    assert.equal(detail(r.clientCertAuth), 'env ETCD_CLIENT_CERT_AUTH=true');
    assert.equal(value(r.trustedCAFile), '/etc/ssl/etcd/ssl/ca.pem');
    assert.deepEqual(value(r.listenClientUrls), ['https://10.0.0.10:2379', 'https://127.0.0.1:2379']);
  });

  it('an empty ETCD_* variable counts as unset (pkg/flags setFlagFromEnv)', () => {
    const r = etcd({ args: [], env: { ETCD_CLIENT_CERT_AUTH: '' } });
    assert.equal(value(r.clientCertAuth), false);
    assert.equal(r.clientCertAuth.known && r.clientCertAuth.evidence.source, 'default');
  });

  it('a flag overrides the env variable, with a warning (etcd 3.4+ refuses the pair)', () => {
    const r = etcd({ args: ['--client-cert-auth=false'], env: { ETCD_CLIENT_CERT_AUTH: 'true' } });
    assert.equal(value(r.clientCertAuth), false);
    assert.equal(detail(r.clientCertAuth), '--client-cert-auth=false');
    assert.match(r.warnings.join('\n'), /ETCD_CLIENT_CERT_AUTH are both set/);
  });

  it('Go flag grammar: single dash, bare bool, last wins, no _ normalisation', () => {
    assert.equal(value(etcd({ args: ['-client-cert-auth=true'] }).clientCertAuth), true);
    const bare = etcd({ args: ['--client-cert-auth'] });
    assert.equal(value(bare.clientCertAuth), true);
    assert.equal(detail(bare.clientCertAuth), '--client-cert-auth (bare flag: true)');
    assert.equal(value(etcd({ args: ['--client-cert-auth=true', '--client-cert-auth=false'] }).clientCertAuth), false);
    assert.equal(value(etcd({ args: ['--client_cert_auth=true'] }).clientCertAuth), false);
    assert.equal(value(etcd({ args: ['-cert-file', '/a.crt', '--cert-file', '/b.crt'] }).certFile), '/b.crt');
  });

  it('-client-cert-auth false: parsing stops at "false"; etcd refuses such argv, so nothing is known', () => {
    const r = etcd({ args: ['-client-cert-auth', 'false', `--trusted-ca-file=${PKI}/ca.crt`] });
    assert.equal(r.clientCertAuth.known, false);
    assert.equal(r.trustedCAFile.known, false);
    assert.match(r.clientCertAuth.reason, /non-flag argument "false"/);
    assert.match(r.warnings.join('\n'), /flag parsing stops at "false": 1 later argument/);
    assert.deepEqual(r.endpoints, []);
  });

  it('a bool flag with a value Go cannot parse is unknown', () => {
    const r = etcd({ args: ['--client-cert-auth=yes'] });
    assert.equal(r.clientCertAuth.known, false);
    const env = etcd({ args: [], env: { ETCD_PEER_AUTO_TLS: 'on' } });
    assert.equal(env.peerAutoTls.known, false);
  });

  it('unreadable environ makes everything unknown (ETCD_CONFIG_FILE could hide there)', () => {
    const proc = processInfo({ component: 'etcd', args: KUBEADM_ARGS });
    const r = resolveEtcd({ ...proc, environUnreadable: 'EACCES' });
    assert.equal(r.clientCertAuth.known, false);
    assert.match(r.clientCertAuth.reason, /environment of etcd pid 1000/);
  });

  it('listen-client-urls without advertise-client-urls drops the default advertise URL', () => {
    const r = etcd({ args: ['--listen-client-urls=https://10.0.0.10:2379'] });
    assert.deepEqual(value(r.advertiseClientUrls), []);
  });
});

describe('resolveEtcd: config file', () => {
  const CONFIG = '/etc/etcd/etcd.yaml';

  it('--config-file wins over flags and env that say otherwise', () => {
    const r = etcd({
      args: [`--config-file=${CONFIG}`, '--client-cert-auth=true', '--listen-client-urls=https://10.0.0.10:2379'],
      env: { ETCD_PEER_CLIENT_CERT_AUTH: 'true' },
      files: {
        [CONFIG]: [
          'name: etcd-1',
          'listen-client-urls: http://10.0.0.10:2379',
          'client-transport-security:',
          '  client-cert-auth: false',
          '  cert-file: /etc/etcd/server.crt',
          '',
        ].join('\n'),
      },
    });
    assert.equal(r.configSource, 'config-file');
    assert.equal(r.configFile, CONFIG);
    assert.equal(value(r.clientCertAuth), false);
    assert.equal(detail(r.clientCertAuth), `${CONFIG}: client-transport-security.client-cert-auth=false`);
    assert.equal(value(r.peerClientCertAuth), false);
    assert.deepEqual(value(r.listenClientUrls), ['http://10.0.0.10:2379']);
    assert.equal(value(r.certFile), '/etc/etcd/server.crt');
    assert.equal(detail(r.listenPeerUrls), `listen-peer-urls=http://localhost:2380, not set in ${CONFIG}`);
    assert.match(
      r.warnings.join('\n'),
      /ignores every other flag and ETCD_\* variable: --client-cert-auth --listen-client-urls ETCD_PEER_CLIENT_CERT_AUTH$/,
    );
  });

  it('ignored flags are named without their values (no secret reaches a report)', () => {
    const r = etcd({ args: [`--config-file=${CONFIG}`, '--discovery-password=hunter2'], files: { [CONFIG]: '' } });
    assert.match(r.warnings.join('\n'), /--discovery-password/);
    assert.doesNotMatch(r.warnings.join('\n'), /hunter2/);
  });

  it('ETCD_CONFIG_FILE env, relative to the cwd', () => {
    const r = etcd({
      args: [],
      cwd: '/etc/etcd',
      env: { ETCD_CONFIG_FILE: 'etcd.yaml', ETCD_CLIENT_CERT_AUTH: 'false' },
      files: { 'etcd.yaml': 'client-transport-security:\n  client-cert-auth: yes\n' },
    });
    assert.equal(r.configSource, 'config-file');
    assert.equal(r.configFile, '/etc/etcd/etcd.yaml');
    assert.equal(value(r.clientCertAuth), true, 'YAML 1.1: yes is true');
  });

  it('misplaced peer-client-cert-auth inside peer-transport-security has no effect', () => {
    const r = etcd({
      args: [`--config-file=${CONFIG}`],
      files: {
        [CONFIG]: 'peer-transport-security:\n  peer-client-cert-auth: true\n  trusted-ca-file: /etc/etcd/ca.crt\n',
      },
    });
    assert.equal(value(r.peerClientCertAuth), false);
    assert.match(
      detail(r.peerClientCertAuth),
      /peer-transport-security\.peer-client-cert-auth is not an etcd key and is ignored/,
    );
    assert.equal(value(r.peerTrustedCAFile), '/etc/etcd/ca.crt');
    assert.match(r.warnings.join('\n'), /peer-transport-security\.peer-client-cert-auth is ignored by etcd/);
  });

  it('top-level client-cert-auth in a config file is ignored', () => {
    const r = etcd({ args: [`--config-file=${CONFIG}`], files: { [CONFIG]: 'client-cert-auth: true\n' } });
    assert.equal(value(r.clientCertAuth), false);
    assert.match(detail(r.clientCertAuth), /top-level client-cert-auth is ignored/);
  });

  it('keys match case-insensitively, as Go encoding/json does', () => {
    const r = etcd({
      args: [`--config-file=${CONFIG}`],
      files: { [CONFIG]: 'Client-Transport-Security:\n  Client-Cert-Auth: true\n' },
    });
    assert.equal(value(r.clientCertAuth), true);
  });

  it('an empty config file means every default', () => {
    const r = etcd({ args: [`--config-file=${CONFIG}`], files: { [CONFIG]: '' } });
    assert.equal(value(r.clientCertAuth), false);
    assert.deepEqual(value(r.listenClientUrls), ['http://localhost:2379']);
  });

  for (const [name, content, pattern] of [
    ['malformed YAML', 'client-transport-security: [unclosed\n', /not valid YAML/],
    ['a list at the top', '- a\n- b\n', /not a YAML mapping/],
    ['a quoted boolean etcd refuses', 'client-transport-security:\n  client-cert-auth: "true"\n', /must be a boolean/],
    ['a scalar transport section', 'peer-transport-security: on\n', /is not a mapping/],
    [
      'an alias bomb',
      `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from(
        { length: 12 },
        (_, i) =>
          `b${i}: &b${i} [${Array(10)
            .fill(i === 0 ? '*a' : `*b${i - 1}`)
            .join(', ')}]`,
      ).join('\n')}\n`,
      /has more than 100 aliases to expand \(an alias bomb\?\)/,
    ],
  ] as const) {
    it(`${name} ⇒ everything unknown, naming the file`, () => {
      const r = etcd({ args: [`--config-file=${CONFIG}`], files: { [CONFIG]: content } });
      for (const setting of [r.clientCertAuth, r.peerClientCertAuth, r.listenClientUrls, r.certFile]) {
        assert.equal(setting.known, false);
        assert.match(setting.reason, new RegExp(CONFIG.replaceAll('/', '\\/')));
        assert.match(setting.reason, pattern);
      }
      assert.deepEqual(r.endpoints, []);
    });
  }

  it('an unreadable config file ⇒ everything unknown, naming the file', () => {
    const r = etcd({ args: [`--config-file=${CONFIG}`], files: { [CONFIG]: { reason: 'permission' } } });
    assert.equal(r.clientCertAuth.known, false);
    assert.match(r.clientCertAuth.reason, /\/etc\/etcd\/etcd\.yaml could not be read \(permission\)/);
  });
});

describe('resolveEtcd: endpoints', () => {
  it('SCS cluster-stacks --listen-metrics-urls=http://0.0.0.0:2381 is a plain-http metrics endpoint', () => {
    const r = etcd({ args: [...KUBEADM_ARGS, '--listen-metrics-urls=http://0.0.0.0:2381'] });
    const metrics = r.endpoints.filter((e) => e.purpose === 'metrics');
    assert.deepEqual(metrics, [
      {
        component: 'etcd',
        pid: 1000,
        purpose: 'metrics',
        address: '0.0.0.0',
        port: 2381,
        scheme: 'http',
        evidence: { source: 'flag', detail: '--listen-metrics-urls=http://0.0.0.0:2381' },
      },
    ]);
    assert.deepEqual(
      r.endpoints
        .filter((e) => e.purpose !== 'metrics')
        .map((e) => `${e.purpose} ${e.scheme}://${e.address}:${e.port}`),
      ['client https://127.0.0.1:2379', 'client https://10.0.0.10:2379', 'peer https://10.0.0.10:2380'],
    );
  });

  it('IPv6 brackets removed, empty host is 0.0.0.0, unix sockets are not TCP endpoints', () => {
    const r = etcd({
      args: [
        '--listen-client-urls=https://[::1]:2379,https://:2379,unixs://etcd.sock:0',
        '--advertise-client-urls=https://x:2379',
      ],
    });
    assert.deepEqual(
      r.endpoints.filter((e) => e.purpose === 'client').map((e) => [e.address, e.port]),
      [
        ['::1', 2379],
        ['0.0.0.0', 2379],
      ],
    );
  });

  it('a URL without a port yields no endpoint but a warning', () => {
    const r = etcd({ args: ['--listen-metrics-urls=http://0.0.0.0'] });
    assert.equal(r.endpoints.filter((e) => e.purpose === 'metrics').length, 0);
    assert.match(r.warnings.join('\n'), /not a valid http\(s\):\/\/host:port URL/);
  });
});

describe('resolveEtcd: certificates and probes', () => {
  it('trusted CA certificates are read; unreadable CA is unknown', () => {
    const r = etcd({
      args: KUBEADM_ARGS,
      files: { [`${PKI}/ca.crt`]: { certificates: [{ commonName: 'etcd-ca', isCA: true, fingerprint256: 'AA:BB' }] } },
    });
    assert.equal(value(r.trustedCA)[0]!.fingerprint256, 'AA:BB');
    const missing = etcd({ args: KUBEADM_ARGS, files: { [`${PKI}/ca.crt`]: { reason: 'missing' } } });
    assert.equal(missing.trustedCA?.known, false);
  });

  it('probe answers become authStatus with probe evidence', () => {
    const proc = processInfo({ component: 'etcd', args: KUBEADM_ARGS });
    const r = resolveEtcd(proc, { etcd: { endpoint: 'https://127.0.0.1:2379', authEnabled: true } });
    assert.equal(value(r.authStatus), true);
    assert.equal(r.authStatus?.known && r.authStatus.evidence.source, 'probe');
    assert.equal(resolveEtcd(proc).authStatus, undefined);
  });

  it('the authStatus evidence names the request that answered: Authenticate on etcd 3.4, not AuthStatus', () => {
    const proc = processInfo({ component: 'etcd', args: KUBEADM_ARGS });
    const answeredOn34 = {
      etcd: { endpoint: 'https://127.0.0.1:2379', authEnabled: false },
      records: [
        probeRecord({
          probe: 'etcd-auth-enabled',
          component: 'etcd',
          target: 'gRPC https://127.0.0.1:2379/etcdserverpb.Auth/Authenticate',
          outcome: 'response',
          detail: 'auth disabled',
        }),
      ],
    };
    const r = resolveEtcd(proc, answeredOn34);
    assert.equal(
      r.authStatus?.known && r.authStatus.evidence.detail,
      'gRPC https://127.0.0.1:2379/etcdserverpb.Auth/Authenticate: enabled=false',
    );
  });
});

describe('referencedFiles', () => {
  it('flags: the trusted CA files as certificates, never key files', () => {
    const requests = referencedFiles(processInfo({ component: 'etcd', args: KUBEADM_ARGS }));
    assert.deepEqual(requests, [{ path: `${PKI}/ca.crt`, kind: 'certificate' }]);
  });

  it('env: ETCD_TRUSTED_CA_FILE', () => {
    const requests = referencedFiles(
      processInfo({ component: 'etcd', env: { ETCD_TRUSTED_CA_FILE: '/etc/ssl/etcd/ca.pem' } }),
    );
    assert.deepEqual(requests, [{ path: '/etc/ssl/etcd/ca.pem', kind: 'certificate' }]);
  });

  it('config file first, then the CA files it names once it has been read', () => {
    const before = referencedFiles(
      processInfo({ component: 'etcd', args: ['--config-file=/etc/etcd/etcd.yaml', '--trusted-ca-file=/ignored.crt'] }),
    );
    assert.deepEqual(before, [{ path: '/etc/etcd/etcd.yaml', kind: 'text' }]);
    const after = referencedFiles(
      processInfo({
        component: 'etcd',
        args: ['--config-file=/etc/etcd/etcd.yaml'],
        files: {
          '/etc/etcd/etcd.yaml':
            'client-transport-security:\n  trusted-ca-file: /etc/etcd/ca.crt\n  key-file: /etc/etcd/server.key\n',
        },
      }),
    );
    assert.deepEqual(after, [
      { path: '/etc/etcd/etcd.yaml', kind: 'text' },
      { path: '/etc/etcd/ca.crt', kind: 'certificate' },
    ]);
  });
});
