// The published JSON Schemas (docs/schema/) and SARIF output, validated with a real JSON Schema
// validator against real output: the CLI run on every fixture host. ajv is the validator most
// JSON Schema tooling in the npm ecosystem builds on; ajv-draft-04 because the official SARIF
// 2.1.0 schema is written in draft-04; ajv-formats so that `date-time` and `uri` are checked, not
// ignored. The SARIF schema is the OASIS one as @microsoft/jest-sarif ships it
// (lib/schemas/sarif-2.1.0-rtm.5.json, the 2.1.0 release schema).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvDraft04Module from 'ajv-draft-04';
import ajvFormatsModule from 'ajv-formats';
import { CHECKS } from '../../src/checks/index.js';
import { parseConfig } from '../../src/config.js';
import { renderSarif, SARIF_LEVEL } from '../../src/report/sarif.js';
import { CONFIG_SCHEMA_PATH, renderConfigSchema } from '../../scripts/gen-schemas.js';
import { FIXTURE_HOSTS, fixtureConfig, runCli } from '../support/cli.js';
import { reportCheck, sampleReport } from '../support/sample-report.js';
import { repoRoot } from '../support/paths.js';

// Both are CommonJS with `exports.default`; under NodeNext a default import is the whole module.
const addFormats = ajvFormatsModule.default;
const AjvDraft04 = ajvDraft04Module.default;

const readJson = (file: string): object => JSON.parse(readFileSync(file, 'utf8')) as object;
const reportSchema = readJson(path.join(repoRoot, 'docs/schema/report.schema.json'));
const configSchema = readJson(path.join(repoRoot, CONFIG_SCHEMA_PATH));
const sarifSchema = readJson(
  createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'),
);

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validateReport = ajv.compile(reportSchema);
const validateConfig = ajv.compile(configSchema);
// The OASIS schema predates strict mode (draft-04 `id`, keywords strict mode flags).
// unicodeRegExp: false because the OASIS schema's language pattern `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$` is no valid /u regex.
const ajv04 = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv04);
const validateSarif = ajv04.compile(sarifSchema);

function assertValid(validate: ValidateFunction, value: unknown, what: string): void {
  const ok = validate(value);
  assert.ok(ok, `${what}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
}

const fixtures = readdirSync(FIXTURE_HOSTS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('docs/schema/report.schema.json and SARIF 2.1.0: the real CLI output of every fixture host', () => {
  it('finds the fixtures', () => assert.ok(fixtures.length >= 10, fixtures.join(', ')));
  for (const name of fixtures) {
    it(`${name}: --format json is valid against the report schema, --format sarif against the OASIS SARIF 2.1.0 schema`, () => {
      const dir = path.join(FIXTURE_HOSTS, name);
      const args = ['--once', '--root', dir, '--config', fixtureConfig(dir), '--no-probes'];
      const json = runCli([...args, '--format', 'json']);
      assert.ok(json.status === 0 || json.status === 1, json.stderr);
      assertValid(validateReport, JSON.parse(json.stdout), `${name} report`);
      const sarif = runCli([...args, '--format', 'sarif']);
      assert.equal(sarif.status, json.status, sarif.stderr);
      const log = JSON.parse(sarif.stdout) as {
        version: string;
        runs: {
          results: { ruleId: string; kind: string; level: string }[];
          tool: { driver: { rules: { id: string }[] } };
        }[];
      };
      assertValid(validateSarif, log, `${name} SARIF`);
      assert.equal(log.version, '2.1.0');
      // One result per check that did not pass or skip, each naming a rule of the driver.
      const report = JSON.parse(json.stdout) as {
        checks: { id: string; status: string; level: keyof typeof SARIF_LEVEL }[];
      };
      const notPassed = report.checks.filter((c) => ['fail', 'error', 'unknown'].includes(c.status));
      assert.deepEqual(
        log.runs[0]!.results.map((r) => r.ruleId),
        notPassed.map((c) => c.id),
      );
      assert.deepEqual(
        log.runs[0]!.tool.driver.rules.map((r) => r.id),
        report.checks.map((c) => c.id),
      );
      for (const check of notPassed) {
        const result = log.runs[0]!.results.find((r) => r.ruleId === check.id)!;
        assert.deepEqual(
          [result.kind, result.level],
          check.status === 'unknown' ? ['review', 'none'] : ['fail', SARIF_LEVEL[check.level]],
          check.id,
        );
      }
    });
  }

  it('the schema rejects what the report must never hold: an unknown status, a waiver on a pass, a missing summary', () => {
    const good = JSON.parse(
      runCli([
        '--once',
        '--root',
        path.join(FIXTURE_HOSTS, 'kubeadm-1.36-worker'),
        '--config',
        '/dev/null',
        '--no-probes',
        '--format',
        'json',
      ]).stdout,
    ) as Record<string, unknown> & { checks: Record<string, unknown>[] };
    assertValid(validateReport, good, 'worker');
    const bad = (change: (doc: typeof good) => void) => {
      const doc = structuredClone(good);
      change(doc);
      return validateReport(doc);
    };
    assert.equal(
      bad((d) => (d.checks[0]!.status = 'waived')),
      false,
    );
    assert.equal(
      bad((d) => (d.checks[0]!.waiver = { reason: 'r', owner: 'o', expires: '2027-01-01' })),
      false,
      'a waiver on a non-fail',
    );
    assert.equal(
      bad((d) => delete d.summary),
      false,
    );
    assert.equal(
      bad((d) => (d.checks[0]!.id = 'not-a-check')),
      false,
    );
  });

  it("the report schema knows exactly the registry's check ids", () => {
    const schema = reportSchema as { definitions: { check: { properties: { id: { enum: string[] } } } } };
    assert.deepEqual(
      schema.definitions.check.properties.id.enum,
      CHECKS.map((c) => c.id),
    );
  });
});

describe("SARIF: waivers are suppressions, levels follow the standard's keywords", () => {
  it('a waived MUST failure is a suppressed error result; SHOULD fails are warnings, OPTIONAL notes; valid against the schema', () => {
    const report = sampleReport([
      reportCheck({
        id: 'version-patch-current',
        component: 'node',
        status: 'fail',
        waiver: { reason: 'upgrade booked', owner: 'ops', expires: '2027-01-31' },
      }),
      reportCheck({ id: 'etcd-isolated', component: 'etcd', level: 'SHOULD', status: 'fail' }),
      reportCheck({ id: 'kubelet-client-authn', level: 'OPTIONAL', status: 'fail' }),
      reportCheck({ id: 'kubelet-anonymous-auth', status: 'pass' }),
    ]);
    const log = JSON.parse(renderSarif(report)) as {
      runs: { results: { ruleId: string; level: string; suppressions?: { justification: string }[] }[] }[];
    };
    assertValid(validateSarif, log, 'sample SARIF');
    // The validator is not a rubber stamp: a wrong level or a missing message is refused.
    assert.equal(
      validateSarif({ ...log, runs: [{ ...log.runs[0], results: [{ ...log.runs[0]!.results[0], level: 'fatal' }] }] }),
      false,
    );
    assert.equal(validateSarif({ ...log, runs: [{ ...log.runs[0], results: [{ ruleId: 'x' }] }] }), false);
    const results = log.runs[0]!.results;
    assert.deepEqual(
      results.map((r) => [r.ruleId, r.level]),
      [
        ['version-patch-current', 'error'],
        ['etcd-isolated', 'warning'],
        ['kubelet-client-authn', 'note'],
      ],
    );
    assert.match(results[0]!.suppressions![0]!.justification, /upgrade booked \(owner ops, expires 2027-01-31\)/);
    assert.equal(results[1]!.suppressions, undefined);
  });
});

describe('docs/schema/config.schema.json', () => {
  it('is what scripts/gen-schemas.ts generates from the config rules (run it and commit the result)', () => {
    assert.equal(readFileSync(path.join(repoRoot, CONFIG_SCHEMA_PATH), 'utf8'), renderConfigSchema());
  });

  it('accepts the README example config and every fixture audit-config.yaml, and the program accepts them too', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/```yaml\n# \/etc\/scs-node-audit\/config\.yaml[^\n]*\n([\s\S]*?)```/g)].map(
      (m) => m[1]!,
    );
    assert.ok(examples.length >= 3, 'README has config examples: general, waivers, releases');
    const files = fixtures.map((f) => fixtureConfig(path.join(FIXTURE_HOSTS, f))).filter((f) => f !== '/dev/null');
    for (const [origin, text] of [
      ...examples.map((e, i) => [`README example ${i}`, e] as const),
      ...files.map((f) => [f, readFileSync(f, 'utf8')] as const),
    ]) {
      const value = parseConfig(text, origin);
      // Through JSON, as a YAML-aware editor hands the document to a schema validator.
      assertValid(validateConfig, JSON.parse(JSON.stringify(value)), origin);
    }
  });

  it('rejects what the program rejects: an unknown key, a waiver without reason, an unknown check id', () => {
    assert.equal(validateConfig({ listen: '127.0.0.1:1', colour: true }), false);
    assert.equal(validateConfig({ waivers: [{ check: 'etcd-isolated', owner: 'o', expires: '2027-01-01' }] }), false);
    assert.equal(validateConfig({ selection: { checks: ['etcd-isolation'] } }), false);
    assert.equal(
      validateConfig({
        waivers: [{ check: 'etcd-isolated', reason: 'r', owner: 'o', expires: '2027-01-01' }],
        selection: { levels: ['must'] },
      }),
      true,
    );
  });
});
