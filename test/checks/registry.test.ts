// The tree agrees with the registry, as ESLint's checkRuleFiles: file name = id, ids match
// DESIGN §3 in order, each check has its test file, its quote is in the standard, docs are current.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CHECKS } from '../../src/checks/index.js';
import { LEVELS } from '../../src/checks/types.js';
import { generateDocs, repoRoot } from '../../scripts/gen-docs.js';

/** DESIGN §3, in order: the contract (dashboards and alerts key on these ids). */
const DESIGN_IDS = [
  'version-supported',
  'version-patch-current',
  'version-skew',
  'etcd-isolated',
  'etcd-client-tls',
  'etcd-peer-tls',
  'etcd-client-cert-auth',
  'etcd-peer-cert-auth',
  'etcd-auth-enabled',
  'etcd-separate-ca',
  'apiserver-etcd-tls',
  'apiserver-etcd-identity',
  'network-exposure',
  'endpoints-https',
  'kubelet-read-only-port',
  'apiserver-authn-service-account',
  'apiserver-authn-second-method',
  'apiserver-authz-node',
  'apiserver-authz-policy',
  'apiserver-authz-rbac',
  'apiserver-admission-node-restriction',
  'apiserver-admission-pod-security',
  'apiserver-pod-security-baseline',
  'apiserver-pod-security-enforce',
  'kubelet-anonymous-auth',
  'kubelet-authz-webhook',
  'kubelet-node-identity',
  'kubelet-client-authn',
];

const ROOT = repoRoot();
// CI checks the repository out beside a read-only ../shared/ holding DESIGN.md and the standard.
const SHARED = path.resolve(ROOT, '..', 'shared');
const STANDARD_PATH = path.join(SHARED, 'standard', 'scs-0217-v1-cluster-hardening.md');
const DESIGN_PATH = path.join(SHARED, 'DESIGN.md');
const NOT_CHECKS = new Set(['define-check.ts', 'index.ts', 'run.ts', 'select.ts', 'types.ts']);

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The "## Standard" section of scs-0217-v1, whitespace-normalised (the markdown wraps lines anywhere). */
function standardSection(markdown: string): string {
  const start = markdown.indexOf('\n## Standard\n');
  assert.ok(start >= 0, 'the standard has a "## Standard" section');
  const end = markdown.indexOf('\n## ', start + 1);
  return normalise(markdown.slice(start, end < 0 ? undefined : end));
}

describe('check registry', () => {
  const ids = CHECKS.map((c) => c.id);

  it('ids are unique', () => {
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
    );
  });

  it('ids are exactly DESIGN §3, in its order', () => {
    assert.deepEqual(ids, DESIGN_IDS);
  });

  it(
    'ids and levels agree with the DESIGN.md table itself',
    { skip: existsSync(DESIGN_PATH) ? false : `${DESIGN_PATH} not present (needs ../shared beside the checkout)` },
    () => {
      const section = readFileSync(DESIGN_PATH, 'utf8').split('\n## 3.')[1]!.split('\n## 4.')[0]!;
      const rows = [...section.matchAll(/^\| `([a-z0-9-]+)` \| (MUST|SHOULD|RECOMMENDED|OPTIONAL) \|/gm)].map((m) => [
        m[1],
        m[2],
      ]);
      assert.deepEqual(
        rows,
        CHECKS.map((c) => [c.id, c.level]),
      );
    },
  );

  it('every file in src/checks/ is a registered check', () => {
    const files = readdirSync(path.join(ROOT, 'src', 'checks')).filter((f) => f.endsWith('.ts') && !NOT_CHECKS.has(f));
    assert.deepEqual(files.map((f) => f.slice(0, -3)).sort(), [...ids].sort());
  });

  for (const check of CHECKS) {
    describe(check.id, () => {
      it('lives in src/checks/<id>.ts (file name = id)', async () => {
        const module = (await import(`../../src/checks/${check.id}.js`)) as { default: unknown };
        assert.equal(module.default, check, `src/checks/${check.id}.ts does not export this check`);
      });

      it('has test/checks/<id>.test.ts', () => {
        assert.ok(
          existsSync(path.join(ROOT, 'test', 'checks', `${check.id}.test.ts`)),
          `missing test/checks/${check.id}.test.ts`,
        );
      });

      it('has a title, level, section, quote, remediation and messages', () => {
        assert.ok(check.title.trim().length > 0, 'title');
        assert.ok((LEVELS as readonly string[]).includes(check.level), 'level');
        assert.ok(check.requirement.section.trim().length > 0, 'requirement.section');
        assert.ok(check.requirement.quote.trim().length > 0, 'requirement.quote');
        assert.ok(check.remediation.trim().length > 0, 'remediation');
        assert.ok(Object.keys(check.messages).length > 0, 'messages');
        for (const [id, template] of Object.entries(check.messages as Record<string, string>)) {
          assert.match(id, /^[a-z][A-Za-z0-9]*$/, `message id ${id} is camelCase`);
          assert.ok(template.trim().length > 0, `message ${id} is empty`);
        }
      });

      it(
        'quotes the standard verbatim',
        {
          skip: existsSync(STANDARD_PATH)
            ? false
            : `${STANDARD_PATH} not present (needs ../shared beside the checkout)`,
        },
        () => {
          const standard = standardSection(readFileSync(STANDARD_PATH, 'utf8'));
          assert.ok(
            standard.includes(normalise(check.requirement.quote)),
            `quote of ${check.id} is not in the "## Standard" section: ${check.requirement.quote}`,
          );
        },
      );
    });
  }
});

describe('generated docs', () => {
  const docs = generateDocs(ROOT);
  const hint = 'run `node --import tsx scripts/gen-docs.ts` and commit the result';

  it('docs/checks.md is current', () => {
    assert.ok(docs.checksDoc.current !== undefined, `docs/checks.md is missing; ${hint}`);
    assert.equal(docs.checksDoc.current, docs.checksDoc.expected, `docs/checks.md is out of date; ${hint}`);
  });

  it('the README check table is current', () => {
    assert.equal(docs.readme.current, docs.readme.expected, `README.md check table is out of date; ${hint}`);
  });

  it('docs/checks.md has a section per check, in order', () => {
    const headings = [...docs.checksDoc.expected.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    assert.deepEqual(
      headings,
      CHECKS.map((c) => c.id),
    );
  });
});
