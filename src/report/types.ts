import type { Finding, Status } from '../checks/types.js';
import type { ComponentName, ComponentSource } from '../collect/types.js';
import type { AppliedWaiver, ReportWaiver } from './waivers.js';

/** The JSON report of DESIGN §4 (`--format json`, `GET /report`). */
export interface Report {
  schemaVersion: 1;
  tool: { name: 'scs-node-audit'; version: string };
  standard: { id: 'scs-0217'; version: 'v1' };
  host: { hostname: string; roles: string[]; distribution: ReportDistribution | null };
  startedAt: string;
  durationMs: number;
  components: ReportComponent[];
  checks: ReportCheck[];
  /** Host-level notes: no component found, static pod fallback, ambiguous processes. */
  notes: string[];
  /**
   * `waived`: findings with status `fail` that a current waiver keeps out of `compliant` and the
   * exit code (they are also counted in `fail`). `compliant` is null on a host where no
   * Kubernetes runs (DESIGN §4).
   */
  summary: Record<Status, number> & { compliant: boolean | null; waived: number };
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

/**
 * The Kubernetes distribution of the host (`k3s`, `rke2`, `k0s`, `microk8s`, `talos`, `minikube`,
 * `kind`, `kubespray`, `kubeadm`, or `unknown` when components run but nothing names their installer); null on a
 * host where no Kubernetes runs.
 */
export interface ReportDistribution {
  name: string;
  /** The distribution's own version when its record says (`v1.33.4+k3s1`), else null. */
  version: string | null;
}

export interface ReportComponent {
  name: ComponentName;
  pid: number;
  version: string | null;
  /** Where the audited command line came from; see ProcessInfo['source']. */
  source: ComponentSource;
  /** The same in words (collect/origin.ts), e.g. `inside k3s pid 812: … from the journal (…)`. */
  origin: string;
  /**
   * Every process of the component, when there are several or one is suspicious (all were judged,
   * the worst verdict counts); `pid` above is the first of them.
   */
  processes?: Array<{ pid: number; trusted: boolean; reasons?: string[] }>;
}

/** A finding as the report shows it: DESIGN §4 fields only. */
export type ReportCheck = Omit<Finding, 'messageId'> & { waiver?: AppliedWaiver };
