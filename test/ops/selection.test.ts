// Check selection (issue 11): --check, --skip, --level, --component and selection.* in the config.
// Not-selected checks are absent from the report; `selection` in the JSON report names them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { CHECKS } from '../../src/checks/index.js';
import { SELECT_ALL, selectChecks } from '../../src/checks/select.js';
import { mergeFlags, parseConfig } from '../../src/config.js';
import { FIXTURE_HOSTS, parseReport, runCli } from '../support/cli.js';
import { configErrorOf } from '../support/config-error.js';

describe('selectChecks', () => {
  it('keeps registry order and applies check, skip, level and component together', () => {
    const ids = (selection: Partial<typeof SELECT_ALL>) =>
      selectChecks(CHECKS, { ...SELECT_ALL, ...selection }).map((c) => c.id);
    assert.equal(ids({}).length, CHECKS.length);
    assert.deepEqual(ids({ checks: ['kubelet-anonymous-auth', 'etcd-isolated'] }), [
      'etcd-isolated',
      'kubelet-anonymous-auth',
    ]);
    assert.deepEqual(ids({ components: ['etcd'], levels: ['should', 'recommended'] }), [
      'etcd-isolated',
      'etcd-separate-ca',
    ]);
    assert.deepEqual(ids({ components: ['kubelet'], skip: ['kubelet-client-authn', 'kubelet-node-identity'] }), [
      'kubelet-read-only-port',
      'kubelet-anonymous-auth',
      'kubelet-authz-webhook',
    ]);
    assert.ok(!ids({ levels: ['must'] }).includes('etcd-isolated'));
  });
});

describe('selection settings: flags over selection.* keys; unknown ids are errors', () => {
  it('flags replace the config key of the same name, the others stay', () => {
    const file = parseConfig('selection:\n  skip: [etcd-auth-enabled]\n  levels: [must]\n', '/c.yaml');
    const settings = mergeFlags(file, { level: 'must,should', component: 'etcd' }, '/');
    assert.deepEqual(settings.selection, {
      checks: null,
      skip: ['etcd-auth-enabled'],
      levels: ['must', 'should'],
      components: ['etcd'],
    });
  });

  const flagCases: [string, Record<string, string>, RegExp][] = [
    ['--check', { check: 'kubelet-anonymous-auth,kubelet-anon' }, /--check: "kubelet-anon" is not a known check id/],
    ['--skip', { skip: '1.1.1' }, /--skip: "1.1.1" is not a known check id/],
    [
      '--level',
      { level: 'MUST' },
      /--level: "MUST" is not a known level \(known: must, should, recommended, optional\)/,
    ],
    ['--component', { component: 'kube-proxy' }, /--component: "kube-proxy" is not a known component/],
    ['--check', { check: 'etcd-isolated,' }, /--check: "etcd-isolated," has an empty item/],
  ];
  for (const [flag, flags, message] of flagCases) {
    it(`${flag} ${Object.values(flags)[0]}: usage error naming ${flag}`, () => {
      const error = configErrorOf(() => mergeFlags({}, flags, '/'));
      assert.equal(error.code, 'USAGE_VALUE');
      assert.equal(error.key, flag);
      assert.match(error.message, message);
    });
  }

  it('a selection that selects nothing is an error, not an empty green report', () => {
    const error = configErrorOf(() => mergeFlags({}, { check: 'etcd-isolated', skip: 'etcd-isolated' }, '/'));
    assert.equal(error.key, 'selection');
    assert.match(error.message, /selects no check at all/);
  });

  it('selection.checks with an unknown id is a config error naming the item', () => {
    const error = configErrorOf(() =>
      parseConfig('selection:\n  checks: [etcd-isolated, etcd-isolation]\n', '/c.yaml'),
    );
    assert.equal(error.code, 'CONFIG_VALUE');
    assert.equal(error.key, 'selection.checks[1]');
    assert.match(error.message, /^\/c\.yaml: selection\.checks\[1\]: "etcd-isolation" is not a known check id/);
  });
});

describe('the CLI with a selection (kubeadm-1.34-control-plane)', () => {
  const root = path.join(FIXTURE_HOSTS, 'kubeadm-1.34-control-plane');
  const work = mkdtempSync(path.join(tmpdir(), 'scs-selection-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('--component etcd --skip etcd-auth-enabled: only those checks, the rest listed as not judged', () => {
    const run = runCli([
      '--once',
      '--root',
      root,
      '--config',
      '/dev/null',
      '--no-probes',
      '--format',
      'json',
      '--component',
      'etcd',
      '--skip',
      'etcd-auth-enabled',
    ]);
    const report = parseReport(run) as ReturnType<typeof parseReport> & {
      selection: { notSelected: string[]; components: string[]; skip: string[] };
    };
    const ids = report.checks.map((c) => c.id);
    assert.deepEqual(ids, [
      'etcd-isolated',
      'etcd-client-tls',
      'etcd-peer-tls',
      'etcd-client-cert-auth',
      'etcd-peer-cert-auth',
      'etcd-separate-ca',
    ]);
    assert.deepEqual(report.selection.components, ['etcd']);
    assert.deepEqual(report.selection.skip, ['etcd-auth-enabled']);
    assert.equal(report.selection.notSelected.length, CHECKS.length - ids.length);
    assert.ok(report.selection.notSelected.includes('version-patch-current'));
    // The MUST version checks that fail on this host were not judged, so they cannot fail the run.
    assert.equal(run.status, 0, run.stderr);
  });

  it('the text report says which checks were not judged; --fail-on should then fails on the selected SHOULD check', () => {
    const run = runCli([
      '--once',
      '--root',
      root,
      '--config',
      '/dev/null',
      '--no-probes',
      '--check',
      'etcd-isolated',
      '--fail-on',
      'should',
    ]);
    assert.equal(run.status, 1);
    assert.match(
      run.stdout,
      /^selection:\s+only the selected checks were judged \(--check etcd-isolated\); not judged: version-supported, /m,
    );
  });

  it('a waiver for a not-selected check changes nothing; the waived selected check keeps the run green', () => {
    const config = path.join(work, 'config.yaml');
    writeFileSync(
      config,
      'waivers:\n  - {check: etcd-isolated, reason: stacked etcd, owner: ops, expires: 2999-01-01}\n  - {check: kubelet-anonymous-auth, reason: unused, owner: ops, expires: 2999-01-01}\n',
    );
    const run = runCli([
      '--once',
      '--root',
      root,
      '--config',
      config,
      '--no-probes',
      '--format',
      'json',
      '--check',
      'etcd-isolated',
      '--fail-on',
      'should',
    ]);
    const report = parseReport(run) as ReturnType<typeof parseReport> & { waivers: { check: string }[] };
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(
      report.waivers.map((w) => w.check),
      ['etcd-isolated'],
    );
  });

  it('an unknown id exits 2 naming the flag; so does an invalid waiver in the config file, naming the key', () => {
    const run = runCli(['--once', '--root', root, '--config', '/dev/null', '--check', 'etcd-isolation']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^scs-node-audit: --check: "etcd-isolation" is not a known check id/);
    const config = path.join(work, 'bad.yaml');
    writeFileSync(
      config,
      'waivers:\n  - {check: etcd-isolated, reason: stacked etcd, owner: ops, expires: 2027-13-01}\n',
    );
    const bad = runCli(['--once', '--root', root, '--config', config]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /bad\.yaml: waivers\[0\]\.expires: "2027-13-01" is not a calendar date/);
  });
});

describe('--help names the issue-11 flags and the releases subcommand', () => {
  it('--help lists --check, --skip, --level, --component, sarif and releases update; releases --help exits 0', () => {
    const help = runCli(['--help']);
    assert.equal(help.status, 0);
    for (const text of [
      '--check ID[,ID]',
      '--skip ID[,ID]',
      '--level LEVEL[,LEVEL]',
      '--component NAME[,NAME]',
      '| sarif',
      'scs-node-audit releases update',
    ]) {
      assert.ok(help.stdout.includes(text), `--help mentions ${text}`);
    }
    const releases = runCli(['releases', '--help']);
    assert.equal(releases.status, 0);
    assert.match(releases.stdout, /endoflife\.date format/);
  });
});
