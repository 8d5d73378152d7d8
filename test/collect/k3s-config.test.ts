// Rebuilding k3s's component command lines without a journal line: k3s's config merge, its flag
// grammar, its extra-argument merge and the built-in defaults per minor, as pure functions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeK3sConfig, parseK3sArgs, type K3sSetting } from '../../src/collect/sources/k3s-config.js';
import { mergeComponentArgs, rebuildK3sCommandLines } from '../../src/collect/sources/k3s-rebuild.js';
import { K3S_DEFAULTS, k3sMinor } from '../../src/collect/sources/k3s-defaults.js';

const MAIN = '/etc/rancher/k3s/config.yaml';
const DROP_IN = '/etc/rancher/k3s/config.yaml.d/50-x.yaml';

function merged(files: Array<[string, string]>): K3sSetting[] {
  const result = mergeK3sConfig(files.map(([path, text]) => ({ path, text })));
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.settings;
}

function problem(files: Array<[string, string]>): string {
  const result = mergeK3sConfig(files.map(([path, text]) => ({ path, text })));
  assert.ok(!result.ok, 'expected the merge to fail');
  return result.problem;
}

describe('k3s config files, merged as k3s merges them', () => {
  const table: Array<{ name: string; files: Array<[string, string]>; want: Array<[string, string, string]> }> = [
    {
      name: 'a later file replaces a scalar and a list',
      files: [
        [MAIN, 'data-dir: /a\nkubelet-arg:\n- x=1\n'],
        [DROP_IN, 'data-dir: /b\nkubelet-arg: [y=2]\n'],
      ],
      want: [
        ['data-dir', '/b', DROP_IN],
        ['kubelet-arg', 'y=2', DROP_IN],
      ],
    },
    {
      name: '`key+:` appends to the earlier list, each item keeping its file',
      files: [
        [MAIN, 'kubelet-arg:\n- x=1\n'],
        [DROP_IN, 'kubelet-arg+:\n- read-only-port=10255\n'],
      ],
      want: [
        ['kubelet-arg', 'x=1', MAIN],
        ['kubelet-arg', 'read-only-port=10255', DROP_IN],
      ],
    },
    {
      name: '`key+:` with no earlier value is the value',
      files: [[DROP_IN, 'kube-apiserver-arg+: [anonymous-auth=true]\n']],
      want: [['kube-apiserver-arg', 'anonymous-auth=true', DROP_IN]],
    },
    {
      name: 'keys keep the place they were first seen; booleans and numbers are written as k3s writes them',
      files: [
        [MAIN, 'secrets-encryption: true\nhttps-listen-port: 7443\n'],
        [DROP_IN, 'https-listen-port: 8443\n'],
      ],
      want: [
        ['secrets-encryption', 'true', MAIN],
        ['https-listen-port', '8443', DROP_IN],
      ],
    },
    { name: 'an empty file sets nothing', files: [[MAIN, '# nothing\n']], want: [] },
  ];
  for (const row of table) {
    it(row.name, () => {
      assert.deepEqual(
        merged(row.files).map((s) => [s.name, s.value, s.from]),
        row.want,
      );
    });
  }

  it('bad YAML names the file and the line', () => {
    assert.match(
      problem([
        [MAIN, 'ok: 1\n'],
        [DROP_IN, 'a: 1\nkubelet-arg: [x\n'],
      ]),
      /^\/etc\/rancher\/k3s\/config\.yaml\.d\/50-x\.yaml line 3: not valid YAML \(Flow sequence/,
    );
  });

  it('a value k3s cannot take as a flag (a mapping) names the file, line and key', () => {
    assert.equal(
      problem([[MAIN, 'a: 1\nkubelet-arg:\n  x: 1\n']]),
      `${MAIN} line 2: kubelet-arg holds a mapping, which k3s does not take as a flag value`,
    );
  });

  it('a file that is not a mapping is refused', () => {
    assert.equal(problem([[MAIN, '- a\n- b\n']]), `${MAIN}: not a mapping of k3s flags to values`);
  });
});

describe('k3s command-line flags (urfave/cli grammar)', () => {
  it('reads `--name=value`, `--name value`, bare booleans and the one-letter aliases', () => {
    const settings = parseK3sArgs(
      ['--secrets-encryption', '--data-dir', '/d', '-c', '/etc/k.yaml', '--node-name=n1', '--cluster-init'],
      'unit',
    );
    assert.deepEqual(
      settings.map((s) => [s.name, s.value]),
      [
        ['secrets-encryption', 'true'],
        ['data-dir', '/d'],
        ['config', '/etc/k.yaml'],
        ['node-name', 'n1'],
        ['cluster-init', 'true'],
      ],
    );
  });
});

describe("k3s's merge of --<component>-arg into the built-in arguments (util.GetArgs)", () => {
  const extra = (...values: string[]): K3sSetting[] =>
    values.map((value) => ({ name: 'kube-apiserver-arg', value, from: MAIN }));
  const table: Array<{ name: string; extra: K3sSetting[]; want: string[] }> = [
    {
      name: 'no extra: defaults, sorted by name',
      extra: [],
      want: ['--a=1', '--enable-admission-plugins=NodeRestriction'],
    },
    {
      name: '`name=value` replaces the default',
      extra: extra('enable-admission-plugins=PodSecurity'),
      want: ['--a=1', '--enable-admission-plugins=PodSecurity'],
    },
    {
      name: '`name+=value` appends after the default',
      extra: extra('enable-admission-plugins+=PodSecurity'),
      want: ['--a=1', '--enable-admission-plugins=NodeRestriction', '--enable-admission-plugins=PodSecurity'],
    },
    {
      name: '`name-=value` prepends before the default',
      extra: extra('enable-admission-plugins-=PodSecurity'),
      want: ['--a=1', '--enable-admission-plugins=PodSecurity', '--enable-admission-plugins=NodeRestriction'],
    },
    {
      name: 'a new flag without a value is `true`; a leading `--` is dropped',
      extra: extra('--anonymous-auth'),
      want: ['--a=1', '--anonymous-auth=true', '--enable-admission-plugins=NodeRestriction'],
    },
    {
      name: 'the same flag twice keeps both, in order',
      extra: extra('b=1', 'b=2'),
      want: ['--a=1', '--b=1', '--b=2', '--enable-admission-plugins=NodeRestriction'],
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const args = mergeComponentArgs({ 'enable-admission-plugins': 'NodeRestriction', a: '1' }, row.extra, 'default');
      assert.deepEqual(
        args.map((a) => a.arg),
        row.want,
      );
    });
  }

  it('says where each argument came from', () => {
    const args = mergeComponentArgs({ a: '1' }, extra('anonymous-auth=true'), 'k3s default');
    assert.deepEqual(args, [
      { arg: '--a=1', from: 'k3s default' },
      { arg: '--anonymous-auth=true', from: MAIN },
    ]);
  });
});

describe('rebuilding the command lines of a k3s server or agent', () => {
  const setting = (name: string, value: string, from = MAIN): K3sSetting => ({ name, value, from });
  const rebuild = (
    settings: K3sSetting[],
    opts: { role?: 'server' | 'agent'; version?: string | undefined; embeddedEtcd?: boolean } = {},
  ) =>
    rebuildK3sCommandLines({
      role: opts.role ?? 'server',
      version: 'version' in opts ? opts.version : 'v1.33.4+k3s1',
      settings,
      embeddedEtcd: opts.embeddedEtcd ?? false,
    });
  const argsOf = (result: ReturnType<typeof rebuild>, component: string): string[] => {
    assert.ok(result.ok, result.ok ? '' : result.problem);
    const found = result.components.find((c) => c.component === component);
    assert.ok(found, `${component} not rebuilt`);
    return found.args;
  };

  it('has a defaults table for each minor from 1.30 to 1.34, and none for others', () => {
    assert.deepEqual(Object.keys(K3S_DEFAULTS), ['1.30', '1.31', '1.32', '1.33', '1.34']);
    assert.equal(k3sMinor('v1.33.4+k3s1'), '1.33');
    assert.equal(k3sMinor('not a version'), undefined);
  });

  for (const version of ['v1.30.14+k3s2', 'v1.34.1+k3s1']) {
    it(`${version}: a default server's apiserver has k3s's hardening defaults`, () => {
      const args = argsOf(rebuild([], { version }), 'kube-apiserver');
      for (const want of [
        '--anonymous-auth=false',
        '--authorization-mode=Node,RBAC',
        '--enable-admission-plugins=NodeRestriction',
        '--profiling=false',
        '--secure-port=6444',
        '--bind-address=127.0.0.1',
        '--etcd-servers=unix://kine.sock',
        '--client-ca-file=/var/lib/rancher/k3s/server/tls/client-ca.crt',
      ]) {
        assert.ok(args.includes(want), `${want} missing from ${args.join(' ')}`);
      }
    });
  }

  it('a version with no table gives unknown, naming it', () => {
    const result = rebuild([], { version: 'v1.29.15+k3s1' });
    assert.deepEqual(result, {
      ok: false,
      problem: "the audit has no table of k3s's built-in defaults for v1.29.15+k3s1",
    });
  });

  it('an unknown version gives unknown, saying the version is not known', () => {
    const result = rebuild([], { version: undefined });
    assert.ok(!result.ok);
    assert.match(result.problem, /the k3s version is not known/);
  });

  it('the command line wins over the config file: the last value of a scalar counts', () => {
    const args = argsOf(
      rebuild([setting('data-dir', '/from-file'), setting('data-dir', '/from-cli', 'command line')]),
      'kube-apiserver',
    );
    assert.ok(args.includes('--client-ca-file=/from-cli/server/tls/client-ca.crt'));
  });

  it('an operator argument overrides a default and is named with its file', () => {
    const result = rebuild([setting('kube-apiserver-arg', 'anonymous-auth=true', DROP_IN)]);
    const args = argsOf(result, 'kube-apiserver');
    assert.ok(args.includes('--anonymous-auth=true') && !args.includes('--anonymous-auth=false'));
    assert.ok(result.ok);
    assert.match(
      result.components.find((c) => c.component === 'kube-apiserver')!.provenance,
      /set by the operator: --anonymous-auth=true from \/etc\/rancher\/k3s\/config\.yaml\.d\/50-x\.yaml/,
    );
  });

  it('kubelet-arg read-only-port=10255 replaces the built-in --read-only-port=0', () => {
    const args = argsOf(rebuild([setting('kubelet-arg', 'read-only-port=10255')]), 'kubelet');
    assert.deepEqual(
      args.filter((a) => a.startsWith('--read-only-port')),
      ['--read-only-port=10255'],
    );
  });

  it('an authorization-config file makes k3s leave --authorization-mode out', () => {
    const args = argsOf(
      rebuild([setting('kube-apiserver-arg', 'authorization-config=/etc/authz.yaml')]),
      'kube-apiserver',
    );
    assert.ok(!args.some((a) => a.startsWith('--authorization-mode')));
  });

  it('--secrets-encryption, --https-listen-port and the datastore shape the defaults', () => {
    const embedded = argsOf(
      rebuild([setting('secrets-encryption', 'true'), setting('https-listen-port', '7443')], { embeddedEtcd: true }),
      'kube-apiserver',
    );
    for (const want of [
      '--encryption-provider-config=/var/lib/rancher/k3s/server/cred/encryption-config.json',
      '--secure-port=7444',
      '--etcd-servers=https://127.0.0.1:2379',
      '--etcd-certfile=/var/lib/rancher/k3s/server/tls/etcd/client.crt',
    ]) {
      assert.ok(embedded.includes(want), `${want} missing`);
    }
    const external = argsOf(
      rebuild([setting('datastore-endpoint', 'https://user:pw@etcd-1:2379'), setting('datastore-cafile', '/ca.crt')]),
      'kube-apiserver',
    );
    assert.ok(external.includes('--etcd-servers=https://etcd-1:2379') && external.includes('--etcd-cafile=/ca.crt'));
    const mysql = argsOf(
      rebuild([setting('datastore-endpoint', 'mysql://u:secret@tcp(db:3306)/k3s')]),
      'kube-apiserver',
    );
    assert.ok(mysql.includes('--etcd-servers=unix://kine.sock'));
  });

  it('a datastore endpoint is named but its value (credentials) never said', () => {
    const result = rebuild([setting('datastore-endpoint', 'mysql://u:secret@tcp(db:3306)/k3s')]);
    assert.ok(result.ok);
    assert.ok(result.components.every((c) => !c.provenance.includes('secret')));
  });

  it('--disable-* flags and the agent role leave components out (they do not run)', () => {
    const server = rebuild([setting('disable-scheduler', 'true'), setting('disable-kube-proxy', 'true')]);
    assert.ok(server.ok);
    assert.deepEqual(
      server.components.map((c) => c.component),
      ['kube-apiserver', 'kube-controller-manager', 'kubelet'],
    );
    const agent = rebuild([], { role: 'agent' });
    assert.ok(agent.ok);
    assert.deepEqual(
      agent.components.map((c) => c.component),
      ['kubelet', 'kube-proxy'],
    );
  });

  it('a port that is not a port names the flag and its file', () => {
    assert.deepEqual(rebuild([setting('https-listen-port', 'x')]), {
      ok: false,
      problem: `--https-listen-port=x (${MAIN}) is not a port`,
    });
  });
});
