import type { Finding, Status } from '../checks/types.js';
import type { ComponentName } from '../collect/types.js';
import type { AppliedWaiver, ReportWaiver } from './waivers.js';

/** The JSON report of DESIGN §4 (`--format json`, `GET /report`). */
export interface Report {
  schemaVersion: 1;
  tool: { name: 'scs-node-audit'; version: string };
  standard: { id: 'scs-0217'; version: 'v1' };
  host: { hostname: string; roles: string[] };
  startedAt: string;
  durationMs: number;
  components: ReportComponent[];
  checks: ReportCheck[];
  /** Host-level notes: no component found, static pod fallback, ambiguous processes. */
  notes: string[];
  /**
   * `waived`: findings with status `fail` that a current waiver keeps out of `compliant` and the
   * exit code (they are also counted in `fail`).
   */
  summary: Record<Status, number> & { compliant: boolean; waived: number };
  // The three fields below came with waivers, check selection and release refresh (issue 11). They
  // are optional here so that code building a Report by hand keeps compiling; the JSON document
  // always has them (reportDocument fills `[]` and `null`).
  /** Every configured waiver for a selected check, current or expired. */
  waivers?: ReportWaiver[];
  /** `null` when every check ran; otherwise what was asked for and which checks were not judged. */
  selection?: ReportSelection | null;
  /** The release table the version checks used. */
  releaseTable?: { source: string; asOf: string | null } | null;
}

export interface ReportSelection {
  /** `--check` / `selection.checks`; null when not given. */
  checks: string[] | null;
  skip: string[];
  /** Lower-case levels (`must`, `should`, …); null when not given. */
  levels: string[] | null;
  components: string[] | null;
  /** Ids of the checks this run did not evaluate, in registry order. */
  notSelected: string[];
}

export interface ReportComponent {
  name: ComponentName;
  pid: number;
  version: string | null;
  /** Where the audited command line came from; see ProcessInfo['source']. */
  source: 'process' | 'static-pod-manifest' | 'systemd-unit';
  /**
   * Every process of the component, when there are several or one is suspicious (all were judged,
   * the worst verdict counts); `pid` above is the first of them.
   */
  processes?: Array<{ pid: number; trusted: boolean; reasons?: string[] }>;
}

/** A finding as the report shows it: DESIGN §4 fields only. */
export type ReportCheck = Omit<Finding, 'messageId'> & { waiver?: AppliedWaiver };
