// Acceptance (issue 2, "Done when"): `scs-node-audit --once --root test/fixtures/hosts/<name>
// --format json` gives, for every fixture, the statuses its expected.json asserts — run as a user
// runs it (a separate process, probes left at their default), not through runAudit in-process as
// test/hosts.test.ts does. The clock is fixed at the golden test's time with `node --import`,
// because the version checks depend on the day and the CLI offers no flag to fix it.
import assert from 'node:assert/strict';
import { readdirSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  clockModule,
  expectedStatuses,
  FIXTURE_HOSTS,
  fixtureConfig,
  GOLDEN_TIME,
  parseReport,
  runCli,
} from '../support/cli.js';

const work = mkdtempSync(path.join(tmpdir(), 'scs-acceptance-clock-'));
after(() => rmSync(work, { recursive: true, force: true }));
const clock = clockModule(work, GOLDEN_TIME);

const fixtures = readdirSync(FIXTURE_HOSTS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('scs-node-audit --once --root <fixture> --format json (the CLI, as a user runs it)', () => {
  it('finds the fixtures', () => assert.ok(fixtures.length >= 10, fixtures.join(', ')));

  for (const name of fixtures) {
    it(`${name}: every check has the status of expected.json, and the exit code follows --fail-on must`, () => {
      const dir = path.join(FIXTURE_HOSTS, name);
      const expected = expectedStatuses(name);
      const run = runCli(['--once', '--root', dir, '--config', fixtureConfig(dir), '--format', 'json'], {
        nodeArgs: ['--import', clock],
      });
      const report = parseReport(run);
      const actual = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
      assert.deepEqual(actual, expected, `${name}: ${run.stderr}`);
      const mustFailed = report.checks.some((c) => c.level === 'MUST' && (c.status === 'fail' || c.status === 'error'));
      // A fixture whose distribution runs a component that could not be judged is never compliant.
      const notJudged = report.checks.some(
        (c) => c.status === 'unknown' && /settings could not be established/.test(c.message),
      );
      assert.equal(run.status, mustFailed || notJudged ? 1 : 0, run.stderr);
      assert.equal(report.summary.compliant, !mustFailed && !notJudged);
      // A fake root's ports are not this host's: probes must not run, and the report says so.
      assert.ok(
        report.notes.some((n) => /live probes not run/.test(n)),
        report.notes.join('\n'),
      );
      assert.equal(run.stderr, '');
    });
  }
});

describe('scs-node-audit --once on this machine (the real /proc, default config, probes on)', () => {
  it('exits 0, every check skip, and says no component was found — unless this machine runs Kubernetes', async (t) => {
    const { exclusiveHost } = await import('../support/etcd.js');
    // Other test files start processes that look like etcd or a kubelet; wait until none runs.
    /* eslint-disable @typescript-eslint/require-await -- exclusiveHost takes a function that returns a promise */
    await exclusiveHost(
      async () => {
        const run = runCli(['--once', '--format', 'json']);
        const report = parseReport(run);
        if (report.components.length > 0) {
          t.skip(`this machine runs ${report.components.map((c) => c.name).join(', ')}`);
          return;
        }
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual([...new Set(report.checks.map((c) => c.status))], ['skip']);
        assert.ok(
          report.notes.some((n) => /not a Kubernetes node/.test(n)),
          report.notes.join('\n'),
        );
        const text = runCli(['--once']);
        assert.equal(text.status, 0);
        assert.match(text.stdout, /not a Kubernetes node/);
      },
      async () => {},
    );
    /* eslint-enable @typescript-eslint/require-await */
  });
});
