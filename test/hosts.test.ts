// Golden test over the fake roots of real Kubernetes distributions (STYLE §3.5): every fixture
// under test/fixtures/hosts/ goes through the real pipeline (collect → resolve → evaluate) and
// each check's status and message id must equal the fixture's expected.json (the id pins which
// branch of the check decided, not only the verdict). `UPDATE=1` rewrites expected.json
// from the engine for review (node_exporter's `-u`, attw's `U=1`); never commit it unread.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { auditWithFindings, runAudit } from '../src/audit.js';
import { CHECKS } from '../src/checks/index.js';
import type { Finding, Status } from '../src/checks/types.js';
import { mergeFlags, parseConfig, type AuditConfig, type ConfigFile } from '../src/config.js';
import type { Report, ReportCheck } from '../src/report/types.js';
import { BUNDLED_RELEASES } from '../src/resolve/release-table.js';

const AUDIT_TIME = new Date('2026-11-29T10:00:00Z');
const HERE = path.dirname(fileURLToPath(import.meta.url));
// Run from test/ by tsx, or from dist/test/ after `tsc` (which copies no fixtures).
const HOSTS = [path.join(HERE, 'fixtures/hosts'), path.join(HERE, '../../test/fixtures/hosts')].find((dir) =>
  existsSync(dir),
)!;
const UPDATE = process.env.UPDATE === '1';

/** Secrets planted in parsing-traps/etc/kubernetes/kubelet.conf; no report may contain them. */
const PLANTED_SECRETS = [
  'scs-trap-secret-token-5d41402abc4b2a76',
  'SCS-TRAP-SECRET-client-key-data-7f3a9c',
  Buffer.from('SCS-TRAP-SECRET-client-key-data-7f3a9c').toString('base64'),
];

interface Expected {
  /** Why a fixture expects what it does lives in its README.md; this file is only the table. */
  checks: Record<string, Status>;
  /** The message id each check answered with (its `messages` key). */
  messages?: Record<string, string>;
}

function fixtureNames(): string[] {
  return readdirSync(HOSTS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Defaults plus the fixture's audit-config.yaml; probes off, since a fake root has no live ports. */
function configFor(dir: string): AuditConfig {
  const file = path.join(dir, 'audit-config.yaml');
  const parsed: ConfigFile = existsSync(file) ? parseConfig(readFileSync(file, 'utf8'), file) : {};
  return { ...mergeFlags(parsed, { 'no-probes': true }, dir), releaseTable: BUNDLED_RELEASES };
}

function audit(dir: string): { report: Report; findings: readonly Finding[] } {
  return auditWithFindings({ root: dir, now: AUDIT_TIME, config: configFor(dir) });
}

function describeFinding(check: ReportCheck): string {
  const evidence = check.evidence.map((e) => `  ${e.source}: ${e.detail}`).join('\n') || '  (no evidence)';
  return `${check.id} is ${check.status}: ${check.message}\n${evidence}`;
}

function readExpected(dir: string): Expected | undefined {
  const file = path.join(dir, 'expected.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Expected) : undefined;
}

function writeExpected(dir: string, report: Report, findings: readonly Finding[]): void {
  const checks = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
  const messages = Object.fromEntries(findings.map((f) => [f.id, f.messageId]));
  writeFileSync(path.join(dir, 'expected.json'), `${JSON.stringify({ checks, messages }, null, 2)}\n`);
}

for (const name of fixtureNames()) {
  const dir = path.join(HOSTS, name);
  describe(`fixture ${name}`, () => {
    const { report, findings } = audit(dir);
    if (UPDATE) writeExpected(dir, report, findings);
    const expected = readExpected(dir);

    it('has an expected.json naming every check of DESIGN §3', () => {
      assert.ok(expected, `${name}: no expected.json (run with UPDATE=1 and review it)`);
      assert.deepEqual(Object.keys(expected.checks).sort(), CHECKS.map((c) => c.id).sort());
      assert.deepEqual(
        Object.keys(expected.messages ?? {}).sort(),
        CHECKS.map((c) => c.id).sort(),
        `${name}: expected.json lacks message ids (UPDATE=1)`,
      );
    });

    it('has a README.md that cites its sources', () => {
      const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
      assert.match(readme, /## Sources/);
      assert.match(readme, /## Not verified/);
    });

    for (const check of CHECKS) {
      it(check.id, () => {
        const finding = report.checks.find((c) => c.id === check.id);
        assert.ok(finding, `${check.id} missing from the report`);
        assert.notEqual(finding.status, 'error', describeFinding(finding));
        assert.equal(finding.status, expected?.checks[check.id], describeFinding(finding));
        assert.equal(
          findings.find((f) => f.id === check.id)?.messageId,
          expected?.messages?.[check.id],
          describeFinding(finding),
        );
        if (finding.status === 'pass' || finding.status === 'fail') {
          assert.ok(finding.evidence.length > 0, `${check.id}: ${finding.status} without evidence`);
        }
      });
    }

    it('never puts a secret or a private key into the JSON report', () => {
      const json = JSON.stringify(report);
      for (const secret of PLANTED_SECRETS)
        assert.ok(!json.includes(secret), `report contains planted secret ${secret}`);
      assert.doesNotMatch(json, /PRIVATE KEY/);
    });
  });
}

describe('a kubelet-client-current.pem that holds the private key too, as on a real node', () => {
  // The fixture pem holds only the certificate (no key in git); here a freshly generated key is
  // appended in a temporary copy, so that a report leaking file content would be caught.
  const fixture = 'kubeadm-1.34-control-plane';
  const work = mkdtempSync(path.join(tmpdir(), 'scs-hosts-key-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const root = path.join(work, fixture);
  cpSync(path.join(HOSTS, fixture), root, { recursive: true, verbatimSymlinks: true });
  const pkiDir = path.join(root, 'var/lib/kubelet/pki');
  const dated = readdirSync(pkiDir).find((f) => /^kubelet-client-\d/.test(f));
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const keyBody = keyPem.split('\n')[1]!;

  it('keeps the key out of the report and still reads the certificate', () => {
    assert.ok(dated, `${fixture} has no dated kubelet client pem`);
    appendFileSync(path.join(pkiDir, dated), keyPem);
    const report = runAudit({ root, now: AUDIT_TIME, config: configFor(path.join(HOSTS, fixture)) });
    const json = JSON.stringify(report);
    assert.doesNotMatch(json, /PRIVATE KEY/);
    assert.ok(!json.includes(keyBody), 'report contains private key material');
    const identity = report.checks.find((c) => c.id === 'kubelet-node-identity');
    assert.ok(identity);
    assert.equal(
      identity.status,
      readExpected(path.join(HOSTS, fixture))?.checks['kubelet-node-identity'],
      describeFinding(identity),
    );
  });
});
