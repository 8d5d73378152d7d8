// Counting findings and deciding compliance: shared by every renderer and the metrics.
import { STATUSES, type Finding, type Level, type Status } from '../checks/types.js';
import type { Report } from './types.js';
import { countsAsFailure, type AppliedWaiver } from './waivers.js';

type Countable = Pick<Finding, 'level' | 'status'> & { waiver?: AppliedWaiver };

/** DESIGN §4: `compliant` is true when no MUST check has status `fail` or `error` (a currently waived `fail` does not count). */
export function isCompliant(checks: readonly Countable[]): boolean {
  return !checks.some((c) => c.level === 'MUST' && countsAsFailure(c));
}

/** What the checks covered: whether Kubernetes runs here at all, and how many of its components were not judged. */
export interface Coverage {
  /** A component or a Kubernetes distribution was found on the host. */
  kubernetes: boolean;
  /** Components a distribution runs here whose settings could not be established. */
  notJudged: number;
}

/**
 * DESIGN §4: `null` on a host where no Kubernetes runs ("not a Kubernetes node": nothing was
 * judged, which must never read as compliant); `false` while a running component was not judged
 * (promise 1: not audited is never a pass); else whether no MUST check failed or erred.
 */
export function compliance(checks: readonly Countable[], coverage: Coverage): boolean | null {
  if (!coverage.kubernetes) return null;
  return coverage.notJudged === 0 && isCompliant(checks);
}

export function countStatuses(checks: readonly Countable[]): Record<Status, number> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const check of checks) counts[check.status] += 1;
  return counts;
}

/** Failures a waiver covers: still counted as `fail`, but not against `compliant` or the exit code. */
export function countWaived(checks: readonly Countable[]): number {
  return checks.filter((c) => c.status === 'fail' && c.waiver !== undefined).length;
}

export function summarize(checks: readonly Countable[], coverage: Coverage): Report['summary'] {
  return { ...countStatuses(checks), compliant: compliance(checks, coverage), waived: countWaived(checks) };
}

/** The verdict word of a summary, as text and the status page show it. */
export function verdictWord(compliant: boolean | null): string {
  return compliant === null ? 'not a Kubernetes node' : compliant ? 'compliant' : 'NOT compliant';
}

/** `N passed, N failed, N unknown, N skipped, N errors — compliant|NOT compliant|not a Kubernetes node` */
export function summaryLine(summary: Report['summary']): string {
  const failed = summary.waived > 0 ? `${summary.fail} failed (${summary.waived} waived)` : `${summary.fail} failed`;
  const counts = `${summary.pass} passed, ${failed}, ${summary.unknown} unknown, ${summary.skip} skipped, ${summary.error} errors`;
  return `${counts} — ${verdictWord(summary.compliant)}`;
}

/** Levels whose `fail`/`error` makes a run fail, by `--fail-on` (DESIGN §1; OPTIONAL never does). */
export const FAILING_LEVELS = {
  must: ['MUST'],
  should: ['MUST', 'SHOULD', 'RECOMMENDED'],
  never: [],
} as const satisfies Record<string, readonly Level[]>;
