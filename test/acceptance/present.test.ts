// Acceptance (issue 2 "present"): colour only on a real terminal and never with NO_COLOR, JUnit
// that an XML parser accepts with one testcase per check (also with hostile text in the
// evidence), --output replacing the file atomically, and the exit codes 0/1/2/3 with --fail-on.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { removeDir } from '../support/etcd.js';
import { CLI_ENTRY, copyFixture, FIXTURE_HOSTS, parseReport, runCli } from '../support/cli.js';

const ESC = '\u001b[';
const fixture = path.join(FIXTURE_HOSTS, 'parsing-traps');
const fixtureArgs = ['--once', '--root', fixture, '--config', path.join(fixture, 'audit-config.yaml')];
const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** Run the CLI inside a pseudo-terminal (util-linux `script`), so stdout is a TTY. */
function inTerminal(args: string[], env: Record<string, string>): string {
  const command = [process.execPath, ...CLI_ENTRY, ...args].map(quote).join(' ');
  const run = spawnSync('script', ['-qec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.error) throw run.error;
  assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stdout}${run.stderr}`);
  return run.stdout;
}

const hasScript = spawnSync('script', ['--version']).status === 0;
const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('--format text colour', { skip: hasScript ? undefined : 'util-linux script is not installed' }, () => {
  it('a terminal gets colour', () => {
    const out = inTerminal(fixtureArgs, { TERM: 'xterm-256color' });
    assert.ok(out.includes(ESC), 'no escape sequence on a TTY');
    assert.match(out, /FAIL/);
  });
  it('NO_COLOR=1 on a terminal: no escape sequence at all', () => {
    const out = inTerminal(fixtureArgs, { TERM: 'xterm-256color', NO_COLOR: '1' });
    assert.ok(!out.includes('\u001b'), JSON.stringify(out.slice(0, 200)));
    assert.match(out, /FAIL/);
  });
  it('TERM=dumb on a terminal: no colour', () => {
    assert.ok(!inTerminal(fixtureArgs, { TERM: 'dumb' }).includes('\u001b'));
  });
  it('--output from a terminal: the file has no colour', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scs-acceptance-tty-'));
    after(() => removeDir(dir));
    const file = path.join(dir, 'report.txt');
    inTerminal([...fixtureArgs, '--output', file], { TERM: 'xterm-256color' });
    const text = readFileSync(file, 'utf8');
    assert.match(text, /FAIL/);
    assert.ok(!text.includes('\u001b'));
  });
  it('a pipe: no colour', () => {
    const run = runCli(fixtureArgs, { env: { TERM: 'xterm-256color' } });
    assert.match(run.stdout, /FAIL/);
    assert.ok(!run.stdout.includes('\u001b'));
  });
});

describe(
  '--format junit',
  { skip: hasPython ? undefined : 'python3 (the XML parser used here) is not installed' },
  () => {
    /** Parse with Python's XML parser and list testcases; a syntax error fails the run. */
    function parseJunit(xml: string): {
      suites: number;
      cases: { classname: string; name: string; outcome: string }[];
      failures: number;
    } {
      const script = `
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
assert root.tag == 'testsuites', root.tag
cases = []
for case in root.iter('testcase'):
    outcome = 'failure' if case.find('failure') is not None else 'error' if case.find('error') is not None else 'skipped' if case.find('skipped') is not None else 'passed'
    cases.append({'classname': case.get('classname'), 'name': case.get('name'), 'outcome': outcome})
print(json.dumps({'suites': len(root.findall('testsuite')), 'cases': cases, 'failures': int(root.get('failures'))}))
`;
      const run = spawnSync('python3', ['-c', script], { input: xml, encoding: 'utf8' });
      assert.equal(run.status, 0, `not well-formed XML: ${run.stderr}`);
      return JSON.parse(run.stdout) as ReturnType<typeof parseJunit>;
    }

    it('is well-formed XML with exactly one testcase per check, failures where the JSON says fail', () => {
      const report = parseReport(runCli([...fixtureArgs, '--format', 'json']));
      const junit = parseJunit(runCli([...fixtureArgs, '--format', 'junit']).stdout);
      assert.deepEqual(junit.cases.map((c) => c.name).sort(), report.checks.map((c) => c.id).sort());
      const failed = report.checks
        .filter((c) => c.status === 'fail')
        .map((c) => c.id)
        .sort();
      assert.deepEqual(
        junit.cases
          .filter((c) => c.outcome === 'failure')
          .map((c) => c.name)
          .sort(),
        failed,
      );
      assert.equal(junit.failures, failed.length);
    });

    it('stays well-formed when a flag value carries markup, an escape sequence and control characters', () => {
      const { work, root } = copyFixture('kubeadm-1.34-control-plane', 'scs-acceptance-junit-');
      after(() => removeDir(work));
      const cmdline = path.join(root, 'proc/812/cmdline');
      writeFileSync(
        cmdline,
        Buffer.concat([readFileSync(cmdline), Buffer.from('--hostname-override=cp-1\u001b[31m<&>"\u0001\u007f]]>\0')]),
      );
      const run = runCli([
        '--once',
        '--root',
        root,
        '--config',
        path.join(root, 'audit-config.yaml'),
        '--format',
        'junit',
      ]);
      const junit = parseJunit(run.stdout);
      assert.equal(junit.cases.length, 28);
      assert.ok(junit.cases.some((c) => c.name === 'kubelet-node-identity' && c.outcome === 'failure'));
    });
  },
);

describe('--output', () => {
  it('replaces the file by rename: a hard link to the old file keeps the old report, no temp file stays', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scs-acceptance-output-'));
    after(() => removeDir(dir));
    const file = path.join(dir, 'scs_node_audit.prom');
    writeFileSync(file, 'old report\n');
    linkSync(file, path.join(dir, 'old-link'));
    const before = statSync(file).ino;
    const run = runCli([...fixtureArgs, '--format', 'prometheus', '--output', file]);
    assert.equal(run.stdout, '');
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    assert.notEqual(statSync(file).ino, before, 'written in place, not renamed over');
    assert.equal(
      readFileSync(path.join(dir, 'old-link'), 'utf8'),
      'old report\n',
      'the old file was modified in place',
    );
    assert.match(readFileSync(file, 'utf8'), /^scs_node_audit_compliant 0$/m);
    assert.deepEqual(readdirSync(dir).sort(), ['old-link', 'scs_node_audit.prom']);
    assert.equal(statSync(file).mode & 0o777, 0o644);
  });
});

describe('exit codes and --fail-on', () => {
  // A dedicated etcd host that is also a cluster node (kubelet with --kubeconfig): no MUST check
  // fails, the SHOULD check etcd-isolated does.
  const { work, root } = copyFixture('kubeadm-external-etcd-host', 'scs-acceptance-failon-');
  after(() => removeDir(work));
  mkdirSync(path.join(root, 'proc/900'));
  writeFileSync(
    path.join(root, 'proc/900/cmdline'),
    '/usr/bin/kubelet\0--config=/var/lib/kubelet/config.yaml\0--kubeconfig=/etc/kubernetes/kubelet.conf\0',
  );
  writeFileSync(path.join(root, 'proc/900/comm'), 'kubelet\n');
  mkdirSync(path.join(root, 'var/lib/kubelet'), { recursive: true });
  writeFileSync(
    path.join(root, 'var/lib/kubelet/config.yaml'),
    'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\nauthorization:\n  mode: Webhook\n',
  );
  const shouldOnly = ['--once', '--root', root, '--config', path.join(root, 'audit-config.yaml'), '--format', 'json'];
  const insecure = path.join(FIXTURE_HOSTS, 'insecure-hand-rolled');

  it('the SHOULD-only host fails only SHOULD checks (the premise of the next cases)', () => {
    const report = parseReport(runCli(shouldOnly));
    const failing = report.checks.filter((c) => c.status === 'fail' || c.status === 'error');
    assert.deepEqual(
      failing.map((c) => `${c.id} ${c.level}`),
      ['etcd-isolated SHOULD'],
    );
  });
  const cases: { name: string; args: string[]; code: number }[] = [
    { name: 'SHOULD failing, --fail-on must (default) → 0', args: shouldOnly, code: 0 },
    { name: 'SHOULD failing, --fail-on should → 1', args: [...shouldOnly, '--fail-on', 'should'], code: 1 },
    { name: 'SHOULD failing, --fail-on never → 0', args: [...shouldOnly, '--fail-on', 'never'], code: 0 },
    {
      name: 'MUST failing (insecure hand-rolled cluster) → 1',
      args: ['--once', '--root', insecure, '--config', '/dev/null'],
      code: 1,
    },
    {
      name: 'MUST failing, --fail-on never → 0',
      args: ['--once', '--root', insecure, '--config', '/dev/null', '--fail-on', 'never'],
      code: 0,
    },
    { name: 'an unknown --fail-on value → 2', args: ['--once', '--fail-on', 'sometimes'], code: 2 },
    { name: 'an unknown flag → 2', args: ['--once', '--colour'], code: 2 },
    { name: 'a flag given twice → 2', args: ['--once', '--format', 'json', '--format', 'text'], code: 2 },
    {
      name: '--proc that does not exist → 3',
      args: ['--once', '--config', '/dev/null', '--proc', '/nonexistent-proc'],
      code: 3,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const run = runCli(c.args);
      assert.equal(run.status, c.code, `stderr: ${run.stderr}`);
      if (c.code >= 2) {
        assert.equal(run.stdout, '');
        assert.match(run.stderr, /^scs-node-audit: /);
      }
    });
  }
});
