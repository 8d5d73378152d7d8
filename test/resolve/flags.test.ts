// Table tests of the flag grammar: the argv shapes a regex over `ps` output misreads (kube-bench's
// `flagTestItem.findValue`, aquasecurity/kube-bench:check/test.go) and the pflag / Go flag
// semantics the components really apply (spf13/pflag:flag.go, https://pkg.go.dev/flag), each row
// asserting what the component would see.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ETCD_FLAGS } from '../../src/resolve/flag-tables/etcd.js';
import { KUBE_APISERVER_FLAGS } from '../../src/resolve/flag-tables/kube-apiserver.js';
import { KUBELET_FLAGS } from '../../src/resolve/flag-tables/kubelet.js';
import {
  arrayFlag,
  boolFlag,
  booleansOf,
  intFlag,
  lastOccurrence,
  listFlag,
  parseFlags,
  parseGoBool,
  parseGoInt,
  splitCsv,
  stringFlag,
  type FlagGrammar,
} from '../../src/resolve/flags.js';

const BOOLEANS = new Set(['anonymous-auth', 'profiling', 'client-cert-auth', 'enable-bootstrap-token-auth']);
const parse = (args: string[], grammar: FlagGrammar = 'pflag') => parseFlags(args, grammar, BOOLEANS);

describe('flags: kube-bench misreadings (anchors §1.4)', () => {
  const rows: { name: string; args: string[]; grammar?: FlagGrammar; check: (f: ReturnType<typeof parse>) => void }[] =
    [
      {
        name: 'kube-bench#2095: --authorization-mode Node,RBAC (space form) is Node,RBAC, not "true"',
        args: ['--authorization-mode', 'Node,RBAC'],
        check: (f) => assert.deepEqual(listFlag(f, 'authorization-mode').values, ['Node', 'RBAC']),
      },
      {
        name: '--encryption-provider-config-automatic-reload=true does not set --encryption-provider-config',
        args: ['--encryption-provider-config-automatic-reload=true'],
        check: (f) => {
          assert.equal(stringFlag(f, 'encryption-provider-config'), undefined);
          assert.equal(stringFlag(f, 'encryption-provider-config-automatic-reload')?.value, 'true');
        },
      },
      {
        name: 'repeated --enable-admission-plugins accumulate (StringSlice)',
        args: ['--enable-admission-plugins=NodeRestriction', '--enable-admission-plugins=PodSecurity'],
        check: (f) =>
          assert.deepEqual(listFlag(f, 'enable-admission-plugins').values, ['NodeRestriction', 'PodSecurity']),
      },
      {
        name: '--authorization-mode=AlwaysAllow --authorization-mode=Node,RBAC is [AlwaysAllow Node RBAC], not the first',
        args: ['--authorization-mode=AlwaysAllow', '--authorization-mode=Node,RBAC'],
        check: (f) => assert.deepEqual(listFlag(f, 'authorization-mode').values, ['AlwaysAllow', 'Node', 'RBAC']),
      },
      {
        name: '--anonymous-auth=0 is false (strconv.ParseBool)',
        args: ['--anonymous-auth=0'],
        check: (f) => assert.deepEqual(pick(boolFlag(f, 'anonymous-auth')), { ok: true, value: false }),
      },
      {
        name: '--anonymous_auth=false is --anonymous-auth=false (underscores normalised)',
        args: ['--anonymous_auth=false'],
        check: (f) => assert.deepEqual(pick(boolFlag(f, 'anonymous-auth')), { ok: true, value: false }),
      },
      {
        name: 'etcd -client-cert-auth=true (Go flag, single dash) is found',
        args: ['-client-cert-auth=true'],
        grammar: 'goflag',
        check: (f) => assert.deepEqual(pick(boolFlag(f, 'client-cert-auth')), { ok: true, value: true }),
      },
      {
        name: 'kubelet --config-dir=/etc/kubelet.conf.d is not --config',
        args: ['--config-dir=/etc/kubelet.conf.d'],
        check: (f) => {
          assert.equal(stringFlag(f, 'config'), undefined);
          assert.equal(stringFlag(f, 'config-dir')?.value, '/etc/kubelet.conf.d');
        },
      },
    ];
  for (const row of rows) it(row.name, () => row.check(parse(row.args, row.grammar)));
});

function pick(
  v: ReturnType<typeof boolFlag> | ReturnType<typeof intFlag>,
): { ok: boolean; value?: unknown } | undefined {
  if (v === undefined) return undefined;
  return v.ok ? { ok: true, value: v.value } : { ok: false };
}

describe('flags: pflag grammar (anchors §4.1)', () => {
  it('--flag=value and --flag value give the same value for a non-boolean flag', () => {
    assert.equal(stringFlag(parse(['--etcd-cafile=/a']), 'etcd-cafile')?.value, '/a');
    const spaced = parse(['--etcd-cafile', '/a']);
    assert.equal(stringFlag(spaced, 'etcd-cafile')?.value, '/a');
    assert.equal(stringFlag(spaced, 'etcd-cafile')?.written, '--etcd-cafile /a');
    assert.deepEqual(spaced.positionals, []);
  });

  it('a bare boolean is true and does not take the next token', () => {
    const f = parse(['--profiling', '--secure-port', '6443']);
    assert.deepEqual(pick(boolFlag(f, 'profiling')), { ok: true, value: true });
    assert.deepEqual(pick(intFlag(f, 'secure-port')), { ok: true, value: 6443 });
  });

  it('--bool false (space form) is true; "false" is a stray argument the component would refuse', () => {
    const f = parse(['--anonymous-auth', 'false']);
    assert.deepEqual(pick(boolFlag(f, 'anonymous-auth')), { ok: true, value: true });
    assert.deepEqual(f.positionals, ['false']);
    assert.ok(f.warnings.some((w) => w.includes('"false"')));
  });

  const bools: [string, boolean | undefined][] = [
    ['1', true],
    ['t', true],
    ['T', true],
    ['TRUE', true],
    ['true', true],
    ['True', true],
    ['0', false],
    ['f', false],
    ['F', false],
    ['FALSE', false],
    ['false', false],
    ['False', false],
    ['yes', undefined],
    ['on', undefined],
    ['tRUE', undefined],
    ['', undefined],
    [' true', undefined],
  ];
  for (const [text, expected] of bools) {
    it(`--anonymous-auth=${JSON.stringify(text)} is ${expected === undefined ? 'not a boolean' : expected}`, () => {
      assert.equal(parseGoBool(text), expected);
      const v = boolFlag(parse([`--anonymous-auth=${text}`]), 'anonymous-auth');
      assert.deepEqual(pick(v), expected === undefined ? { ok: false } : { ok: true, value: expected });
      if (v && !v.ok) assert.match(v.problem, /is not a boolean/);
    });
  }

  it('repeated scalar flags: the last wins (string, int, bool)', () => {
    const f = parse([
      '--etcd-cafile=/a',
      '--secure-port=1',
      '--anonymous-auth=false',
      '--etcd-cafile',
      '/b',
      '--secure-port=2',
      '--anonymous-auth',
    ]);
    assert.equal(stringFlag(f, 'etcd-cafile')?.value, '/b');
    assert.deepEqual(pick(intFlag(f, 'secure-port')), { ok: true, value: 2 });
    assert.deepEqual(pick(boolFlag(f, 'anonymous-auth')), { ok: true, value: true });
  });

  it('an absent flag is undefined, not false or empty', () => {
    const f = parse([]);
    assert.equal(boolFlag(f, 'anonymous-auth'), undefined);
    assert.equal(stringFlag(f, 'etcd-cafile'), undefined);
    assert.equal(intFlag(f, 'secure-port'), undefined);
    assert.deepEqual(listFlag(f, 'authorization-mode'), { values: [], occurrences: [] });
  });

  it('StringSlice: CSV split without trimming ("Node, RBAC" yields " RBAC")', () => {
    assert.deepEqual(listFlag(parse(['--authorization-mode=Node, RBAC']), 'authorization-mode').values, [
      'Node',
      ' RBAC',
    ]);
  });

  it('StringSlice: CSV quotes are honoured', () => {
    assert.deepEqual(listFlag(parse(['--tls-cipher-suites="A,B",C']), 'tls-cipher-suites').values, ['A,B', 'C']);
    assert.deepEqual(splitCsv('"a""b",c'), ['a"b', 'c']);
  });

  it('StringSlice: an empty value is an occurrence with no values', () => {
    const l = listFlag(parse(['--enable-admission-plugins=']), 'enable-admission-plugins');
    assert.deepEqual(l.values, []);
    assert.equal(l.occurrences.length, 1);
  });

  it('StringSlice: only the first CSV record counts (an unquoted newline ends the value)', () => {
    assert.deepEqual(
      listFlag(parse(['--enable-admission-plugins=NodeRestriction\nPodSecurity']), 'enable-admission-plugins').values,
      ['NodeRestriction'],
    );
    assert.deepEqual(splitCsv('\n\nA,B'), ['A', 'B']);
    assert.deepEqual(splitCsv('A,B\r\nC'), ['A', 'B']);
    assert.deepEqual(splitCsv('"A\nB",C'), ['A\nB', 'C']);
    assert.deepEqual(splitCsv(''), []);
  });

  it('StringArray: occurrences accumulate and are not split', () => {
    const a = arrayFlag(
      parse(['--service-account-key-file=/a.pub,/b.pub', '--service-account-key-file', '/c.pub']),
      'service-account-key-file',
    );
    assert.deepEqual(a.values, ['/a.pub,/b.pub', '/c.pub']);
  });

  it('-- ends flag parsing', () => {
    const f = parse(['--secure-port=1', '--', '--secure-port=2', 'x']);
    assert.deepEqual(pick(intFlag(f, 'secure-port')), { ok: true, value: 1 });
    assert.deepEqual(f.positionals, ['--secure-port=2', 'x']);
  });

  it('single-dash long flags are not pflag flags (pflag reads them as shorthands and refuses them)', () => {
    const f = parse(['-anonymous-auth=false']);
    assert.equal(boolFlag(f, 'anonymous-auth'), undefined);
  });

  it('the klog shorthand -v takes its value: -v 2 and -v=2', () => {
    const f = parse(['-v', '2', '--secure-port=1', '-v=3']);
    assert.deepEqual(f.positionals, []);
    assert.deepEqual(pick(intFlag(f, 'secure-port')), { ok: true, value: 1 });
  });

  it('pflag continues after a positional argument (interspersed)', () => {
    const f = parse(['stray', '--secure-port=1']);
    assert.deepEqual(f.positionals, ['stray']);
    assert.deepEqual(pick(intFlag(f, 'secure-port')), { ok: true, value: 1 });
  });

  it('a non-boolean flag at the end without a value is kept, with a warning', () => {
    const f = parse(['--etcd-cafile']);
    assert.equal(stringFlag(f, 'etcd-cafile'), undefined);
    assert.ok(f.warnings.some((w) => w.includes('--etcd-cafile has no value')));
  });

  it('a non-boolean flag followed by another flag warns that the component took that flag as its value', () => {
    const f = parse(['--oidc-username-prefix', '--authorization-mode=Node,RBAC']);
    assert.ok(f.warnings.some((w) => w.includes('took "--authorization-mode=Node,RBAC" as its value')));
  });

  it('a negative number is a value in space form (--oom-score-adj -999)', () => {
    assert.deepEqual(pick(intFlag(parse(['--oom-score-adj', '-999']), 'oom-score-adj')), { ok: true, value: -999 });
  });
});

describe('flags: integers as Go reads them (strconv.ParseInt base 0)', () => {
  const rows: [string, number | undefined][] = [
    ['0', 0],
    ['10255', 10255],
    ['+7', 7],
    ['-1', -1],
    ['00', 0],
    ['010255', 4269],
    ['0x0', 0],
    ['0X1F', 31],
    ['0o17', 15],
    ['0b101', 5],
    ['1_000', 1000],
    ['0x_1f', 31],
    ['0_7', 7],
    ['08', undefined],
    ['1__0', undefined],
    ['1_', undefined],
    ['_1', undefined],
    ['0x', undefined],
    ['', undefined],
    ['1.5', undefined],
    [' 1', undefined],
    ['1e3', undefined],
  ];
  for (const [text, expected] of rows) {
    it(`${JSON.stringify(text)} is ${expected ?? 'refused'}`, () => {
      assert.equal(parseGoInt(text), expected);
      const v = intFlag(parse([`--read-only-port=${text}`]), 'read-only-port');
      assert.deepEqual(pick(v), expected === undefined ? { ok: false } : { ok: true, value: expected });
    });
  }
});

describe('flags: Go flag grammar (etcd)', () => {
  it('-flag and --flag are the same flag; -flag value takes the value', () => {
    const f = parse(['-name', 'etcd-1', '--data-dir=/var/lib/etcd'], 'goflag');
    assert.equal(stringFlag(f, 'name')?.value, 'etcd-1');
    assert.equal(stringFlag(f, 'data-dir')?.value, '/var/lib/etcd');
  });

  it('parsing stops at the first non-flag argument; later flags are ignored', () => {
    const f = parse(['-name=a', 'positional', '-client-cert-auth=true'], 'goflag');
    assert.equal(boolFlag(f, 'client-cert-auth'), undefined);
    assert.deepEqual(f.positionals, ['positional', '-client-cert-auth=true']);
    assert.ok(f.warnings.some((w) => w.includes('ignored')));
  });

  it('underscores are not normalised (Go flag has no normaliser)', () => {
    const f = parse(['--client_cert_auth=true'], 'goflag');
    assert.equal(boolFlag(f, 'client-cert-auth'), undefined);
    assert.ok(boolFlag(f, 'client_cert_auth'));
  });

  it('a boolean never takes the next argument; the last occurrence wins', () => {
    const f = parse(['-client-cert-auth', '-client-cert-auth=false', '-name', 'x'], 'goflag');
    assert.deepEqual(pick(boolFlag(f, 'client-cert-auth')), { ok: true, value: false });
    assert.equal(stringFlag(f, 'name')?.value, 'x');
  });

  it('-- ends flag parsing', () => {
    const f = parse(['-name=a', '--', '-name=b'], 'goflag');
    assert.equal(stringFlag(f, 'name')?.value, 'a');
    assert.deepEqual(f.positionals, ['-name=b']);
  });
});

describe('flags: exact grammar from the component flag tables', () => {
  const apiserver = (args: string[]) => parseFlags(args, 'pflag', KUBE_APISERVER_FLAGS);

  it('pflag: a value flag takes the next argument even when it looks like a flag (NodeRestriction is NOT enabled)', () => {
    const f = apiserver(['--oidc-username-prefix', '--enable-admission-plugins=NodeRestriction', '--secure-port=6443']);
    assert.equal(stringFlag(f, 'oidc-username-prefix')?.value, '--enable-admission-plugins=NodeRestriction');
    assert.deepEqual(listFlag(f, 'enable-admission-plugins').occurrences, []);
    assert.deepEqual(pick(intFlag(f, 'secure-port')), { ok: true, value: 6443 });
    assert.ok(f.warnings.some((w) => w.includes('took "--enable-admission-plugins=NodeRestriction" as that value')));
  });

  it('a known bool does not take the next argument, even a plain word', () => {
    const f = apiserver(['--enable-aggregator-routing', 'true']);
    assert.deepEqual(pick(boolFlag(f, 'enable-aggregator-routing')), { ok: true, value: true });
    assert.deepEqual(f.positionals, ['true']);
  });

  it('a known value flag at the very end keeps the "has no value" warning', () => {
    const f = apiserver(['--secure-port=6443', '--etcd-cafile']);
    assert.equal(stringFlag(f, 'etcd-cafile'), undefined);
    assert.ok(f.warnings.some((w) => w.includes('--etcd-cafile has no value')));
    assert.ok(!f.warnings.some((w) => w.includes('unknown')));
  });

  it('an unknown flag keeps the heuristic and is named in a warning', () => {
    const f = apiserver(['--made-up-flag', 'x', '--other-made-up', '--profiling=false']);
    assert.equal(stringFlag(f, 'made-up-flag')?.value, 'x');
    assert.equal(lastOccurrence(f, 'other-made-up')?.value, undefined);
    assert.deepEqual(pick(boolFlag(f, 'profiling')), { ok: true, value: false });
    assert.ok(f.warnings.some((w) => w.includes('--made-up-flag is unknown')));
    assert.ok(f.warnings.some((w) => w.includes('--other-made-up is unknown')));
  });

  it('an unknown flag in the = form is named too', () => {
    assert.ok(apiserver(['--not-a-flag=1']).warnings.some((w) => w.includes('--not-a-flag is unknown')));
  });

  it('etcd -name -x: Go flag gives a value flag the next argument unconditionally', () => {
    const f = parseFlags(['-name', '-x', '-client-cert-auth', '-data-dir', '/var/lib/etcd'], 'goflag', ETCD_FLAGS);
    assert.equal(stringFlag(f, 'name')?.value, '-x');
    assert.deepEqual(pick(boolFlag(f, 'client-cert-auth')), { ok: true, value: true });
    assert.equal(stringFlag(f, 'data-dir')?.value, '/var/lib/etcd');
    assert.equal(lastOccurrence(f, 'x'), undefined);
  });

  it('a kubelet bool missing from the old table is bare: --really-crash-for-testing /x is not a value', () => {
    const f = parseFlags(['--really-crash-for-testing', '/x'], 'pflag', KUBELET_FLAGS);
    assert.deepEqual(pick(boolFlag(f, 'really-crash-for-testing')), { ok: true, value: true });
    assert.deepEqual(f.positionals, ['/x']);
  });

  it('the boolean sets the resolvers export are derived from the tables', () => {
    for (const name of booleansOf(KUBELET_FLAGS))
      assert.equal(KUBELET_FLAGS[name as keyof typeof KUBELET_FLAGS], 'bool');
    assert.ok(booleansOf(KUBE_APISERVER_FLAGS).includes('anonymous-auth'));
    assert.ok(!booleansOf(KUBE_APISERVER_FLAGS).includes('oidc-username-prefix'));
  });
});
