// Counting findings and deciding compliance: shared by every renderer and the metrics.
import { STATUSES, type Finding, type Level, type Status } from '../checks/types.js';
import type { Report } from './types.js';
import { countsAsFailure, type AppliedWaiver } from './waivers.js';

type Countable = Pick<Finding, 'level' | 'status'> & { waiver?: AppliedWaiver };

/** DESIGN §4: `compliant` is true when no MUST check has status `fail` or `error` (a currently waived `fail` does not count). */
export function isCompliant(checks: readonly Countable[]): boolean {
  return !checks.some((c) => c.level === 'MUST' && countsAsFailure(c));
}

export function summarize(checks: readonly Countable[]): Report['summary'] {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const check of checks) counts[check.status] += 1;
  const waived = checks.filter((c) => c.status === 'fail' && c.waiver !== undefined).length;
  return { ...counts, compliant: isCompliant(checks), waived };
}

/** `N passed, N failed, N unknown, N skipped, N errors — compliant|NOT compliant` */
export function summaryLine(summary: Report['summary']): string {
  const failed = summary.waived > 0 ? `${summary.fail} failed (${summary.waived} waived)` : `${summary.fail} failed`;
  const counts = `${summary.pass} passed, ${failed}, ${summary.unknown} unknown, ${summary.skip} skipped, ${summary.error} errors`;
  return `${counts} — ${summary.compliant ? 'compliant' : 'NOT compliant'}`;
}

/** Levels whose `fail`/`error` makes a run fail, by `--fail-on` (DESIGN §1; OPTIONAL never does). */
export const FAILING_LEVELS = {
  must: ['MUST'],
  should: ['MUST', 'SHOULD', 'RECOMMENDED'],
  never: [],
} as const satisfies Record<string, readonly Level[]>;
