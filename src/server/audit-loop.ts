// The daemon's audit loop: first audit at once, then one every interval, never two at once.
// A failing audit keeps the last good report and counts a run failure (DESIGN §6).
import { performance } from 'node:perf_hooks';
import type { Logger } from '../log.js';
import type { AuditMetricsState } from '../report/prometheus.js';
import type { Report } from '../report/types.js';

export type AuditFunction<Config> = (config: Config) => Report | Promise<Report>;

export interface AuditLoopOptions<Config> {
  audit: AuditFunction<Config>;
  config: Config;
  intervalMs: number;
  version: string;
  logger: Logger;
}

export interface AuditLoop<Config> {
  /** The current snapshot; replaced (never mutated) after each run. */
  state(): AuditMetricsState;
  /** Runs an audit now, or right after the one in flight; resolves when that audit is done. */
  runNow(): Promise<void>;
  /** Takes effect for the next audit and the next schedule. */
  configure(config: Config, intervalMs: number): void;
  /** No audit starts after this; one already in flight still finishes. */
  stop(): void;
}

export interface StatusChange {
  check_id: string;
  from: string;
  to: string;
}

export function createAuditLoop<Config>(options: AuditLoopOptions<Config>): AuditLoop<Config> {
  const { audit, logger } = options;
  let config = options.config;
  let intervalMs = options.intervalMs;
  let snapshot: AuditMetricsState = { version: options.version, report: undefined, lastRun: undefined, runs: 0, runFailures: 0 };
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const runOnce = async (): Promise<void> => {
    clearTimeout(timer);
    const startedAt = new Date();
    const started = performance.now();
    snapshot = { ...snapshot, runs: snapshot.runs + 1 };
    try {
      // `await` also turns a synchronous throw of `audit` into a rejection handled below.
      const report = await audit(config);
      const durationMs = performance.now() - started;
      logOutcome(logger, snapshot.report, report, durationMs);
      snapshot = { ...snapshot, report, lastRun: { startedAt, durationMs, success: true } };
    } catch (error) {
      const durationMs = performance.now() - started;
      snapshot = { ...snapshot, runFailures: snapshot.runFailures + 1, lastRun: { startedAt, durationMs, success: false } };
      logger.error('audit failed; serving the previous report', {
        err: error instanceof Error ? error.message : String(error),
        has_report: snapshot.report !== undefined,
      });
    } finally {
      if (!stopped) {
        // The next audit starts one interval after this one started.
        timer = setTimeout(() => void runNow(), Math.max(0, intervalMs - (performance.now() - started)));
      }
    }
  };

  const runNow = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running === undefined) {
      running = runOnce().finally(() => {
        running = undefined;
      });
      return running;
    }
    // One audit is in flight: at most one more waits behind it, however often we are asked.
    queued ??= running.then(() => {
      queued = undefined;
      return runNow();
    });
    return queued;
  };

  return {
    state: () => snapshot,
    runNow,
    configure(nextConfig, nextIntervalMs) {
      config = nextConfig;
      intervalMs = nextIntervalMs;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

function logOutcome(logger: Logger, previous: Report | undefined, report: Report, durationMs: number): void {
  for (const change of statusChanges(previous, report)) {
    const log = change.to === 'fail' || change.to === 'error' ? logger.warn : logger.info;
    log('check status changed', { ...change });
  }
  if (previous !== undefined && previous.summary.compliant !== report.summary.compliant) {
    const log = report.summary.compliant === false ? logger.warn : logger.info;
    log('node compliance changed', { from: previous.summary.compliant, to: report.summary.compliant });
  }
  const log = previous === undefined ? logger.info : logger.debug;
  log('audit finished', {
    compliant: report.summary.compliant,
    pass: report.summary.pass,
    fail: report.summary.fail,
    unknown: report.summary.unknown,
    skip: report.summary.skip,
    error: report.summary.error,
    duration_ms: Math.round(durationMs * 10) / 10,
  });
}

/** Checks whose status differs between two reports; a first report has no changes. */
export function statusChanges(previous: Report | undefined, next: Report): StatusChange[] {
  if (previous === undefined) return [];
  const before = new Map(previous.checks.map((check) => [check.id, check.status] as const));
  const changes: StatusChange[] = [];
  for (const check of next.checks) {
    const from = before.get(check.id);
    if (from !== check.status) changes.push({ check_id: check.id, from: from ?? 'absent', to: check.status });
  }
  return changes;
}
