import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessInfo } from '../../src/collect/types.js';
import { mergePatch, type JsonValue } from '../../src/resolve/json-merge-patch.js';
import { parseGoInt } from '../../src/resolve/flags.js';
import { referencedFiles, resolveKubelet, type ResolvedKubelet } from '../../src/resolve/kubelet/index.js';
import { dropinOrder } from '../../src/resolve/kubelet/layers.js';
import type { Resolved } from '../../src/resolve/resolved.js';
import { processInfo, type ProcessSpec } from '../support/host.js';
import { WORKER_1_PEM } from '../support/certificates.js';

const HEADER = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

function kubelet(spec: Omit<ProcessSpec, 'component'>): ResolvedKubelet {
  return resolveKubelet(processInfo({ component: 'kubelet', ...spec }));
}

function valueOf<T>(resolved: Resolved<T> | undefined): T {
  assert.ok(resolved, 'value expected');
  assert.ok(resolved.known, `expected a known value, got unknown: ${resolved.known ? '' : resolved.reason}`);
  return resolved.value;
}

function detailOf<T>(resolved: Resolved<T>): string {
  assert.ok(resolved.known, `expected a known value, got unknown: ${resolved.known ? '' : resolved.reason}`);
  return resolved.evidence.detail;
}

function reasonOf<T>(resolved: Resolved<T> | undefined): string {
  assert.ok(resolved, 'value expected');
  assert.ok(!resolved.known, `expected unknown, got ${resolved.known ? JSON.stringify(resolved.value) : ''}`);
  return resolved.reason;
}

describe('mergePatch (RFC 7386 appendix A)', () => {
  const cases: Array<[JsonValue, JsonValue, JsonValue]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, expected] of cases) {
    it(`${JSON.stringify(target)} + ${JSON.stringify(patch)}`, () =>
      assert.deepEqual(mergePatch(target, patch), expected));
  }

  it('modifies neither argument', () => {
    const target = { a: { b: 1 } };
    const patch = { a: { c: 2 } };
    mergePatch(target, patch);
    assert.deepEqual(target, { a: { b: 1 } });
    assert.deepEqual(patch, { a: { c: 2 } });
  });

  it('keeps a key named __proto__ as an ordinary key', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}}') as JsonValue;
    const merged = mergePatch({}, patch) as Record<string, unknown>;
    assert.ok(Object.hasOwn(merged, '__proto__'));
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});

describe('parseGoInt(text, 32) (strconv.ParseInt base 0, as pflag Int32 for the kubelet ports)', () => {
  const cases: Array<[string, number | undefined]> = [
    ['0', 0],
    ['10255', 10255],
    ['+5', 5],
    ['0x0', 0],
    ['0X10', 16],
    ['010', 8],
    ['0o17', 15],
    ['0b11', 3],
    ['08', undefined],
    ['1_0', 10],
    ['10_255', 10255],
    ['1__0', undefined],
    ['10_', undefined],
    ['abc', undefined],
    ['', undefined],
    ['10255 ', undefined],
    ['2147483648', undefined],
    ['-2147483648', -2147483648],
  ];
  for (const [text, expected] of cases) it(JSON.stringify(text), () => assert.equal(parseGoInt(text, 32), expected));
});

describe('dropinOrder', () => {
  it('takes .conf files only, in filepath.WalkDir order (directory contents where the directory sorts)', () => {
    assert.deepEqual(dropinOrder(['b.conf', 'a.conf', 'a/x.conf', 'a-b.conf', 'z.yaml', 'c.conf.bak', '.conf']), [
      '.conf',
      'a/x.conf',
      'a-b.conf',
      'a.conf',
      'b.conf',
    ]);
  });

  it('k3s ≥1.32 layout: the 20-cli-config-dir sub-directory comes last', () => {
    assert.deepEqual(
      dropinOrder(['20-cli-config-dir/extra-config.conf', '10-cli-config.conf', '00-k3s-defaults.conf']),
      ['00-k3s-defaults.conf', '10-cli-config.conf', '20-cli-config-dir/extra-config.conf'],
    );
  });
});

describe('referencedFiles', () => {
  it('asks for config, drop-in dir, kubeconfig first, then what they name', () => {
    const args = [
      '--config=kubelet_conf.json',
      '--config-dir',
      '/etc/kubernetes/kubelet.conf.d',
      '--kubeconfig=/etc/kubernetes/kubelet.conf',
    ];
    const first = referencedFiles(processInfo({ component: 'kubelet', args, cwd: '/var/lib/kubelet' }));
    assert.deepEqual(first, [
      { path: '/var/lib/kubelet/kubelet_conf.json', kind: 'text' },
      { path: '/etc/kubernetes/kubelet.conf.d', kind: 'dir' },
      { path: '/etc/kubernetes/kubelet.conf', kind: 'kubeconfig' },
    ]);

    const proc: ProcessInfo = processInfo({
      component: 'kubelet',
      args,
      cwd: '/var/lib/kubelet',
      files: {
        '/var/lib/kubelet/kubelet_conf.json': JSON.stringify({
          apiVersion: 'kubelet.config.k8s.io/v1beta1',
          kind: 'KubeletConfiguration',
          authentication: { x509: { clientCAFile: 'pki/ca.crt' } },
        }),
        '/etc/kubernetes/kubelet.conf': [
          'apiVersion: v1',
          'kind: Config',
          'current-context: default',
          'contexts: [{name: default, context: {cluster: default, user: default-auth}}]',
          'users: [{name: default-auth, user: {client-certificate: ../../var/lib/kubelet/pki/kubelet-client-current.pem, client-key: <redacted>}}]',
        ].join('\n'),
      },
      dirs: { '/etc/kubernetes/kubelet.conf.d': ['10-a.conf', 'README', 'sub/20-b.conf'] },
    });
    assert.deepEqual(referencedFiles(proc), [
      { path: '/var/lib/kubelet/kubelet_conf.json', kind: 'text' },
      { path: '/etc/kubernetes/kubelet.conf.d', kind: 'dir' },
      { path: '/etc/kubernetes/kubelet.conf.d/10-a.conf', kind: 'text' },
      { path: '/etc/kubernetes/kubelet.conf.d/sub/20-b.conf', kind: 'text' },
      { path: '/etc/kubernetes/kubelet.conf', kind: 'kubeconfig' },
      // Relative to the kubeconfig's directory.
      { path: '/var/lib/kubelet/pki/kubelet-client-current.pem', kind: 'certificate' },
      // Relative to the --config file's directory; asked for only once the drop-ins are read.
    ]);

    const withDropins: ProcessInfo = {
      ...proc,
      files: {
        ...proc.files,
        ...processInfo({
          component: 'kubelet',
          files: {
            '/etc/kubernetes/kubelet.conf.d/10-a.conf': HEADER,
            '/etc/kubernetes/kubelet.conf.d/sub/20-b.conf': HEADER,
          },
        }).files,
      },
    };
    assert.deepEqual(referencedFiles(withDropins).at(-1), { path: '/var/lib/kubelet/pki/ca.crt', kind: 'certificate' });
  });

  it('a flag --client-ca-file is relative to the cwd, and nothing is asked twice', () => {
    const requests = referencedFiles(
      processInfo({
        component: 'kubelet',
        args: ['--client-ca-file=ca.crt', '--client-ca-file', 'pki/ca.crt'],
        cwd: '/etc/kubernetes',
      }),
    );
    assert.deepEqual(requests, [{ path: '/etc/kubernetes/pki/ca.crt', kind: 'certificate' }]);
  });

  it('an empty --config= means no config file, as in the kubelet', () => {
    assert.deepEqual(referencedFiles(processInfo({ component: 'kubelet', args: ['--config='] })), []);
  });
});

describe('resolveKubelet: defaults', () => {
  it('without --config: the legacy command-line defaults', () => {
    const k = kubelet({ args: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] });
    assert.equal(valueOf(k.anonymousAuth), true);
    assert.equal(detailOf(k.anonymousAuth), 'authentication.anonymous.enabled=true, no --config given');
    assert.equal(valueOf(k.authorizationMode), 'AlwaysAllow');
    assert.equal(valueOf(k.webhookAuthentication), false);
    assert.equal(valueOf(k.readOnlyPort), 10255);
    assert.equal(valueOf(k.x509ClientCAFile), undefined);
    assert.equal(k.clusterCA, undefined);
    assert.deepEqual(
      k.endpoints.map((e) => `${e.purpose} ${e.scheme}://${e.address}:${e.port}`),
      ['secure-port https://0.0.0.0:10250', 'read-only-port http://0.0.0.0:10255', 'healthz http://127.0.0.1:10248'],
    );
  });

  it('with --config: v1beta1 defaults for every key the file leaves out', () => {
    const k = kubelet({
      args: ['--config=/var/lib/kubelet/config.yaml'],
      files: { '/var/lib/kubelet/config.yaml': HEADER },
    });
    assert.equal(valueOf(k.anonymousAuth), false);
    assert.match(detailOf(k.anonymousAuth), /, not set in --config \/var\/lib\/kubelet\/config\.yaml$/);
    assert.equal(valueOf(k.authorizationMode), 'Webhook');
    assert.equal(valueOf(k.webhookAuthentication), true);
    assert.equal(valueOf(k.readOnlyPort), 0);
    assert.deepEqual(
      k.endpoints.map((e) => e.purpose),
      ['secure-port', 'healthz'],
    );
  });

  it('an explicit zero address, port or mode in the file gets the default, as v1beta1 defaulting does', () => {
    const k = kubelet({
      args: ['--config=/c.yaml'],
      files: { '/c.yaml': `${HEADER}address: ""\nport: 0\nauthorization: {mode: ""}\nhealthzPort: 0\n` },
    });
    assert.equal(valueOf(k.address), '0.0.0.0');
    assert.equal(valueOf(k.port), 10250);
    assert.equal(valueOf(k.authorizationMode), 'Webhook');
    // healthzPort has a pointer default: an explicit 0 disables healthz.
    assert.equal(valueOf(k.healthzPort), 0);
    assert.ok(!k.endpoints.some((e) => e.purpose === 'healthz'));
  });
});

describe('resolveKubelet: config file, drop-ins, flags', () => {
  it('config-file values carry path and key', () => {
    const k = kubelet({
      args: ['--config=/var/lib/kubelet/config.yaml'],
      files: {
        '/var/lib/kubelet/config.yaml': `${HEADER}authentication:\n  anonymous:\n    enabled: false\nreadOnlyPort: 10256\naddress: 10.0.0.10\n`,
      },
    });
    assert.equal(detailOf(k.anonymousAuth), '/var/lib/kubelet/config.yaml: authentication.anonymous.enabled=false');
    assert.equal(detailOf(k.readOnlyPort), '/var/lib/kubelet/config.yaml: readOnlyPort=10256');
    assert.deepEqual(
      k.endpoints.find((e) => e.purpose === 'read-only-port'),
      {
        component: 'kubelet',
        pid: 1000,
        purpose: 'read-only-port',
        address: '10.0.0.10',
        port: 10256,
        scheme: 'http',
        evidence: {
          source: 'config-file',
          detail: '/var/lib/kubelet/config.yaml: address=10.0.0.10; /var/lib/kubelet/config.yaml: readOnlyPort=10256',
        },
      },
    );
  });

  it('YAML 1.1: `enabled: no` is false, `enabled: "no"` is a string and so unknown', () => {
    const no = kubelet({
      args: ['--config=/c.yaml'],
      files: { '/c.yaml': `${HEADER}authentication: {anonymous: {enabled: no}}\n` },
    });
    assert.equal(valueOf(no.anonymousAuth), false);
    const quoted = kubelet({
      args: ['--config=/c.yaml'],
      files: { '/c.yaml': `${HEADER}authentication: {anonymous: {enabled: "no"}}\n` },
    });
    assert.match(reasonOf(quoted.anonymousAuth), /\/c\.yaml: authentication\.anonymous\.enabled is no, not a boolean/);
  });

  it('a JSON config file is read as well', () => {
    const k = kubelet({
      args: ['--config', 'kubelet.json'],
      cwd: '/etc/kubernetes',
      files: {
        '/etc/kubernetes/kubelet.json':
          '{"kind":"KubeletConfiguration","apiVersion":"kubelet.config.k8s.io/v1beta1","readOnlyPort":10255}',
      },
    });
    assert.equal(valueOf(k.readOnlyPort), 10255);
    assert.equal(k.configFile, '/etc/kubernetes/kubelet.json');
  });

  it('drop-ins merge in order; the last one touching a key decides', () => {
    const k = kubelet({
      args: ['--config=/var/lib/kubelet/config.yaml', '--config-dir=/etc/kubernetes/kubelet.conf.d'],
      files: {
        '/var/lib/kubelet/config.yaml': `${HEADER}readOnlyPort: 0\n`,
        '/etc/kubernetes/kubelet.conf.d/10-x.conf': `${HEADER}readOnlyPort: 10255\nauthentication: {anonymous: {enabled: true}}\n`,
        '/etc/kubernetes/kubelet.conf.d/20-y.conf': `${HEADER}authentication: {webhook: {enabled: false}}\n`,
      },
      dirs: { '/etc/kubernetes/kubelet.conf.d': ['20-y.conf', '10-x.conf'] },
    });
    assert.equal(detailOf(k.readOnlyPort), '/etc/kubernetes/kubelet.conf.d/10-x.conf (drop-in): readOnlyPort=10255');
    // 20-y.conf patches authentication.webhook only: anonymous stays as 10-x.conf set it.
    assert.equal(valueOf(k.anonymousAuth), true);
    assert.equal(valueOf(k.webhookAuthentication), false);
    assert.equal(k.readOnlyPort.known && k.readOnlyPort.evidence.source, 'drop-in');
  });

  it('null in a drop-in deletes the key: the value before the drop-ins stays', () => {
    const k = kubelet({
      args: ['--config=/c.yaml', '--config-dir=/d'],
      files: {
        '/c.yaml': `${HEADER}readOnlyPort: 10300\n`,
        '/d/10.conf': `${HEADER}readOnlyPort: 10255\n`,
        '/d/20.conf': `${HEADER}readOnlyPort: null\n`,
      },
      dirs: { '/d': ['10.conf', '20.conf'] },
    });
    assert.equal(valueOf(k.readOnlyPort), 10300);
    assert.equal(detailOf(k.readOnlyPort), '/c.yaml: readOnlyPort=10300');
  });

  it('--config-dir without --config starts from the legacy defaults', () => {
    const k = kubelet({
      args: ['--config-dir=/d'],
      files: { '/d/10.conf': `${HEADER}readOnlyPort: 0\n` },
      dirs: { '/d': ['10.conf'] },
    });
    assert.equal(valueOf(k.readOnlyPort), 0);
    assert.equal(valueOf(k.anonymousAuth), true);
    assert.equal(valueOf(k.authorizationMode), 'AlwaysAllow');
  });

  it('flags win over file and drop-ins; the last repeat wins; `_` is `-`', () => {
    const k = kubelet({
      args: [
        '--config=/c.yaml',
        '--config-dir=/d',
        '--read-only-port=10255',
        '--read_only_port=0',
        '--authorization-mode',
        'Webhook',
      ],
      files: {
        '/c.yaml': `${HEADER}authorization: {mode: AlwaysAllow}\n`,
        '/d/10.conf': `${HEADER}readOnlyPort: 10255\n`,
      },
      dirs: { '/d': ['10.conf'] },
    });
    assert.equal(valueOf(k.readOnlyPort), 0);
    assert.equal(detailOf(k.readOnlyPort), '--read_only_port=0');
    assert.equal(detailOf(k.authorizationMode), '--authorization-mode Webhook');
  });

  it('a bare boolean flag is true, and a following "false" is a stray argument', () => {
    const k = kubelet({ args: ['--config=/c.yaml', '--anonymous-auth', 'false'], files: { '/c.yaml': HEADER } });
    assert.equal(valueOf(k.anonymousAuth), true);
    assert.equal(detailOf(k.anonymousAuth), '--anonymous-auth (bare flag: true)');
    assert.ok(k.warnings.some((w) => w.includes('"false"')));
  });

  it('a flag value that is not of its type is unknown (the kubelet would refuse it)', () => {
    const k = kubelet({ args: ['--read-only-port=abc', '--anonymous-auth=maybe'] });
    assert.match(reasonOf(k.readOnlyPort), /--read-only-port=abc/);
    assert.match(reasonOf(k.anonymousAuth), /--anonymous-auth=maybe/);
    assert.ok(!k.endpoints.some((e) => e.purpose === 'read-only-port'));
    assert.ok(k.warnings.some((w) => w.includes('read-only-port endpoint unknown')));
  });

  it('--read-only-port=010 is octal 8, as strconv.ParseInt base 0 reads it', () => {
    assert.equal(valueOf(kubelet({ args: ['--read-only-port=010'] }).readOnlyPort), 8);
  });
});

describe('resolveKubelet: bad input never guesses', () => {
  const unknownCases: Array<[string, Omit<ProcessSpec, 'component'>, keyof ResolvedKubelet, RegExp]> = [
    [
      'unreadable config file',
      { args: ['--config=/c.yaml'], files: { '/c.yaml': { reason: 'permission' } } },
      'anonymousAuth',
      /\/c\.yaml could not be read \(permission\)/,
    ],
    ['config file never read', { args: ['--config=/c.yaml'] }, 'readOnlyPort', /\/c\.yaml was not read/],
    [
      'malformed YAML',
      { args: ['--config=/c.yaml'], files: { '/c.yaml': `${HEADER}authentication: [\n` } },
      'anonymousAuth',
      /\/c\.yaml is not valid YAML/,
    ],
    ['empty file', { args: ['--config=/c.yaml'], files: { '/c.yaml': '' } }, 'anonymousAuth', /\/c\.yaml is empty/],
    [
      'two documents',
      { args: ['--config=/c.yaml'], files: { '/c.yaml': `${HEADER}---\n${HEADER}` } },
      'anonymousAuth',
      /\/c\.yaml holds more than one YAML document/,
    ],
    [
      'duplicate keys',
      { args: ['--config=/c.yaml'], files: { '/c.yaml': `${HEADER}readOnlyPort: 0\nreadOnlyPort: 10255\n` } },
      'readOnlyPort',
      /\/c\.yaml has a duplicate key "readOnlyPort" at line \d+/,
    ],
    [
      'not a KubeletConfiguration (a kubeconfig, kube-bench#852)',
      { args: ['--config=/c.yaml'], files: { '/c.yaml': 'apiVersion: v1\nkind: Config\n' } },
      'anonymousAuth',
      /has kind "Config", not KubeletConfiguration/,
    ],
    [
      'readOnlyPort: "abc"',
      { args: ['--config=/c.yaml'], files: { '/c.yaml': `${HEADER}readOnlyPort: "abc"\n` } },
      'readOnlyPort',
      /\/c\.yaml: readOnlyPort is abc, not a port number/,
    ],
    [
      'readOnlyPort: 70000',
      { args: ['--config=/c.yaml'], files: { '/c.yaml': `${HEADER}readOnlyPort: 70000\n` } },
      'readOnlyPort',
      /readOnlyPort is 70000/,
    ],
    [
      'anonymous: {enabled: "maybe"}',
      {
        args: ['--config=/c.yaml'],
        files: { '/c.yaml': `${HEADER}authentication: {anonymous: {enabled: "maybe"}}\n` },
      },
      'anonymousAuth',
      /authentication\.anonymous\.enabled is maybe/,
    ],
    [
      'authentication: true (a parent of the wrong type)',
      { args: ['--config=/c.yaml'], files: { '/c.yaml': `${HEADER}authentication: true\n` } },
      'anonymousAuth',
      /\/c\.yaml: authentication is true, not a mapping/,
    ],
    [
      'unlisted drop-in directory',
      { args: ['--config-dir=/d'], dirs: {} },
      'readOnlyPort',
      /drop-in directory \/d \(--config-dir\) was not read/,
    ],
    [
      'unreadable drop-in',
      { args: ['--config-dir=/d'], files: { '/d/10.conf': { reason: 'permission' } }, dirs: { '/d': ['10.conf'] } },
      'anonymousAuth',
      /kubelet drop-in \/d\/10\.conf could not be read/,
    ],
    [
      'wrong type in a drop-in',
      {
        args: ['--config-dir=/d'],
        files: { '/d/10.conf': `${HEADER}readOnlyPort: [1]\n` },
        dirs: { '/d': ['10.conf'] },
      },
      'readOnlyPort',
      /\/d\/10\.conf \(drop-in\): readOnlyPort is \[1\]/,
    ],
  ];
  for (const [name, spec, key, reason] of unknownCases) {
    it(name, () => assert.match(reasonOf(kubelet(spec)[key] as Resolved<unknown>), reason));
  }

  it('an alias bomb is refused, not expanded', () => {
    const bomb = `${HEADER}a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n`;
    const k = kubelet({ args: ['--config=/c.yaml'], files: { '/c.yaml': bomb } });
    assert.match(
      reasonOf(k.anonymousAuth),
      /kubelet config file \/c\.yaml has more than 100 aliases to expand \(an alias bomb\?\)/,
    );
  });

  it('a flag still decides when the config file is unreadable', () => {
    const k = kubelet({
      args: ['--config=/c.yaml', '--anonymous-auth=false'],
      files: { '/c.yaml': { reason: 'permission' } },
    });
    assert.equal(valueOf(k.anonymousAuth), false);
    assert.ok(!k.readOnlyPort.known);
  });

  it('an unreadable drop-in is overruled by a later drop-in that sets the key', () => {
    const k = kubelet({
      args: ['--config-dir=/d'],
      files: { '/d/10.conf': { reason: 'permission' }, '/d/20.conf': `${HEADER}readOnlyPort: 0\n` },
      dirs: { '/d': ['10.conf', '20.conf'] },
    });
    assert.equal(valueOf(k.readOnlyPort), 0);
    assert.ok(!k.anonymousAuth.known);
  });
});

describe('resolveKubelet: client CA, client certificate, node name', () => {
  it('a relative clientCAFile in the config file resolves against the file directory', () => {
    const k = kubelet({
      args: ['--config=/var/lib/kubelet/config.yaml'],
      files: {
        '/var/lib/kubelet/config.yaml': `${HEADER}authentication: {x509: {clientCAFile: ../../../etc/kubernetes/pki/ca.crt}}\n`,
        '/etc/kubernetes/pki/ca.crt': { certificates: [{ commonName: 'kubernetes', isCA: true }] },
      },
    });
    assert.equal(valueOf(k.x509ClientCAFile), '/etc/kubernetes/pki/ca.crt');
    assert.deepEqual(
      valueOf(k.clusterCA).map((c) => c.commonName),
      ['kubernetes'],
    );
  });

  it('an unreadable client CA file makes clusterCA unknown', () => {
    const k = kubelet({ args: ['--client-ca-file=/ca.crt'], files: { '/ca.crt': { reason: 'missing' } } });
    assert.match(reasonOf(k.clusterCA), /client CA file \/ca\.crt could not be read \(missing\)/);
  });

  const kubeconfig = (user: string): string =>
    `apiVersion: v1\nkind: Config\ncurrent-context: ctx\ncontexts:\n- name: ctx\n  context: {cluster: c, user: node}\nusers:\n- name: other\n  user: {token: <redacted>}\n- name: node\n  user: ${user}\n`;

  it('inline client-certificate-data is parsed', () => {
    const data = Buffer.from(WORKER_1_PEM).toString('base64');
    const k = kubelet({
      args: ['--kubeconfig=/etc/kubernetes/kubelet.conf'],
      files: { '/etc/kubernetes/kubelet.conf': kubeconfig(`{client-certificate-data: ${data}}`) },
    });
    const cert = valueOf(k.clientCertificate);
    assert.equal(cert.commonName, 'system:node:worker-1');
    assert.deepEqual(cert.organizations, ['system:nodes']);
    assert.match(
      detailOf(k.clientCertificate),
      /^\/etc\/kubernetes\/kubelet\.conf: users\[node\]\.client-certificate-data: /,
    );
  });

  // The kubelet presents the first block; with it unreadable, the second must not stand in for it.
  it('inline client-certificate-data with an unreadable block is unknown, not judged on the rest', () => {
    const corrupt = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    const data = Buffer.from(`${corrupt}${WORKER_1_PEM}`).toString('base64');
    const k = kubelet({
      args: ['--kubeconfig=/etc/kubernetes/kubelet.conf'],
      files: { '/etc/kubernetes/kubelet.conf': kubeconfig(`{client-certificate-data: ${data}}`) },
    });
    assert.match(
      reasonOf(k.clientCertificate),
      /client-certificate-data of user "node" holds a CERTIFICATE block that is not a readable X\.509 certificate/,
    );
  });

  it('a client-certificate file (kubeadm rotation symlink) is read from proc.files', () => {
    const k = kubelet({
      args: ['--kubeconfig=/etc/kubernetes/kubelet.conf'],
      files: {
        '/etc/kubernetes/kubelet.conf': kubeconfig(
          '{client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem}',
        ),
        '/var/lib/kubelet/pki/kubelet-client-current.pem': {
          certificates: [{ commonName: 'system:node:cp-1', organizations: ['system:nodes'] }],
        },
      },
    });
    assert.equal(valueOf(k.clientCertificate).commonName, 'system:node:cp-1');
  });

  it('no kubeconfig, a token user, an unreadable certificate: unknown with the reason', () => {
    assert.match(reasonOf(kubelet({ args: [] }).clientCertificate), /no --kubeconfig/);
    const token = kubelet({ args: ['--kubeconfig=/k'], files: { '/k': kubeconfig('{token: <redacted>}') } });
    assert.match(reasonOf(token.clientCertificate), /user "node" has no client certificate/);
    const missing = kubelet({
      args: ['--kubeconfig=/k'],
      files: { '/k': kubeconfig('{client-certificate: /pem}'), '/pem': { reason: 'missing' } },
    });
    assert.match(
      reasonOf(missing.clientCertificate),
      /client certificate \/pem \(from \/k\) could not be read \(missing\)/,
    );
  });

  it('--hostname-override is trimmed and lower-cased', () => {
    assert.equal(valueOf(kubelet({ args: ['--hostname-override', ' Worker-1 '] }).nodeName), 'worker-1');
    assert.equal(kubelet({ args: [] }).nodeName, undefined);
  });
});
