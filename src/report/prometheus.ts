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

type Labels = Record<string, string>;

/**
 * One metric family and how its samples follow from the state. A family with `labels` is reset
 * and refilled on every collect (a check that left the report leaves no series); one without
 * labels has a single value, and `undefined` removes the sample instead of writing 0.
 */
type Family = { name: string; help: string } & (
  | { labels: readonly string[]; samples(state: AuditMetricsState): Iterable<readonly [Labels, number]> }
  | { counter?: true; value(state: AuditMetricsState): number | undefined }
);

/** Seconds since the epoch of an ISO time stamp. */
const epochSeconds = (iso: string): number => Date.parse(iso) / 1000;

/** The families of DESIGN §5, in the order a scrape lists them. */
const FAMILIES: readonly Family[] = [
  {
    name: 'check_status',
    help: 'Status of each scs-0217 check in the last good audit: one series per status, 1 for the current one.',
    labels: ['check_id', 'component', 'level', 'status'],
    *samples(state) {
      for (const check of state.report?.checks ?? []) {
        for (const status of STATUSES)
          yield [
            { check_id: check.id, component: check.component, level: check.level, status },
            check.status === status ? 1 : 0,
          ];
      }
    },
  },
  {
    name: 'check_info',
    help: 'Metadata of each scs-0217 check (always 1).',
    labels: ['check_id', 'title', 'level', 'component'],
    samples: (state) =>
      (state.report?.checks ?? []).map((check) => [
        { check_id: check.id, title: check.title, level: check.level, component: check.component },
        1,
      ]),
  },
  {
    name: 'check_waived',
    help: 'Whether a current operator waiver keeps this failing check out of the verdict (1); absent for checks not waived.',
    labels: ['check_id', 'component', 'level'],
    samples: (state) =>
      (state.report?.checks ?? [])
        .filter((check) => check.waiver)
        .map((check) => [{ check_id: check.id, component: check.component, level: check.level }, 1]),
  },
  {
    name: 'waiver_expiry_timestamp_seconds',
    help: 'When each configured waiver stops applying (00:00 UTC of its expiry date), in seconds since the epoch.',
    labels: ['check_id', 'component'],
    samples: (state) =>
      (state.report?.waivers ?? []).map((waiver) => [
        { check_id: waiver.check, component: waiver.component },
        waiverExpiry(waiver.expires).getTime() / 1000,
      ]),
  },
  {
    name: 'release_table_age_seconds',
    help: 'Age of the Kubernetes release table at the last good audit: its start minus the day the table is complete for.',
    value({ report }) {
      const asOf = report?.releaseTable?.asOf;
      return report === undefined || asOf == null
        ? undefined
        : Math.max(0, (Date.parse(report.startedAt) - Date.parse(`${asOf}T00:00:00Z`)) / 1000);
    },
  },
  {
    name: 'compliant',
    help: 'Whether the last good audit found no MUST check failing or in error and every running component judged (1) or not (0); absent on a host where no Kubernetes runs.',
    // Absent, not 0 or 1, on a node without Kubernetes: neither compliant nor failing (DESIGN §4).
    value: ({ report }) =>
      report === undefined || report.summary.compliant === null ? undefined : report.summary.compliant ? 1 : 0,
  },
  {
    name: 'host_info',
    help: 'The Kubernetes distribution the last good audit found on this node (always 1; no sample on a node without Kubernetes).',
    labels: ['distribution'],
    samples({ report }) {
      const distribution = report?.host.distribution;
      return distribution ? [[{ distribution: distribution.name }, 1]] : [];
    },
  },
  {
    name: 'component_detected',
    help: 'Whether the last good audit found this Kubernetes component on the node.',
    labels: ['component'],
    samples({ report }) {
      if (report === undefined) return [];
      const detected = new Set(report.components.map((component) => component.name));
      return COMPONENTS.map((component) => [{ component }, detected.has(component) ? 1 : 0]);
    },
  },
  {
    name: 'component_info',
    help: 'Version of each component found by the last good audit (always 1).',
    labels: ['component', 'version'],
    // Two processes of one component with one version are one series (set, not add).
    samples: (state) =>
      (state.report?.components ?? []).map((component) => [
        { component: component.name, version: component.version ?? 'unknown' },
        1,
      ]),
  },
  {
    name: 'last_run_timestamp_seconds',
    help: 'Start of the last audit run, successful or not, in seconds since the epoch.',
    value: ({ lastRun }) => lastRun && lastRun.startedAt.getTime() / 1000,
  },
  {
    name: 'last_run_duration_seconds',
    help: 'Duration of the last audit run in seconds.',
    value: ({ lastRun }) => lastRun && lastRun.durationMs / 1000,
  },
  {
    name: 'last_run_success',
    help: 'Whether the last audit run completed (1) or failed and the previous report is still served (0).',
    value: ({ lastRun }) => lastRun && (lastRun.success ? 1 : 0),
  },
  {
    name: 'interval_seconds',
    help: 'Configured audit interval in seconds (`interval`); an audit older than about two of these is stale.',
    value: (state) => state.intervalSeconds,
  },
  {
    // While runs fail, last_run_timestamp_seconds moves on but the served report ages: this says how
    // old it is (alert on time() minus it), whatever the cause of the failures (e.g. deadlines).
    name: 'last_success_timestamp_seconds',
    help: 'Start of the audit whose report is served (the last good one), in seconds since the epoch.',
    value: ({ report }) => report && epochSeconds(report.startedAt),
  },
  {
    name: 'runs_total',
    help: 'Audit runs started since the process started.',
    counter: true,
    value: (state) => state.runs,
  },
  {
    name: 'run_failures_total',
    help: 'Audit runs that failed (the previous report stays served).',
    counter: true,
    value: (state) => state.runFailures,
  },
  {
    name: 'build_info',
    help: 'Build of scs-node-audit (always 1).',
    labels: ['version', 'nodejs_version', 'standard'],
    samples: (state) => [[{ version: state.version, nodejs_version: process.version, standard: STANDARD_LABEL }, 1]],
  },
];

/**
 * Registers the scs_node_audit_* families on `registry`; each collect reads `readState()`.
 * Families without data (before the first run) show HELP/TYPE and no sample, so an absent
 * series means "not known yet", never a 0 that alerts would read as non-compliant.
 */
export function registerAuditMetrics(registry: Registry, readState: () => AuditMetricsState): void {
  for (const family of FAMILIES) {
    const common = { name: `${METRIC_PREFIX}${family.name}`, help: family.help, registers: [registry] };
    if ('labels' in family) {
      new Gauge({
        ...common,
        labelNames: family.labels,
        collect() {
          this.reset();
          for (const [labels, value] of family.samples(readState())) this.set(labels, value);
        },
      });
    } else if (family.counter) {
      new Counter({
        ...common,
        collect() {
          this.reset();
          this.inc(family.value(readState()) ?? 0);
        },
      });
    } else {
      new Gauge({
        ...common,
        collect() {
          const value = family.value(readState());
          if (value === undefined) this.remove();
          else this.set(value);
        },
      });
    }
  }
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
