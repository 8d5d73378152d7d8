// Operator waivers: an accepted deviation from one check, with a reason, an owner and an expiry
// date (DESIGN §4: "Waived failures … do not count while the waiver is current").
//
// A waiver never changes what the audit found: the finding keeps status `fail` and gains
// `waiver: {reason, owner, expires}`. Only the verdict (`compliant`, the exit code) stops counting
// it, and only until the expiry date, judged by the audit's own clock (`now`, passed in).
import type { CheckComponent, Status } from '../checks/types.js';

/** One entry of the config's `waivers:` list (or of `waiversFile`), validated. */
export interface Waiver {
  check: string;
  reason: string;
  owner: string;
  /** `YYYY-MM-DD`: the first day on which the waiver no longer applies. */
  expires: string;
  /** When given, the check's own component (a guard against waiving the wrong check). */
  component?: CheckComponent;
}

/** What a waived finding carries in every report format. */
export interface AppliedWaiver {
  reason: string;
  owner: string;
  expires: string;
}

/** A configured waiver as the report lists it: current or already expired. */
export interface ReportWaiver extends AppliedWaiver {
  check: string;
  component: CheckComponent;
  /** False from 00:00 UTC of the expiry date on. */
  current: boolean;
}

interface Waivable {
  id: string;
  component: CheckComponent;
  status: Status;
  waiver?: AppliedWaiver;
}

/**
 * The instant a waiver stops applying: 00:00 UTC of its expiry date. "expires: 2027-01-31" means
 * the failure counts again on 31 January, the day the issue asked for, in every time zone at once.
 */
export function waiverExpiry(expires: string): Date {
  return new Date(`${expires}T00:00:00.000Z`);
}

export function isWaiverCurrent(waiver: Pick<Waiver, 'expires'>, now: Date): boolean {
  return now.getTime() < waiverExpiry(waiver.expires).getTime();
}

/**
 * Attach each current waiver to the `fail` finding of its check. `unknown`, `skip`, `pass` and
 * `error` are never waived: an undecided or broken check is not a deviation anyone accepted.
 * Returns the findings (new objects where waived), the waivers as the report lists them, and a
 * note per expired waiver so the operator sees why a familiar failure is back.
 */
export function applyWaivers<T extends Waivable>(
  checks: readonly T[],
  waivers: readonly Waiver[],
  now: Date,
): { checks: T[]; waivers: ReportWaiver[]; notes: string[] } {
  const byCheck = new Map(waivers.map((w) => [w.check, w]));
  const notes: string[] = [];
  const listed: ReportWaiver[] = [];
  const componentOf = new Map(checks.map((c) => [c.id, c.component]));
  for (const w of waivers) {
    const current = isWaiverCurrent(w, now);
    const component = w.component ?? componentOf.get(w.check);
    // A waiver for a check that this run did not select (--check/--skip) is not listed: it judged nothing.
    if (component === undefined) continue;
    listed.push({ check: w.check, component, reason: w.reason, owner: w.owner, expires: w.expires, current });
    if (!current)
      notes.push(`waiver for ${w.check} (owner ${w.owner}) expired on ${w.expires}; the check counts again`);
  }
  const result = checks.map((check) => {
    const w = byCheck.get(check.id);
    if (!w || check.status !== 'fail' || !isWaiverCurrent(w, now)) return check;
    return { ...check, waiver: { reason: w.reason, owner: w.owner, expires: w.expires } };
  });
  return { checks: result, waivers: listed, notes };
}

/** Whether a finding makes the verdict worse: `fail` without a current waiver, or `error`. */
export function countsAsFailure(check: Pick<Waivable, 'status' | 'waiver'>): boolean {
  return (check.status === 'fail' && check.waiver === undefined) || check.status === 'error';
}
