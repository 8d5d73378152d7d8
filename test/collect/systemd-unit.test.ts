// The systemd unit reader: pure parsing and expansion (systemd.syntax(7), systemd.service(5)
// "Command lines", systemd.exec(5)), and the kubelet reconstructed from a fake root's unit files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { collectSnapshot } from '../../src/collect/host.js';
import { readKubeletUnit } from '../../src/collect/kubelet-unit.js';
import { expandExecStart, parseEnvironmentFile, serviceEnvironment } from '../../src/collect/systemd-env.js';
import { extractWords, parseUnit } from '../../src/collect/systemd-syntax.js';
import { foldService, parseExecStart, type UnitFile } from '../../src/collect/systemd-unit.js';
import type { ProcessInfo } from '../../src/collect/types.js';
import { makeFakeRoot, type FakeRoot } from './fake-root.js';

const UNIT = 'kubelet.service';

/** The argv systemd would start for these files and environment files. */
function argvOf(files: UnitFile[], envFiles: string[] = []): string[] {
  const config = foldService(files, UNIT);
  assert.deepEqual(config.problems, []);
  assert.equal(config.execStart.length, 1, 'exactly one ExecStart= remains');
  return expandExecStart(config.execStart[0]!, serviceEnvironment(config, envFiles.map(parseEnvironmentFile)));
}

const KUBEADM_DROP_IN = [
  '# Note: This dropin only works with kubeadm and kubelet v1.11+',
  '[Service]',
  'Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"',
  'Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"',
  'EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env',
  'EnvironmentFile=-/etc/default/kubelet',
  'ExecStart=',
  'ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS',
  '',
].join('\n');
const KUBELET_DEB_UNIT =
  '[Unit]\nDescription=kubelet: The Kubernetes Node Agent\n\n[Service]\nExecStart=/usr/bin/kubelet\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\n';

describe('parseUnit (systemd.syntax(7))', () => {
  it('reads sections and assignments, trimming whitespace around =', () => {
    const unit = parseUnit('[Unit]\nDescription = x\n[Service]\n  ExecStart =  /usr/bin/kubelet  \n');
    assert.deepEqual(
      unit.assignments.map((a) => [a.section, a.key, a.value]),
      [
        ['Unit', 'Description', 'x'],
        ['Service', 'ExecStart', '/usr/bin/kubelet'],
      ],
    );
  });
  it('skips # and ; comments and lines without =', () => {
    const unit = parseUnit('[Service]\n# ExecStart=/bad\n; ExecStart=/bad\nnot an assignment\nExecStart=/good\n');
    assert.deepEqual(
      unit.assignments.map((a) => a.value),
      ['/good'],
    );
  });
  it('joins a line ending in a backslash with the next, the backslash read as a space', () => {
    const unit = parseUnit(
      '[Service]\nExecStart=/usr/local/bin/kubelet \\\n\t\t$KUBE_LOGTOSTDERR \\\n\t\t$KUBE_LOG_LEVEL\nRestart=always\n',
    );
    assert.deepEqual(
      unit.assignments.map((a) => [a.key, a.value]),
      [
        ['ExecStart', '/usr/local/bin/kubelet  $KUBE_LOGTOSTDERR  $KUBE_LOG_LEVEL'],
        ['Restart', 'always'],
      ],
    );
  });
  it('skips comment lines inside a continuation', () => {
    const unit = parseUnit('[Service]\nExecStart=/usr/bin/kubelet \\\n# --dropped\n  --kept\n');
    assert.equal(unit.assignments[0]?.value, '/usr/bin/kubelet  --kept');
  });
  it('an escaped backslash at the end does not continue the line', () => {
    const unit = parseUnit('[Service]\nExecStart=/bin/x a\\\\\nType=simple\n');
    assert.deepEqual(
      unit.assignments.map((a) => a.key),
      ['ExecStart', 'Type'],
    );
  });
  it('accepts CRLF line ends', () => {
    assert.deepEqual(
      parseUnit('[Service]\r\nExecStart=/a\r\n').assignments.map((a) => a.value),
      ['/a'],
    );
  });
});

describe('extractWords (extract_first_word with EXTRACT_UNQUOTE)', () => {
  const cases: Array<[string, string[]]> = [
    ['a  b\tc', ['a', 'b', 'c']],
    ['"a b" c', ['a b', 'c']],
    ['--labels="a=b c"', ['--labels=a=b c']],
    ['\'x "y"\'', ['x "y"']],
    ['""', ['']],
    ['a\\sb', ['a b']],
    ['tab\\there', ['tab\there']],
  ];
  for (const [input, words] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(words)}`, () => {
      assert.deepEqual(extractWords(input, { cunescape: true, unescapeRelax: true, relax: false }), {
        ok: true,
        words,
      });
    });
  }
  it('an unbalanced quote is an error, not a guess', () => {
    assert.equal(extractWords('"open', { cunescape: true, unescapeRelax: true, relax: false }).ok, false);
  });
});

describe('parseExecStart prefixes and specifiers', () => {
  it('drops - + ! prefixes and keeps the path', () => {
    const parsed = parseExecStart('-+/usr/bin/kubelet --v=2', UNIT, 'u');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.command.argv, ['/usr/bin/kubelet', '--v=2']);
  });
  it('@ makes the second word argv[0]', () => {
    const parsed = parseExecStart('@/usr/bin/kubelet kubelet --v=2', UNIT, 'u');
    assert.ok(parsed.ok);
    assert.equal(parsed.command.path, '/usr/bin/kubelet');
    assert.deepEqual(parsed.command.argv, ['kubelet', '--v=2']);
  });
  it(': turns off variable expansion', () => {
    const parsed = parseExecStart(':/usr/bin/kubelet $ARGS ${ARGS}', UNIT, 'u');
    assert.ok(parsed.ok);
    assert.deepEqual(expandExecStart(parsed.command, new Map([['ARGS', '--a --b']])), [
      '/usr/bin/kubelet',
      '$ARGS',
      '${ARGS}',
    ]);
  });
  it('%% is a percent sign and %n the unit name', () => {
    const parsed = parseExecStart('/usr/bin/kubelet --x=100%% --unit=%n', UNIT, 'u');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.command.argv, ['/usr/bin/kubelet', '--x=100%', '--unit=kubelet.service']);
  });
  it('a specifier that depends on the running system (%H) is not guessed', () => {
    assert.equal(parseExecStart('/usr/bin/kubelet --hostname-override=%H', UNIT, 'u').ok, false);
  });
  it('a | (shell) command line is not reconstructed', () => {
    assert.equal(parseExecStart('|/usr/bin/kubelet', UNIT, 'u').ok, false);
  });
});

describe('expandExecStart (systemd.service(5) "Command lines")', () => {
  const env = new Map([
    ['TWO', "'two two' too"],
    ['ARGS', '--a=1   --b="x y"'],
    ['EMPTY', ''],
  ]);
  const expand = (line: string) => {
    const parsed = parseExecStart(line, UNIT, 'u');
    assert.ok(parsed.ok);
    return expandExecStart(parsed.command, env);
  };
  it('$VAR as a word is split at whitespace, quotes in the value grouping words', () => {
    assert.deepEqual(expand('/bin/echo $TWO $ARGS'), ['/bin/echo', 'two two', 'too', '--a=1', '--b=x y']);
  });
  it('${VAR} stays one word with its whitespace', () => {
    assert.deepEqual(expand('/bin/echo ${TWO}'), ['/bin/echo', "'two two' too"]);
  });
  it('${VAR} inside a word is replaced in place', () => {
    assert.deepEqual(expand('/bin/echo --flag=${EMPTY}x'), ['/bin/echo', '--flag=x']);
  });
  it('an unset $VAR vanishes; an unset ${VAR} word is one empty argument', () => {
    assert.deepEqual(expand('/bin/echo $UNSET ${UNSET} end'), ['/bin/echo', '', 'end']);
  });
  it('$VAR inside a word is not expanded; $$ is a dollar', () => {
    assert.deepEqual(expand('/bin/echo --x=$TWO $$TWO'), ['/bin/echo', '--x=$TWO', '$TWO']);
  });
  it('a quoted "$VAR" is still a whole-word $VAR, since quotes go before expansion', () => {
    assert.deepEqual(expand('/bin/echo "$ARGS"'), ['/bin/echo', '--a=1', '--b=x y']);
  });
  it('values are expanded once: a value naming a variable stays literal', () => {
    const parsed = parseExecStart('/bin/echo $SELF ${SELF}', UNIT, 'u');
    assert.ok(parsed.ok);
    assert.deepEqual(expandExecStart(parsed.command, new Map([['SELF', '$SELF ${SELF}']])), [
      '/bin/echo',
      '$SELF',
      '${SELF}',
      '$SELF ${SELF}',
    ]);
  });
});

describe('foldService: unit and drop-ins merged', () => {
  it('kubeadm: the drop-in resets ExecStart= and the env files fill the variables', () => {
    const argv = argvOf(
      [
        { path: '/usr/lib/systemd/system/kubelet.service', text: KUBELET_DEB_UNIT },
        { path: '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf', text: KUBEADM_DROP_IN },
      ],
      [
        'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock --node-ip=10.0.0.5"\n',
        'KUBELET_EXTRA_ARGS=\n',
      ],
    );
    assert.deepEqual(argv, [
      '/usr/bin/kubelet',
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
      '--kubeconfig=/etc/kubernetes/kubelet.conf',
      '--config=/var/lib/kubelet/config.yaml',
      '--container-runtime-endpoint=unix:///run/containerd/containerd.sock',
      '--node-ip=10.0.0.5',
    ]);
  });
  it('without the reset, two ExecStart= remain (systemd refuses such a non-oneshot service)', () => {
    const config = foldService(
      [
        { path: 'a', text: KUBELET_DEB_UNIT },
        { path: 'b', text: '[Service]\nExecStart=/usr/bin/kubelet --v=9\n' },
      ],
      UNIT,
    );
    assert.equal(config.execStart.length, 2);
  });
  it('an empty Environment= resets earlier assignments', () => {
    const argv = argvOf([
      {
        path: 'a',
        text: '[Service]\nEnvironment=A=--one\nEnvironment=\nEnvironment=B=--two\nExecStart=/usr/bin/kubelet $A $B\n',
      },
    ]);
    assert.deepEqual(argv, ['/usr/bin/kubelet', '--two']);
  });
  it('several quoted assignments on one Environment= line, the later winning', () => {
    const argv = argvOf([
      { path: 'a', text: '[Service]\nEnvironment="A=--x y" B=--b \'A=--a z\'\nExecStart=/usr/bin/kubelet ${A} $B\n' },
    ]);
    assert.deepEqual(argv, ['/usr/bin/kubelet', '--a z', '--b']);
  });
  it('an EnvironmentFile= overrides Environment= regardless of order', () => {
    const argv = argvOf(
      [
        {
          path: 'a',
          text: '[Service]\nEnvironmentFile=/etc/default/kubelet\nEnvironment=KUBELET_EXTRA_ARGS=--from-environment\nExecStart=/usr/bin/kubelet $KUBELET_EXTRA_ARGS\n',
        },
      ],
      ['KUBELET_EXTRA_ARGS=--from-file\n'],
    );
    assert.deepEqual(argv, ['/usr/bin/kubelet', '--from-file']);
  });
  it('records optional (-) and required environment files; an empty assignment resets them', () => {
    const config = foldService(
      [
        {
          path: 'a',
          text: '[Service]\nEnvironmentFile=/gone\nEnvironmentFile=\nEnvironmentFile=-/etc/default/kubelet\nEnvironmentFile=/etc/kubernetes/kubelet.env\n',
        },
      ],
      UNIT,
    );
    assert.deepEqual(config.environmentFiles, [
      { path: '/etc/default/kubelet', optional: true },
      { path: '/etc/kubernetes/kubelet.env', optional: false },
    ]);
  });
  it('keys outside [Service] do not count', () => {
    const config = foldService(
      [{ path: 'a', text: '[Unit]\nExecStart=/bad\n[Service]\nExecStart=/usr/bin/kubelet\n' }],
      UNIT,
    );
    assert.deepEqual(
      config.execStart.map((c) => c.argv),
      [['/usr/bin/kubelet']],
    );
  });
  it('kubespray: kubelet.env variables, unset ones vanish', () => {
    const service = [
      '[Service]',
      'EnvironmentFile=-/etc/kubernetes/kubelet.env',
      'ExecStart=/usr/local/bin/kubelet \\',
      '\t\t$KUBE_LOGTOSTDERR \\',
      '\t\t$KUBE_LOG_LEVEL \\',
      '\t\t$KUBELET_API_SERVER \\',
      '\t\t$KUBELET_ADDRESS \\',
      '\t\t$KUBELET_PORT \\',
      '\t\t$KUBELET_HOSTNAME \\',
      '\t\t$KUBELET_ARGS \\',
      '\t\t$DOCKER_SOCKET \\',
      '\t\t$KUBELET_NETWORK_PLUGIN \\',
      '\t\t$KUBELET_VOLUME_PLUGIN \\',
      '\t\t$KUBELET_CLOUDPROVIDER',
      'Restart=always',
      '',
    ].join('\n');
    const env = [
      'KUBE_LOGTOSTDERR="--logtostderr=true"',
      'KUBE_LOG_LEVEL="--v=2"',
      'KUBELET_ADDRESS="--node-ip=10.0.2.11"',
      'KUBELET_HOSTNAME="--hostname-override=node1"',
      'KUBELET_ARGS="--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --config=/etc/kubernetes/kubelet-config.yaml --kubeconfig=/etc/kubernetes/kubelet.conf"',
      'KUBELET_CLOUDPROVIDER=""',
      'PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '',
    ].join('\n');
    assert.deepEqual(argvOf([{ path: '/etc/systemd/system/kubelet.service', text: service }], [env]), [
      '/usr/local/bin/kubelet',
      '--logtostderr=true',
      '--v=2',
      '--node-ip=10.0.2.11',
      '--hostname-override=node1',
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
      '--config=/etc/kubernetes/kubelet-config.yaml',
      '--kubeconfig=/etc/kubernetes/kubelet.conf',
    ]);
  });
});

describe('parseEnvironmentFile (systemd.exec(5) EnvironmentFile=)', () => {
  const cases: Array<[string, string, Array<[string, string]>]> = [
    ['double quotes keep spaces', 'A="x y"\n', [['A', 'x y']]],
    ['single quotes are literal', "A='$x \\n'\n", [['A', '$x \\n']]],
    ['comments (# and ;) and blank lines', '# c\n; c\n\nA=1\n', [['A', '1']]],
    ['no inline comment: # in a value is kept', 'A=x # y\n', [['A', 'x # y']]],
    ['trailing whitespace of an unquoted value is dropped', 'A=x   \n', [['A', 'x']]],
    ['whitespace around the key and after = is dropped', '  A  =  x\n', [['A', 'x']]],
    [
      'a later assignment is kept after an earlier one',
      'A=1\nA=2\n',
      [
        ['A', '1'],
        ['A', '2'],
      ],
    ],
    ['backslash-newline continues an unquoted value', 'A=x\\\ny\n', [['A', 'xy']]],
    ['escapes inside double quotes', 'A="a\\"b\\\\c\\$d\\e"\n', [['A', 'a"b\\c$d\\e']]],
    ['quotes may be concatenated', 'A="a b"\'c d\'e\n', [['A', 'a bc de']]],
    ['an empty value', 'A=\n', [['A', '']]],
    ['a line without = is ignored', 'JUSTAKEY\nA=1\n', [['A', '1']]],
    ['an invalid name is dropped', '1A=x\nA-B=y\nOK=z\n', [['OK', 'z']]],
    ['no newline at the end', 'A="x"', [['A', 'x']]],
    ['a quoted value may span lines', 'A="x\ny"\n', [['A', 'x\ny']]],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => assert.deepEqual(parseEnvironmentFile(text), expected));
  }
});

describe('readKubeletUnit and collect on a fake root', () => {
  const roots: FakeRoot[] = [];
  after(() => {
    for (const root of roots) root.remove();
  });
  const fake = () => {
    const root = makeFakeRoot();
    roots.push(root);
    return root;
  };
  const fileRoot = (root: FakeRoot) => ({ dir: root.root, description: 'under the fake root' });
  const noReferences = () => [];

  it('an offline kubeadm image: the kubelet comes from its unit, with a note naming the drop-in', () => {
    const root = fake();
    root.write('usr/lib/systemd/system/kubelet.service', KUBELET_DEB_UNIT);
    root.write('usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf', KUBEADM_DROP_IN);
    root.write(
      'var/lib/kubelet/kubeadm-flags.env',
      'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock"\n',
    );
    root.write('var/lib/kubelet/config.yaml', 'kind: KubeletConfiguration\n');
    const references = (proc: ProcessInfo) =>
      proc.args
        .filter((a) => a.startsWith('--config='))
        .map((a) => ({ path: a.slice('--config='.length), kind: 'text' as const }));
    const snapshot = collectSnapshot({ root: root.root, references });
    const kubelet = snapshot.processes.find((p) => p.component === 'kubelet');
    assert.ok(kubelet);
    assert.equal(kubelet.source, 'systemd-unit');
    assert.equal(kubelet.pid, 0);
    assert.equal(kubelet.unitPath, '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf');
    assert.deepEqual(kubelet.args, [
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
      '--kubeconfig=/etc/kubernetes/kubelet.conf',
      '--config=/var/lib/kubelet/config.yaml',
      '--container-runtime-endpoint=unix:///run/containerd/containerd.sock',
    ]);
    // Files the kubelet names are read as for a process, from the root.
    assert.equal(kubelet.files['/var/lib/kubelet/config.yaml']?.ok, true);
    assert.ok(
      snapshot.notes.some((n) =>
        n.includes(
          'audited the command line its systemd unit /usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf would start',
        ),
      ),
    );
  });

  it('a visible kubelet process wins over its unit', () => {
    const root = fake();
    root.write('etc/systemd/system/kubelet.service', '[Service]\nExecStart=/usr/bin/kubelet --from-unit\n');
    root.addProcess(812, { argv: ['/usr/bin/kubelet', '--from-process'], cwd: '/' });
    const snapshot = collectSnapshot({ root: root.root, references: noReferences });
    assert.deepEqual(
      snapshot.processes.map((p) => [p.source, p.args]),
      [['process', ['--from-process']]],
    );
  });

  it('a drop-in in /etc masks the same-named one in /usr/lib, and names sort across directories', () => {
    const root = fake();
    root.write('usr/lib/systemd/system/kubelet.service', '[Service]\nExecStart=/usr/bin/kubelet\n');
    root.write(
      'usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf',
      '[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --from-usr\n',
    );
    root.write(
      'etc/systemd/system/kubelet.service.d/10-kubeadm.conf',
      '[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --from-etc $EXTRA\n',
    );
    root.write('usr/lib/systemd/system/kubelet.service.d/20-extra.conf', '[Service]\nEnvironment=EXTRA=--from-20\n');
    root.write('etc/systemd/system/kubelet.service.d/05-early.conf', '[Service]\nEnvironment=EXTRA=--from-05\n');
    root.write('etc/systemd/system/kubelet.service.d/ignored.txt', '[Service]\nExecStart=/bad\n');
    const unit = readKubeletUnit(fileRoot(root));
    assert.equal(unit.kind, 'command');
    assert.deepEqual(unit.argv, ['/usr/bin/kubelet', '--from-etc', '--from-20']);
    assert.equal(unit.execStartFile, '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf');
  });

  it('the first kubelet.service on the search path wins', () => {
    const root = fake();
    root.write('etc/systemd/system/kubelet.service', '[Service]\nExecStart=/usr/local/bin/kubelet --etc\n');
    root.write('lib/systemd/system/kubelet.service', '[Service]\nExecStart=/usr/bin/kubelet --lib\n');
    const unit = readKubeletUnit(fileRoot(root));
    assert.deepEqual(unit.kind === 'command' && unit.argv, ['/usr/local/bin/kubelet', '--etc']);
  });

  it('a unit linked to /dev/null is masked: no kubelet, and a note says so', () => {
    const root = fake();
    root.link('etc/systemd/system/kubelet.service', '/dev/null');
    root.write('usr/lib/systemd/system/kubelet.service', '[Service]\nExecStart=/usr/bin/kubelet\n');
    const snapshot = collectSnapshot({ root: root.root, references: noReferences });
    assert.equal(snapshot.processes.length, 0);
    assert.ok(snapshot.notes.some((n) => n.includes('masked (/etc/systemd/system/kubelet.service)')));
  });

  it('a missing optional EnvironmentFile is skipped; a missing required one stops the reconstruction', () => {
    const root = fake();
    root.write(
      'etc/systemd/system/kubelet.service',
      '[Service]\nEnvironmentFile=-/etc/default/kubelet\nExecStart=/usr/bin/kubelet $KUBELET_EXTRA_ARGS\n',
    );
    assert.deepEqual(readKubeletUnit(fileRoot(root)), {
      kind: 'command',
      unitPath: '/etc/systemd/system/kubelet.service',
      execStartFile: '/etc/systemd/system/kubelet.service',
      argv: ['/usr/bin/kubelet'],
      cwd: '/',
      environmentFiles: [],
    });
    const required = fake();
    required.write(
      'etc/systemd/system/kubelet.service',
      '[Service]\nEnvironmentFile=/etc/kubernetes/kubelet.env\nExecStart=/usr/bin/kubelet $KUBELET_ARGS\n',
    );
    const unit = readKubeletUnit(fileRoot(required));
    assert.equal(unit.kind, 'unusable');
    assert.match(unit.reason, /EnvironmentFile=\/etc\/kubernetes\/kubelet.env does not exist/);
  });

  it('an optional EnvironmentFile we may not read is unknown, not skipped (systemd, as root, would read it)', () => {
    const root = fake();
    root.write(
      'etc/systemd/system/kubelet.service',
      '[Service]\nEnvironmentFile=-/etc/default/kubelet\nExecStart=/usr/bin/kubelet $KUBELET_EXTRA_ARGS\n',
    );
    root.mkdir('etc/default/kubelet');
    const unit = readKubeletUnit(fileRoot(root));
    assert.equal(unit.kind, 'unusable');
  });

  it('hostile units: huge, a FIFO, not UTF-8 each give a note and no kubelet, never a crash', () => {
    const huge = fake();
    huge.write(
      'etc/systemd/system/kubelet.service',
      `[Service]\nExecStart=/usr/bin/kubelet ${'--x=y '.repeat(200_000)}\n`,
    );
    const fifo = fake();
    fifo.mkdir('etc/systemd/system');
    fs.mkdirSync(`${fifo.root}/usr/lib/systemd/system/kubelet.service.d`, { recursive: true });
    fifo.write('usr/lib/systemd/system/kubelet.service', '[Service]\nExecStart=/usr/bin/kubelet\n');
    execFifo(`${fifo.root}/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf`);
    const binary = fake();
    binary.write('etc/systemd/system/kubelet.service', Buffer.from([0x5b, 0x53, 0xff, 0xfe, 0x0a]));
    for (const root of [huge, fifo, binary]) {
      const snapshot = collectSnapshot({ root: root.root, references: noReferences });
      assert.equal(snapshot.processes.length, 0);
      assert.ok(
        snapshot.notes.some((n) => n.includes('could not be reconstructed')),
        snapshot.notes.join('\n'),
      );
    }
  });

  it('a unit whose ExecStart= runs a wrapper script is not a kubelet command line', () => {
    const root = fake();
    root.write('etc/systemd/system/kubelet.service', '[Service]\nExecStart=/opt/azure/containers/start-kubelet.sh\n');
    const snapshot = collectSnapshot({ root: root.root, references: noReferences });
    assert.equal(snapshot.processes.length, 0);
    assert.ok(snapshot.notes.some((n) => n.includes('not a kubelet binary')));
  });

  it('a drop-in symlinked to /dev/null masks the same-named one below it', () => {
    const root = fake();
    root.write('usr/lib/systemd/system/kubelet.service', '[Service]\nExecStart=/usr/bin/kubelet --base\n');
    root.write(
      'usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf',
      '[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --kubeadm\n',
    );
    root.link('etc/systemd/system/kubelet.service.d/10-kubeadm.conf', '/dev/null');
    const unit = readKubeletUnit(fileRoot(root));
    assert.deepEqual(unit.kind === 'command' && unit.argv, ['/usr/bin/kubelet', '--base']);
  });
});

/** mkfifo(1): node has no mkfifo; the reader must refuse the FIFO without blocking on it. */
function execFifo(file: string): void {
  assert.equal(spawnSync('mkfifo', [file]).status, 0, 'mkfifo failed');
}
