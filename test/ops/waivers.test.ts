// Waivers (issue 11): accepted deviations with an expiry date. The clock is a parameter of the
// pure functions (applyWaivers, runAudit's `now`), never a faked global Date.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { exitCodeFor, runAudit } from '../../src/audit.js';
import { loadConfig, parseConfig, parseWaiversFile, type AuditConfig } from '../../src/config.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { renderSarif } from '../../src/report/sarif.js';
import { summarize } from '../../src/report/summary.js';
import { renderText } from '../../src/report/text.js';
import { applyWaivers, countsAsFailure, isWaiverCurrent, waiverExpiry, type Waiver } from '../../src/report/waivers.js';
import { reportCheck, sampleReport } from '../support/sample-report.js';
import { FIXTURE_HOSTS } from '../support/cli.js';
import { buildServer } from '../../src/server/index.js';
import { configErrorOf } from '../support/config-error.js';

const ORIGIN = '/etc/scs-node-audit/config.yaml';
const WAIVER: Waiver = {
  check: 'etcd-isolated',
  reason: 'stacked etcd until the 2027 hardware refresh',
  owner: 'platform-team',
  expires: '2027-01-31',
};

describe('applyWaivers: a waiver counts until 00:00 UTC of its expiry date, by the clock passed in', () => {
  const failing = [reportCheck({ id: 'etcd-isolated', component: 'etcd', level: 'SHOULD', status: 'fail' })];

  it('the day before expiry the fail is waived; on the expiry day it is a failure again, with a note', () => {
    const before = applyWaivers(failing, [WAIVER], new Date('2027-01-30T23:59:59.999Z'));
    assert.deepEqual(before.checks[0]!.waiver, { reason: WAIVER.reason, owner: WAIVER.owner, expires: '2027-01-31' });
    assert.equal(before.checks[0]!.status, 'fail', 'the finding keeps what the audit found');
    assert.deepEqual(before.notes, []);
    assert.equal(before.waivers[0]!.current, true);

    const on = applyWaivers(failing, [WAIVER], new Date('2027-01-31T00:00:00.000Z'));
    assert.equal(on.checks[0]!.waiver, undefined);
    assert.equal(on.waivers[0]!.current, false);
    assert.match(on.notes[0]!, /waiver for etcd-isolated \(owner platform-team\) expired on 2027-01-31/);
  });

  it('only a fail is waived: pass, skip, unknown and error stay as they are', () => {
    for (const status of ['pass', 'skip', 'unknown', 'error'] as const) {
      const result = applyWaivers(
        [reportCheck({ id: 'etcd-isolated', component: 'etcd', status })],
        [WAIVER],
        new Date('2026-12-01T00:00:00Z'),
      );
      assert.equal(result.checks[0]!.waiver, undefined, status);
      assert.equal(countsAsFailure(result.checks[0]!), status === 'error', status);
    }
  });

  it('a waiver of a check this run did not evaluate (not selected) is not listed', () => {
    const result = applyWaivers(
      failing,
      [{ ...WAIVER, check: 'kubelet-anonymous-auth' }],
      new Date('2026-12-01T00:00:00Z'),
    );
    assert.deepEqual(result.waivers, []);
  });

  it('waiverExpiry and isWaiverCurrent agree on the boundary', () => {
    assert.equal(waiverExpiry('2027-01-31').toISOString(), '2027-01-31T00:00:00.000Z');
    assert.equal(isWaiverCurrent(WAIVER, new Date(waiverExpiry('2027-01-31').getTime() - 1)), true);
    assert.equal(isWaiverCurrent(WAIVER, waiverExpiry('2027-01-31')), false);
  });

  it('a waived MUST fail keeps the summary compliant and counts as waived', () => {
    const checks = applyWaivers(
      [reportCheck({ id: 'version-patch-current', component: 'node', status: 'fail' })],
      [{ ...WAIVER, check: 'version-patch-current' }],
      new Date('2026-12-01T00:00:00Z'),
    ).checks;
    assert.deepEqual(summarize(checks, { kubernetes: true, notJudged: 0 }), {
      pass: 0,
      fail: 1,
      skip: 0,
      unknown: 0,
      error: 0,
      compliant: true,
      waived: 1,
    });
    assert.equal(exitCodeFor({ checks }, 'must'), 0);
  });
});

describe('config: waivers and waiversFile', () => {
  it('accepts a waiver with an unquoted date (read as text, not as a YAML 1.1 timestamp)', () => {
    const file = parseConfig(
      [
        'waivers:',
        '  - check: etcd-isolated',
        '    reason: stacked etcd',
        '    owner: platform-team',
        '    expires: 2027-01-31',
        '    component: etcd',
      ].join('\n'),
      ORIGIN,
    );
    assert.deepEqual(file.waivers, [
      {
        check: 'etcd-isolated',
        reason: 'stacked etcd',
        owner: 'platform-team',
        expires: '2027-01-31',
        component: 'etcd',
      },
    ]);
  });

  const bad: [string, string[], string, RegExp][] = [
    [
      'an unknown check id',
      ['  - check: etcd-isolation', '    reason: r', '    owner: o', '    expires: 2027-01-31'],
      'waivers[0].check',
      /"etcd-isolation" is not a known check id/,
    ],
    [
      'a date that is no calendar date (YAML 1.1 would roll it to 2 March)',
      ['  - check: etcd-isolated', '    reason: r', '    owner: o', '    expires: 2027-02-30'],
      'waivers[0].expires',
      /not a calendar date/,
    ],
    [
      'a date in another format',
      ['  - check: etcd-isolated', '    reason: r', '    owner: o', '    expires: 31.01.2027'],
      'waivers[0].expires',
      /not a date YYYY-MM-DD/,
    ],
    [
      'a missing reason',
      ['  - check: etcd-isolated', '    owner: o', '    expires: 2027-01-31'],
      'waivers[0].reason',
      /is required/,
    ],
    [
      'an empty owner',
      ['  - check: etcd-isolated', '    reason: r', '    owner: ""', '    expires: 2027-01-31'],
      'waivers[0].owner',
      /must not be empty/,
    ],
    [
      "a component that is not the check's",
      [
        '  - check: etcd-isolated',
        '    reason: r',
        '    owner: o',
        '    expires: 2027-01-31',
        '    component: kubelet',
      ],
      'waivers[0].component',
      /component "etcd"/,
    ],
    [
      'an unknown key',
      ['  - check: etcd-isolated', '    reason: r', '    owner: o', '    expires: 2027-01-31', '    until: 2027-01-31'],
      'waivers[0].until',
      /unknown key/,
    ],
    [
      'the same check twice',
      [
        '  - {check: etcd-isolated, reason: r, owner: o, expires: 2027-01-31}',
        '  - {check: etcd-isolated, reason: s, owner: o, expires: 2027-02-28}',
      ],
      'waivers[1].check',
      /waived twice/,
    ],
  ];
  for (const [name, lines, key, message] of bad) {
    it(`refuses ${name}, naming ${key}`, () => {
      const error = configErrorOf(() => parseConfig(['waivers:', ...lines].join('\n'), ORIGIN));
      assert.equal(error.code, 'CONFIG_WAIVER');
      assert.equal(error.key, key);
      assert.match(error.message, message);
      assert.ok(error.message.startsWith(`${ORIGIN}: ${key}: `), error.message);
    });
  }

  it('refuses waivers that are not a list', () => {
    assert.equal(configErrorOf(() => parseConfig('waivers: {check: etcd-isolated}', ORIGIN)).key, 'waivers');
  });

  const work = mkdtempSync(path.join(tmpdir(), 'scs-waivers-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('loads waiversFile (read like the config file) after the config key; a check in both is an error', () => {
    const waiversFile = path.join(work, 'waivers.yaml');
    writeFileSync(
      waiversFile,
      'waivers:\n  - {check: version-patch-current, reason: upgrade window on 2027-01-12, owner: ops, expires: 2027-01-20}\n',
    );
    const configFile = path.join(work, 'config.yaml');
    writeFileSync(
      configFile,
      `waiversFile: ${waiversFile}\nwaivers:\n  - {check: etcd-isolated, reason: stacked, owner: ops, expires: 2027-01-31}\n`,
    );
    const config = loadConfig({ configPath: configFile, flags: {}, cwd: '/' });
    assert.deepEqual(
      config.waivers.map((w) => w.check),
      ['etcd-isolated', 'version-patch-current'],
    );

    writeFileSync(
      waiversFile,
      'waivers:\n  - {check: etcd-isolated, reason: again, owner: ops, expires: 2027-01-20}\n',
    );
    const error = configErrorOf(() => loadConfig({ configPath: configFile, flags: {}, cwd: '/' }));
    assert.equal(error.key, 'waiversFile');
    assert.match(error.message, /etcd-isolated is waived both here and in the config file/);
  });

  it('a missing or malformed waivers file is a config error naming waiversFile and the file', () => {
    const configFile = path.join(work, 'missing.yaml');
    writeFileSync(configFile, `waiversFile: ${path.join(work, 'nope.yaml')}\n`);
    const missing = configErrorOf(() => loadConfig({ configPath: configFile, flags: {}, cwd: '/' }));
    assert.equal(missing.key, 'waiversFile');
    assert.match(missing.message, /nope\.yaml: cannot read waivers file: no such file/);
    const wrong = configErrorOf(() => parseWaiversFile('waivers: []\nextra: 1\n', '/w.yaml'));
    assert.equal(wrong.code, 'CONFIG_UNKNOWN_KEY');
    const badEntry = configErrorOf(() =>
      parseWaiversFile('waivers:\n  - {check: nope, reason: r, owner: o, expires: 2027-01-01}\n', '/w.yaml'),
    );
    assert.equal(badEntry.key, 'waivers[0].check');
    assert.match(badEntry.message, /^\/w\.yaml: waivers\[0\]\.check: "nope" is not a known check id/);
  });
});

describe('a stacked-etcd control plane waives etcd-isolated and is green (kubeadm-1.34-control-plane)', () => {
  const root = path.join(FIXTURE_HOSTS, 'kubeadm-1.34-control-plane');
  // 2025-12-20: v1.34.2 is still within the patch window (1.34.3 came out 2025-12-09), so the only
  // failing check of this host is the SHOULD check etcd-isolated (stacked etcd, kubeadm's default).
  const now = new Date('2025-12-20T12:00:00Z');
  const config = (waivers: Waiver[]): AuditConfig => ({
    ...loadConfig({ configPath: '/dev/null', flags: { 'no-probes': true }, cwd: '/' }),
    waivers,
  });

  it('without the waiver --fail-on should fails; with it every format shows it waived and nothing fails', async () => {
    const plain = runAudit({ root, now, config: config([]) });
    assert.deepEqual(
      plain.checks.filter((c) => c.status === 'fail').map((c) => c.id),
      ['etcd-isolated'],
    );
    assert.equal(exitCodeFor(plain, 'should'), 1);

    const report = runAudit({ root, now, config: config([WAIVER]) });
    const check = report.checks.find((c) => c.id === 'etcd-isolated')!;
    assert.equal(check.status, 'fail');
    assert.equal(check.waiver?.owner, 'platform-team');
    assert.equal(exitCodeFor(report, 'should'), 0);
    assert.equal(report.summary.compliant, true);
    assert.equal(report.summary.waived, 1);

    const json = JSON.parse(renderJson(report)) as { checks: { id: string; waiver?: unknown }[]; waivers: unknown[] };
    assert.deepEqual(json.checks.find((c) => c.id === 'etcd-isolated')!.waiver, {
      reason: WAIVER.reason,
      owner: 'platform-team',
      expires: '2027-01-31',
    });
    assert.deepEqual(json.waivers, [
      {
        check: 'etcd-isolated',
        component: 'etcd',
        reason: WAIVER.reason,
        owner: 'platform-team',
        expires: '2027-01-31',
        current: true,
      },
    ]);

    assert.match(
      renderText(report, { color: false }),
      /WAIVED\s+SHOULD\s+etcd-isolated[^\n]*\n(?:.*\n)*?\s+waived:\s+until 2027-01-31 \(owner platform-team\): stacked etcd/,
    );
    const junit = renderJunit(report);
    assert.match(junit, /<testsuites [^>]*failures="0"/);
    assert.match(
      junit,
      /<testcase classname="etcd" name="etcd-isolated" time="0">\n\s+<skipped message="waived until 2027-01-31/,
    );

    const sarif = JSON.parse(renderSarif(report)) as {
      runs: {
        results: { ruleId: string; suppressions?: { kind: string; status: string; justification: string }[] }[];
      }[];
    };
    const result = sarif.runs[0]!.results.find((r) => r.ruleId === 'etcd-isolated')!;
    assert.deepEqual(
      result.suppressions?.map((s) => [s.kind, s.status]),
      [['external', 'accepted']],
    );

    const metrics = await renderPrometheus(report);
    assert.match(
      metrics,
      /^scs_node_audit_check_waived\{check_id="etcd-isolated",component="etcd",level="SHOULD"\} 1$/m,
    );
    assert.match(
      metrics,
      new RegExp(
        `^scs_node_audit_waiver_expiry_timestamp_seconds\\{check_id="etcd-isolated",component="etcd"\\} ${Date.parse('2027-01-31T00:00:00Z') / 1000}$`,
        'm',
      ),
    );
    assert.match(
      metrics,
      /^scs_node_audit_check_status\{check_id="etcd-isolated",component="etcd",level="SHOULD",status="fail"\} 1$/m,
    );
  });

  it('on the expiry day the same host fails --fail-on should again and the report says the waiver expired', () => {
    const report = runAudit({ root, now, config: config([{ ...WAIVER, expires: '2025-12-20' }]) });
    assert.equal(report.checks.find((c) => c.id === 'etcd-isolated')!.waiver, undefined);
    assert.equal(exitCodeFor(report, 'should'), 1);
    assert.ok(
      report.notes.some((n) => /waiver for etcd-isolated .* expired on 2025-12-20/.test(n)),
      report.notes.join('\n'),
    );
  });

  it('a waived MUST failure (version-patch-current, a month later) keeps the node compliant and --once green', () => {
    const later = new Date('2026-01-20T00:00:00Z');
    const plain = runAudit({ root, now: later, config: config([]) });
    assert.equal(plain.summary.compliant, false);
    const waived = runAudit({
      root,
      now: later,
      config: config([
        {
          check: 'version-patch-current',
          reason: 'upgrade to 1.34.3 booked for 2026-01-27',
          owner: 'ops',
          expires: '2026-02-01',
        },
      ]),
    });
    assert.equal(waived.summary.compliant, true);
    assert.equal(exitCodeFor(waived, 'must'), 0);
  });
});

describe('sample report with a waiver renders in every format without losing the failure', () => {
  it('JSON keeps status fail and carries waiver only on the waived check', () => {
    const checks = [
      reportCheck({
        id: 'etcd-isolated',
        component: 'etcd',
        level: 'SHOULD',
        status: 'fail',
        waiver: { reason: 'r', owner: 'o', expires: '2027-01-31' },
      }),
      reportCheck({ id: 'kubelet-anonymous-auth', status: 'fail' }),
    ];
    const json = JSON.parse(renderJson(sampleReport(checks))) as {
      checks: Record<string, unknown>[];
      summary: { waived: number; compliant: boolean };
    };
    assert.equal(json.checks[0]!.status, 'fail');
    assert.ok('waiver' in json.checks[0]!);
    assert.ok(!('waiver' in json.checks[1]!));
    assert.equal(json.summary.waived, 1);
    assert.equal(json.summary.compliant, false);
  });
});

describe('the status page (/) shows a waived failure as waived, with reason, owner and date', () => {
  it('pill "waived" and the waiver line, escaped', async (t) => {
    const report = sampleReport([
      reportCheck({
        id: 'etcd-isolated',
        component: 'etcd',
        level: 'SHOULD',
        status: 'fail',
        waiver: { reason: 'stacked <etcd>', owner: 'ops', expires: '2027-01-31' },
      }),
    ]);
    const app = buildServer({
      readState: () => ({
        version: '0.1.0',
        report,
        lastRun: { startedAt: new Date(report.startedAt), durationMs: 1, success: true },
        runs: 1,
        runFailures: 0,
      }),
    });
    t.after(() => app.close());
    const page = (await app.inject('/')).body;
    assert.match(page, /<span class="pill s-fail">waived<\/span>/);
    assert.match(
      page,
      /<p class="waiver"><strong>Waived<\/strong> until 2027-01-31 \(owner ops\): stacked &#60;etcd&#62;<\/p>/,
    );
  });
});
