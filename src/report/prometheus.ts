// The metrics of DESIGN §5, from prom-client, for `GET /metrics` and `--format prometheus`.
// Values are read from an audit state at collect time, so a scrape never runs an audit and
// the series set only changes when a report does. Labels carry ids, levels, statuses,
// component names and versions only: never paths, flag values, messages or pids.
import { Counter, Gauge, Registry } from 'prom-client';
import { STATUSES } from '../checks/types.js';
import { COMPONENTS } from '../collect/types.js';
import type { Report } from './types.js';
import { waiverExpiry } from './waivers.js';

export const METRIC_PREFIX = 'scs_node_audit_';
export const STANDARD_LABEL = 'scs-0217-v1';

/** The last audit run, successful or not. */
export interface RunRecord {
  startedAt: Date;
  durationMs: number;
  success: boolean;
  /** Why a failed run failed (one line, for the status page). */
  error?: string;
}

/** What the metrics show: the last good report and the run counters. */
export interface AuditMetricsState {
  /** Tool version for `build_info`; known before the first report. */
  version: string;
  /** Last good report; undefined until an audit succeeded. */
  report: Report | undefined;
  lastRun: RunRecord | undefined;
  runs: number;
  runFailures: number;
  /** The configured audit interval (`interval`); the stale alert measures the last run's age against it. */
  intervalSeconds?: number;
}

/**
 * Registers the scs_node_audit_* families on `registry`; each collect reads `readState()`.
 * Families without data (before the first run) show HELP/TYPE and no sample, so an absent
 * series means "not known yet", never a 0 that alerts would read as non-compliant.
 */
export function registerAuditMetrics(registry: Registry, readState: () => AuditMetricsState): void {
  const registers = [registry];

  new Gauge({
    name: `${METRIC_PREFIX}check_status`,
    help: 'Status of each scs-0217 check in the last good audit: one series per status, 1 for the current one.',
    labelNames: ['check_id', 'component', 'level', 'status'] as const,
    registers,
    collect() {
      this.reset();
      for (const check of readState().report?.checks ?? []) {
        for (const status of STATUSES) {
          this.set({ check_id: check.id, component: check.component, level: check.level, status }, check.status === status ? 1 : 0);
        }
      }
    },
  });

  new Gauge({
    name: `${METRIC_PREFIX}check_info`,
    help: 'Metadata of each scs-0217 check (always 1).',
    labelNames: ['check_id', 'title', 'level', 'component'] as const,
    registers,
    collect() {
      this.reset();
      for (const check of readState().report?.checks ?? []) {
        this.set({ check_id: check.id, title: check.title, level: check.level, component: check.component }, 1);
      }
    },
  });

  new Gauge({
    name: `${METRIC_PREFIX}check_waived`,
    help: 'Whether a current operator waiver keeps this failing check out of the verdict (1); absent for checks not waived.',
    labelNames: ['check_id', 'component', 'level'] as const,
    registers,
    collect() {
      this.reset();
      for (const check of readState().report?.checks ?? []) {
        if (check.waiver) this.set({ check_id: check.id, component: check.component, level: check.level }, 1);
      }
    },
  });

  new Gauge({
    name: `${METRIC_PREFIX}waiver_expiry_timestamp_seconds`,
    help: 'When each configured waiver stops applying (00:00 UTC of its expiry date), in seconds since the epoch.',
    labelNames: ['check_id', 'component'] as const,
    registers,
    collect() {
      this.reset();
      for (const waiver of readState().report?.waivers ?? []) {
        this.set({ check_id: waiver.check, component: waiver.component }, waiverExpiry(waiver.expires).getTime() / 1000);
      }
    },
  });

  new Gauge({
    name: `${METRIC_PREFIX}release_table_age_seconds`,
    help: 'Age of the Kubernetes release table at the last good audit: its start minus the day the table is complete for.',
    registers,
    collect() {
      const report = readState().report;
      const asOf = report?.releaseTable?.asOf;
      if (report === undefined || asOf == null) this.remove();
      else this.set(Math.max(0, (Date.parse(report.startedAt) - Date.parse(`${asOf}T00:00:00Z`)) / 1000));
    },
  });

  new Gauge({
    name: `${METRIC_PREFIX}compliant`,
    help: 'Whether the last good audit found no MUST check failing or in error and every running component judged (1) or not (0); absent on a host where no Kubernetes runs.',
    registers,
    collect() {
      const report = readState().report;
      // Absent, not 0 or 1, on a node without Kubernetes: neither compliant nor failing (DESIGN §4).
      if (report === undefined || report.summary.compliant === null) this.remove();
      else this.set(report.summary.compliant ? 1 : 0);
    },
  });

  new Gauge({
    name: `${METRIC_PREFIX}host_info`,
    help: 'The Kubernetes distribution the last good audit found on this node (always 1; no sample on a node without Kubernetes).',
    labelNames: ['distribution'] as const,
    registers,
    collect() {
      this.reset();
      const distribution = readState().report?.host.distribution;
      if (distribution) this.set({ distribution: distribution.name }, 1);
    },
  });

  new Gauge({
    name: `${METRIC_PREFIX}component_detected`,
    help: 'Whether the last good audit found this Kubernetes component on the node.',
    labelNames: ['component'] as const,
    registers,
    collect() {
      this.reset();
      const report = readState().report;
      if (report === undefined) return;
      const detected = new Set(report.components.map((component) => component.name));
      for (const component of COMPONENTS) this.set({ component }, detected.has(component) ? 1 : 0);
    },
  });

  new Gauge({
    name: `${METRIC_PREFIX}component_info`,
    help: 'Version of each component found by the last good audit (always 1).',
    labelNames: ['component', 'version'] as const,
    registers,
    collect() {
      this.reset();
      // Two processes of one component with one version are one series (set, not add).
      for (const component of readState().report?.components ?? []) {
        this.set({ component: component.name, version: component.version ?? 'unknown' }, 1);
      }
    },
  });

  const lastRunGauge = (suffix: string, help: string, value: (run: RunRecord) => number): void => {
    new Gauge({
      name: `${METRIC_PREFIX}last_run_${suffix}`,
      help,
      registers,
      collect() {
        const run = readState().lastRun;
        if (run === undefined) this.remove();
        else this.set(value(run));
      },
    });
  };
  lastRunGauge('timestamp_seconds', 'Start of the last audit run, successful or not, in seconds since the epoch.', (run) => run.startedAt.getTime() / 1000);
  lastRunGauge('duration_seconds', 'Duration of the last audit run in seconds.', (run) => run.durationMs / 1000);
  lastRunGauge('success', 'Whether the last audit run completed (1) or failed and the previous report is still served (0).', (run) => (run.success ? 1 : 0));

  new Gauge({
    name: `${METRIC_PREFIX}interval_seconds`,
    help: 'Configured audit interval in seconds (`interval`); an audit older than about two of these is stale.',
    registers,
    collect() {
      const seconds = readState().intervalSeconds;
      if (seconds === undefined) this.remove();
      else this.set(seconds);
    },
  });

  // While runs fail, last_run_timestamp_seconds moves on but the served report ages: this says how
  // old it is (alert on time() minus it), whatever the cause of the failures (e.g. deadlines).
  new Gauge({
    name: `${METRIC_PREFIX}last_success_timestamp_seconds`,
    help: 'Start of the audit whose report is served (the last good one), in seconds since the epoch.',
    registers,
    collect() {
      const report = readState().report;
      if (report === undefined) this.remove();
      else this.set(Date.parse(report.startedAt) / 1000);
    },
  });

  new Counter({
    name: `${METRIC_PREFIX}runs_total`,
    help: 'Audit runs started since the process started.',
    registers,
    collect() {
      this.reset();
      this.inc(readState().runs);
    },
  });

  new Counter({
    name: `${METRIC_PREFIX}run_failures_total`,
    help: 'Audit runs that failed (the previous report stays served).',
    registers,
    collect() {
      this.reset();
      this.inc(readState().runFailures);
    },
  });

  new Gauge({
    name: `${METRIC_PREFIX}build_info`,
    help: 'Build of scs-node-audit (always 1).',
    labelNames: ['version', 'nodejs_version', 'standard'] as const,
    registers,
    collect() {
      this.reset();
      this.set({ version: readState().version, nodejs_version: process.version, standard: STANDARD_LABEL }, 1);
    },
  });
}

/**
 * `--format prometheus`: the scs_node_audit_* families of one finished audit, no process metrics.
 * `intervalMs` is the configured `interval`: a textfile written by a timer is as stale as the
 * daemon's report when the timer stops, so set `interval` to the timer's period.
 */
export async function renderPrometheus(report: Report, intervalMs?: number): Promise<string> {
  const registry = new Registry();
  const state: AuditMetricsState = {
    version: report.tool.version,
    report,
    lastRun: { startedAt: new Date(report.startedAt), durationMs: report.durationMs, success: true },
    runs: 1,
    runFailures: 0,
    ...(intervalMs === undefined ? {} : { intervalSeconds: intervalMs / 1000 }),
  };
  registerAuditMetrics(registry, () => state);
  return registry.metrics();
}
