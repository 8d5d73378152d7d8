import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { referencedFiles, resolveApiserver, type ResolvedApiserver } from '../../src/resolve/kube-apiserver/index.js';
import type { Resolved } from '../../src/resolve/resolved.js';
import { processInfo, type ProcessSpec } from '../support/host.js';

const KUBEADM_ARGS = [
  '--advertise-address=10.0.0.10',
  '--allow-privileged=true',
  '--authorization-mode=Node,RBAC',
  '--client-ca-file=/etc/kubernetes/pki/ca.crt',
  '--enable-admission-plugins=NodeRestriction',
  '--enable-bootstrap-token-auth=true',
  '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
  '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
  '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
  '--etcd-servers=https://127.0.0.1:2379',
  '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
  '--secure-port=6443',
  '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
  '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
  '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
  '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
];

/** As the version stage finds it for registry.k8s.io/kube-apiserver:v1.34.2. */
const VERSION = {
  minor: '1.34',
  version: 'v1.34.2',
  evidence: { source: 'process' as const, detail: 'image registry.k8s.io/kube-apiserver:v1.34.2' },
};

function resolve(spec: Omit<ProcessSpec, 'component'>): ResolvedApiserver {
  return resolveApiserver(processInfo({ component: 'kube-apiserver', ...spec }), VERSION);
}

function value<T>(r: Resolved<T> | undefined): T {
  assert.ok(r, 'value is undefined');
  assert.ok(r.known, `expected a known value, got unknown: ${r.known ? '' : r.reason}`);
  return r.value;
}

function reason(r: Resolved<unknown> | undefined): string {
  assert.ok(r && !r.known, `expected unknown, got ${JSON.stringify(r)}`);
  return r.reason;
}

describe('resolveApiserver: a kubeadm control plane', () => {
  const api = resolve({
    args: KUBEADM_ARGS,
    files: {
      '/etc/kubernetes/pki/ca.crt': { certificates: [{ commonName: 'kubernetes', isCA: true }] },
      '/etc/kubernetes/pki/apiserver-etcd-client.crt': { certificates: [{ commonName: 'kube-apiserver-etcd-client' }] },
    },
  });

  it('authorization modes come from --authorization-mode', () =>
    assert.deepEqual(value(api.authorizationModes), ['Node', 'RBAC']));
  it('NodeRestriction (enabled) and PodSecurity (default-on) are both active', () => {
    const enabled = value(api.admissionPlugins).enabled;
    assert.ok(enabled.includes('NodeRestriction'));
    assert.ok(enabled.includes('PodSecurity'));
    assert.equal(value(api.admissionPlugins).provenance.PodSecurity?.source, 'default');
  });
  it('service account tokens are configured', () => {
    assert.deepEqual(api.authentication.serviceAccount.missing, []);
    assert.deepEqual(api.authentication.serviceAccount.issuers, ['https://kubernetes.default.svc.cluster.local']);
  });
  it('x509, request-header and bootstrap tokens are second methods', () =>
    assert.deepEqual(api.authentication.methods.map((m) => m.kind).sort(), [
      'bootstrap-token',
      'request-header',
      'x509',
    ]));
  it('anonymous auth defaults to true', () => assert.equal(value(api.anonymousAuth), true));
  it('PodSecurity defaults to privileged without an admission config', () =>
    assert.equal(value(api.podSecurity).enforce, undefined));
  it('etcd: servers, files and the client certificate', () => {
    assert.deepEqual(value(api.etcdServers), ['https://127.0.0.1:2379']);
    assert.equal(value(api.etcdKeyFile), '/etc/kubernetes/pki/apiserver-etcd-client.key');
    assert.equal(value(api.etcdClientCertificate)[0]?.commonName, 'kube-apiserver-etcd-client');
    assert.equal(value(api.clusterCA)[0]?.commonName, 'kubernetes');
  });
  it('serves https on 0.0.0.0:6443 and NodePorts 30000-32767', () => {
    assert.deepEqual(
      api.endpoints.map((e) => [e.purpose, e.address, e.port, e.scheme]),
      [['secure-port', '0.0.0.0', 6443, 'https']],
    );
    assert.deepEqual(value(api.serviceNodePortRange), { first: 30000, last: 32767 });
  });
});

describe('referencedFiles', () => {
  it('asks for configs and certificates, never key files or the static token file', () => {
    const requests = referencedFiles(
      processInfo({
        component: 'kube-apiserver',
        args: [
          ...KUBEADM_ARGS,
          '--token-auth-file=/etc/kubernetes/tokens.csv',
          '--authorization-config',
          '/etc/kubernetes/authz.yaml',
          '--authentication-config=/etc/kubernetes/authn.yaml',
          '--admission-control-config-file=/etc/kubernetes/admission.yaml',
        ],
      }),
    );
    assert.deepEqual(requests, [
      { path: '/etc/kubernetes/authz.yaml', kind: 'text' },
      { path: '/etc/kubernetes/authn.yaml', kind: 'text' },
      { path: '/etc/kubernetes/admission.yaml', kind: 'text' },
      { path: '/etc/kubernetes/pki/ca.crt', kind: 'certificate' },
      { path: '/etc/kubernetes/pki/apiserver-etcd-client.crt', kind: 'certificate' },
      { path: '/etc/kubernetes/pki/etcd/ca.crt', kind: 'certificate' },
    ]);
  });

  it('follows a plugin path: relative to the admission config directory, once that file is read', () => {
    const requests = referencedFiles(
      processInfo({
        component: 'kube-apiserver',
        cwd: '/var/run',
        args: ['--admission-control-config-file=conf/admission.yaml'],
        files: {
          '/var/run/conf/admission.yaml':
            'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  path: psa/podsecurity.yaml\n- name: EventRateLimit\n  path: /etc/kubernetes/erl.yaml\n',
        },
      }),
    );
    assert.deepEqual(requests, [
      { path: 'conf/admission.yaml', kind: 'text' },
      { path: '/var/run/conf/psa/podsecurity.yaml', kind: 'text' },
      { path: '/etc/kubernetes/erl.yaml', kind: 'text' },
    ]);
  });
});

const AUTHZ_NODE_RBAC =
  'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers:\n- type: Node\n  name: node\n- type: RBAC\n  name: rbac\n';

describe('authorization', () => {
  it('--authorization-config authorizers[].type, without --authorization-mode', () => {
    const api = resolve({
      args: ['--authorization-config=/etc/kubernetes/authz.yaml'],
      files: { '/etc/kubernetes/authz.yaml': AUTHZ_NODE_RBAC },
    });
    assert.deepEqual(value(api.authorizationModes), ['Node', 'RBAC']);
    assert.equal(api.authorizationModes.known && api.authorizationModes.evidence.source, 'config-file');
  });
  it('--authorization-config with --authorization-mode is unknown (the apiserver refuses both)', () => {
    const api = resolve({
      args: ['--authorization-config=/a.yaml', '--authorization-mode=Node,RBAC'],
      files: { '/a.yaml': AUTHZ_NODE_RBAC },
    });
    assert.match(reason(api.authorizationModes), /refuses to start/);
  });
  it('--authorization-config with an --authorization-webhook-* flag is unknown too', () => {
    const api = resolve({
      args: ['--authorization-config=/a.yaml', '--authorization-webhook-version=v1'],
      files: { '/a.yaml': AUTHZ_NODE_RBAC },
    });
    assert.match(reason(api.authorizationModes), /authorization-webhook-version/);
  });
  it('an unreadable authorization config is unknown, naming the file', () => {
    const api = resolve({ args: ['--authorization-config=/a.yaml'], files: { '/a.yaml': { reason: 'permission' } } });
    assert.match(reason(api.authorizationModes), /\/a\.yaml/);
  });
  it('an authorization config of the wrong kind is unknown', () => {
    const api = resolve({
      args: ['--authorization-config=/a.yaml'],
      files: { '/a.yaml': AUTHZ_NODE_RBAC.replace('AuthorizationConfiguration', 'AuthenticationConfiguration') },
    });
    assert.match(reason(api.authorizationModes), /does not hold a AuthorizationConfiguration/);
  });
  it('no flag at all is AlwaysAllow (default)', () => {
    const api = resolve({ args: [] });
    assert.deepEqual(value(api.authorizationModes), ['AlwaysAllow']);
    assert.equal(api.authorizationModes.known && api.authorizationModes.evidence.source, 'default');
  });
  it('an empty --authorization-mode= falls back to AlwaysAllow', () =>
    assert.deepEqual(value(resolve({ args: ['--authorization-mode='] }).authorizationModes), ['AlwaysAllow']));
  it('"Node, RBAC" keeps " RBAC" and warns that the apiserver rejects it', () => {
    const api = resolve({ args: ['--authorization-mode=Node, RBAC'] });
    assert.deepEqual(value(api.authorizationModes), ['Node', ' RBAC']);
    assert.ok(api.warnings.some((w) => w.includes('" RBAC"')));
  });
  it('kube-bench#2095: the space form after a boolean flag', () =>
    assert.deepEqual(
      value(resolve({ args: ['--profiling', '--authorization-mode', 'Node,RBAC'] }).authorizationModes),
      ['Node', 'RBAC'],
    ));
});

describe('authentication', () => {
  const authn = (body: string) =>
    `apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\n${body}`;
  it('--authentication-config jwt issuers are methods', () => {
    const api = resolve({
      args: ['--authentication-config=/authn.yaml'],
      files: {
        '/authn.yaml': authn(
          'jwt:\n- issuer:\n    url: https://idp.example\n    audiences: [k8s]\n  claimMappings:\n    username: {claim: sub}\n',
        ),
      },
    });
    assert.deepEqual(
      api.authentication.methods.map((m) => [m.kind, m.evidence.detail]),
      [['jwt', '/authn.yaml: jwt[].issuer.url=https://idp.example']],
    );
  });
  it('YAML 1.1: anonymous.enabled: off is false', () => {
    const api = resolve({
      args: ['--authentication-config=/authn.yaml'],
      files: { '/authn.yaml': authn('anonymous:\n  enabled: off\n') },
    });
    assert.equal(value(api.anonymousAuth), false);
  });
  it('anonymous in the file and --anonymous-auth together are unknown', () => {
    const api = resolve({
      args: ['--anonymous-auth=false', '--authentication-config=/authn.yaml'],
      files: { '/authn.yaml': authn('anonymous:\n  enabled: false\n') },
    });
    assert.match(reason(api.anonymousAuth), /both set/);
  });
  it('an unreadable authentication config marks the inventory incomplete', () => {
    const api = resolve({
      args: ['--authentication-config=/authn.yaml'],
      files: { '/authn.yaml': { reason: 'missing' } },
    });
    assert.match(api.authentication.incomplete ?? '', /\/authn\.yaml/);
  });
  it('--anonymous-auth=0 is false; --anonymous-auth=yes is unknown', () => {
    assert.equal(value(resolve({ args: ['--anonymous-auth=0'] }).anonymousAuth), false);
    assert.match(reason(resolve({ args: ['--anonymous-auth=yes'] }).anonymousAuth), /not a boolean/);
  });
  it('service account flags missing are listed; StringArray issuers accumulate', () => {
    const api = resolve({ args: ['--service-account-issuer=https://a', '--service-account-issuer', 'https://b'] });
    assert.deepEqual(api.authentication.serviceAccount.issuers, ['https://a', 'https://b']);
    assert.deepEqual(api.authentication.serviceAccount.missing, [
      '--service-account-key-file',
      '--service-account-signing-key-file',
    ]);
  });
  it('--enable-bootstrap-token-auth=false is not a method', () =>
    assert.deepEqual(resolve({ args: ['--enable-bootstrap-token-auth=false'] }).authentication.methods, []));
});

describe('admission plugins', () => {
  it('deprecated --admission-control is the complete list (kube-bench#432)', () => {
    const plugins = value(
      resolve({ args: ['--admission-control=NamespaceLifecycle,ServiceAccount,NodeRestriction'] }).admissionPlugins,
    );
    assert.deepEqual(plugins.enabled, ['NamespaceLifecycle', 'NodeRestriction', 'ServiceAccount']);
    assert.equal(plugins.mode, 'admission-control');
  });
  it('--admission-control with --enable-admission-plugins is unknown', () =>
    assert.match(
      reason(
        resolve({ args: ['--admission-control=NodeRestriction', '--enable-admission-plugins=PodSecurity'] })
          .admissionPlugins,
      ),
      /refuses to start/,
    ));
  it('a plugin both enabled and disabled is unknown', () =>
    assert.match(
      reason(
        resolve({ args: ['--enable-admission-plugins=PodSecurity', '--disable-admission-plugins=PodSecurity'] })
          .admissionPlugins,
      ),
      /both/,
    ));
  it('--disable-admission-plugins removes a default-on plugin', () => {
    const plugins = value(resolve({ args: ['--disable-admission-plugins', 'PodSecurity'] }).admissionPlugins);
    assert.ok(!plugins.enabled.includes('PodSecurity'));
    assert.equal(plugins.provenance.PodSecurity?.detail, '--disable-admission-plugins PodSecurity');
  });
  it('repeated --enable-admission-plugins accumulate', () => {
    const plugins = value(
      resolve({ args: ['--enable-admission-plugins=EventRateLimit', '--enable-admission-plugins=NodeRestriction'] })
        .admissionPlugins,
    );
    assert.ok(plugins.enabled.includes('EventRateLimit') && plugins.enabled.includes('NodeRestriction'));
  });
});

const ADMISSION = (plugin: string) =>
  `apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n${plugin}`;
const PSA = (defaults: string) =>
  `apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n${defaults}`;

describe('PodSecurity defaults', () => {
  const withAdmission = (content: string, extra: Record<string, string | { reason: 'missing' }> = {}) =>
    resolve({
      args: ['--admission-control-config-file=/etc/kubernetes/admission.yaml'],
      files: { '/etc/kubernetes/admission.yaml': content, ...extra },
    });

  it('inline configuration', () => {
    const ps = value(
      withAdmission(
        ADMISSION(
          '- name: PodSecurity\n  configuration:\n' +
            indent(PSA('  enforce: baseline\n  enforce-version: latest\n  audit: restricted\n'), 4),
        ),
      ).podSecurity,
    );
    assert.deepEqual(
      [ps.enforce, ps.enforceVersion, ps.audit, ps.warn],
      ['baseline', 'latest', 'restricted', undefined],
    );
    assert.equal(ps.location, '/etc/kubernetes/admission.yaml: plugins[PodSecurity].configuration');
  });
  it('path: relative to the admission config directory', () => {
    const ps = value(
      withAdmission(ADMISSION('- name: PodSecurity\n  path: psa.yaml\n'), {
        '/etc/kubernetes/psa.yaml': PSA('  enforce: restricted\n'),
      }).podSecurity,
    );
    assert.equal(ps.enforce, 'restricted');
  });
  it('inline configuration wins over path', () => {
    const ps = value(
      withAdmission(
        ADMISSION(
          '- name: PodSecurity\n  path: psa.yaml\n  configuration:\n' + indent(PSA('  enforce: baseline\n'), 4),
        ),
        { '/etc/kubernetes/psa.yaml': PSA('  enforce: restricted\n') },
      ).podSecurity,
    );
    assert.equal(ps.enforce, 'baseline');
  });
  it('a missing path file is unknown, naming it', () =>
    assert.match(
      reason(
        withAdmission(ADMISSION('- name: PodSecurity\n  path: psa.yaml\n'), {
          '/etc/kubernetes/psa.yaml': { reason: 'missing' },
        }).podSecurity,
      ),
      /\/etc\/kubernetes\/psa\.yaml/,
    ));
  it('YAML 1.1: enforce: no is a boolean the apiserver refuses, so unknown', () =>
    assert.match(
      reason(
        withAdmission(ADMISSION('- name: PodSecurity\n  configuration:\n' + indent(PSA('  enforce: no\n'), 4)))
          .podSecurity,
      ),
      /defaults\.enforce is false/,
    ));
  it('levels are case-sensitive', () =>
    assert.match(
      reason(
        withAdmission(ADMISSION('- name: PodSecurity\n  configuration:\n' + indent(PSA('  enforce: Baseline\n'), 4)))
          .podSecurity,
      ),
      /"Baseline"/,
    ));
  it('a version written as a number is unknown', () =>
    assert.match(
      reason(
        withAdmission(
          ADMISSION(
            '- name: PodSecurity\n  configuration:\n' +
              indent(PSA('  enforce: baseline\n  enforce-version: 1.30\n'), 4),
          ),
        ).podSecurity,
      ),
      /enforce-version/,
    ));
  it('an alias bomb is unknown, not a hang', () => {
    const level = (name: string, previous: string) =>
      `${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]\n`;
    const bomb =
      'a: &a [x, x, x, x, x, x, x, x, x, x]\n' +
      level('b', 'a') +
      level('c', 'b') +
      level('d', 'c') +
      level('e', 'd') +
      level('f', 'e');
    assert.match(
      reason(withAdmission(bomb).podSecurity),
      /admission\.yaml has more than 100 aliases to expand \(an alias bomb\?\)/,
    );
  });
  it('duplicate keys and multiple documents are unknown', () => {
    assert.match(
      reason(withAdmission('kind: AdmissionConfiguration\nkind: AdmissionConfiguration\n').podSecurity),
      /admission\.yaml has a duplicate key "kind" at line 2/,
    );
    assert.match(reason(withAdmission(ADMISSION('[]\n') + '---\nkind: x\n').podSecurity), /not valid YAML/);
  });
  it('a legacy unversioned file (imagePolicy) configures no PodSecurity', () =>
    assert.equal(value(withAdmission('imagePolicy:\n  kubeConfigFile: /x\n').podSecurity).enforce, undefined));
  it('no PodSecurity entry is the default, located in the file', () =>
    assert.match(
      value(withAdmission(ADMISSION('- name: EventRateLimit\n  path: erl.yaml\n')).podSecurity).location,
      /no PodSecurity configuration/,
    ));
  it('an unreadable admission config is unknown', () =>
    assert.match(
      reason(
        resolve({ args: ['--admission-control-config-file=/a.yaml'], files: { '/a.yaml': { reason: 'permission' } } })
          .podSecurity,
      ),
      /\/a\.yaml/,
    ));
});

describe('etcd and endpoints', () => {
  it('--etcd-servers-overrides servers are collected', () =>
    assert.deepEqual(
      resolve({ args: ['--etcd-servers-overrides=/events#http://e1:2379;https://e2:2379'] }).etcdServerOverrides
        .servers,
      ['http://e1:2379', 'https://e2:2379'],
    ));
  it('an unread etcd client certificate is unknown', () =>
    assert.match(reason(resolve({ args: ['--etcd-certfile=/c.crt'] }).etcdClientCertificate), /\/c\.crt/));
  it('old releases: --insecure-port on --insecure-bind-address (default 127.0.0.1) is plain http', () => {
    const api = resolve({ args: ['--insecure-port=8080', '--bind-address=10.0.0.10'] });
    assert.deepEqual(
      api.endpoints.map((e) => [e.purpose, e.address, e.port, e.scheme]),
      [
        ['secure-port', '10.0.0.10', 6443, 'https'],
        ['insecure-port', '127.0.0.1', 8080, 'http'],
      ],
    );
  });
  it('--insecure-port=0 and --secure-port=0 serve nothing', () =>
    assert.deepEqual(resolve({ args: ['--insecure-port=0', '--secure-port=0'] }).endpoints, []));
  it('--service-node-port-range forms', () => {
    assert.deepEqual(value(resolve({ args: ['--service-node-port-range=20000-22767'] }).serviceNodePortRange), {
      first: 20000,
      last: 22767,
    });
    assert.deepEqual(value(resolve({ args: ['--service-node-port-range', '30000+100'] }).serviceNodePortRange), {
      first: 30000,
      last: 30100,
    });
    assert.match(reason(resolve({ args: ['--service-node-port-range=a-b'] }).serviceNodePortRange), /not a port range/);
  });
});

function indent(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : ' '.repeat(spaces) + l))
    .join('\n');
}
