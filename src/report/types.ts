import type { Finding, Status } from '../checks/types.js';
import type { ComponentName, ComponentSource } from '../collect/types.js';

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
  /** `compliant` is null on a host where no Kubernetes runs (DESIGN §4). */
  summary: Record<Status, number> & { compliant: boolean | null };
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
}

/** A finding as the report shows it: DESIGN §4 fields only. */
export type ReportCheck = Omit<Finding, 'messageId'>;
