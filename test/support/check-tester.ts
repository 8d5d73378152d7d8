// RuleTester for checks: every check is tested with pass, fail, unknown and skip cases, each
// fed through the real resolve stage; weak tests are made hard to write.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckContext, CheckDefinition, Status } from '../../src/checks/types.js';
import { evaluateCheck } from '../../src/checks/run.js';
import { resolveHost } from '../../src/resolve/index.js';
import { BUNDLED_RELEASES, type ReleaseTable } from '../../src/resolve/release-table.js';
import { hostSnapshot, type HostSpec } from './host.js';

export interface CheckCase {
  /** What the case shows; regressions name their origin ("kube-bench#2095: space form"). */
  name: string;
  host: HostSpec;
  context?: Partial<CheckContext>;
  releases?: ReleaseTable;
  /** Required for every group but `pass`; checked against the check's messages. */
  messageId?: string;
  /** Substrings the rendered message must contain (e.g. the file or flag it names). */
  messageIncludes?: string[];
}

export interface CheckCases {
  pass: CheckCase[];
  fail: CheckCase[];
  unknown: CheckCase[];
  skip: CheckCase[];
}

export const DEFAULT_CONTEXT: CheckContext = {
  now: new Date('2026-11-29T10:00:00Z'),
  internalCIDRs: [],
  strictAuthentication: false,
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function runCheckCases(check: CheckDefinition, cases: CheckCases): void {
  describe(check.id, () => {
    const names = new Set<string>();
    for (const status of ['pass', 'fail', 'unknown', 'skip'] as const satisfies readonly Status[]) {
      it(`has ${status} cases`, () => assert.ok(cases[status].length > 0, `${check.id}: no ${status} case`));
      for (const c of cases[status]) {
        it(`${status}: ${c.name}`, () => {
          assert.ok(!names.has(c.name), `duplicate case name "${c.name}"`);
          names.add(c.name);
          if (status !== 'pass') assert.ok(c.messageId, `case "${c.name}" needs a messageId`);
          if (c.messageId) assert.ok(c.messageId in check.messages, `"${c.messageId}" is not a message of ${check.id}`);

          const snapshot = deepFreeze(hostSnapshot(c.host));
          const host = resolveHost(snapshot, { releases: c.releases ?? BUNDLED_RELEASES });
          const context = deepFreeze({ ...DEFAULT_CONTEXT, ...c.context });
          const finding = evaluateCheck(check, host, context);

          assert.equal(
            finding.status,
            status,
            `${c.name}: expected ${status}, got ${finding.status}: ${finding.message}`,
          );
          if (c.messageId) assert.equal(finding.messageId, c.messageId, finding.message);
          for (const part of c.messageIncludes ?? [])
            assert.ok(finding.message.includes(part), `message "${finding.message}" lacks "${part}"`);
          if (status === 'pass' || status === 'fail') {
            assert.ok(finding.evidence.length > 0, `${status} finding without evidence: ${finding.message}`);
          }
          assert.doesNotMatch(finding.message, /\{\{\w+\}\}/, 'message has an unfilled placeholder');
        });
      }
    }
  });
}
