// The daemon's audit loop: first audit at once, then one every interval, never two at once.
// A failing audit keeps the last good report and counts a run failure (DESIGN §6); so does an
// audit that outlives its deadline: the loop stops waiting for it and aborts it.
import { performance } from 'node:perf_hooks';
import type { Logger } from '../log.js';
import type { AuditMetricsState } from '../report/prometheus.js';
import type { Report } from '../report/types.js';

/**
 * One audit. `signal` aborts when the deadline passes or the daemon stops; an audit that can be
 * interrupted (the worker thread of src/audit-thread.ts) should stop its work then. The loop
 * does not wait for it either way.
 */
export type AuditFunction<Config> = (config: Config, signal: AbortSignal) => Report | Promise<Report>;

export interface AuditLoopOptions<Config> {
  audit: AuditFunction<Config>;
  config: Config;
  intervalMs: number;
  /** Deadline of one audit; defaults to the interval (an audit never runs into the next one). */
  timeoutMs?: number;
  version: string;
  logger: Logger;
}

/** The shortest interval between two audits the loop accepts (`--interval`, config `interval`). */
export const MIN_INTERVAL_MS = 5_000;

/** The reason an audit was aborted at its deadline. */
export class AuditTimeoutError extends Error {
  readonly code = 'SCS_ERR_AUDIT_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`the audit did not finish within its deadline of ${formatSeconds(timeoutMs)} and was stopped`);
    this.name = 'AuditTimeoutError';
  }
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

export interface AuditLoop<Config> {
  /** The current snapshot; replaced (never mutated) after each run. */
  state(): AuditMetricsState;
  /** Runs an audit now, or right after the one in flight; resolves when that audit is done. */
  runNow(): Promise<void>;
  /** Takes effect for the next audit and the next schedule. */
  configure(config: Config, intervalMs: number, timeoutMs?: number): void;
  /** No audit starts after this; one in flight is aborted (its signal fires) and not waited for. */
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
  let timeoutMs = options.timeoutMs ?? options.intervalMs;
  let snapshot: AuditMetricsState = {
    version: options.version,
    report: undefined,
    lastRun: undefined,
    runs: 0,
    runFailures: 0,
    intervalSeconds: intervalMs / 1000,
  };
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let inFlight: AbortController | undefined;

  const runOnce = async (): Promise<void> => {
    clearTimeout(timer);
    const startedAt = new Date();
    const started = performance.now();
    snapshot = { ...snapshot, runs: snapshot.runs + 1 };
    const controller = new AbortController();
    inFlight = controller;
    const deadline = setTimeout(() => controller.abort(new AuditTimeoutError(timeoutMs)), timeoutMs);
    try {
      // `await` also turns a synchronous throw of `audit` into a rejection handled below; the race
      // ends the wait at the deadline even when the audit itself ignores its signal.
      const report = await Promise.race([
        (async () => audit(config, controller.signal))(),
        rejectOnAbort(controller.signal),
      ]);
      const durationMs = performance.now() - started;
      logOutcome(logger, snapshot.report, report, durationMs);
      snapshot = { ...snapshot, report, lastRun: { startedAt, durationMs, success: true } };
    } catch (error) {
      const durationMs = performance.now() - started;
      const err = error instanceof Error ? error.message : String(error);
      snapshot = {
        ...snapshot,
        runFailures: snapshot.runFailures + 1,
        lastRun: { startedAt, durationMs, success: false, error: err },
      };
      if (!stopped) {
        logger.error('audit failed; serving the previous report', {
          err,
          code: error instanceof AuditTimeoutError ? error.code : undefined,
          has_report: snapshot.report !== undefined,
          report_age_s:
            snapshot.report === undefined
              ? undefined
              : Math.round((Date.now() - Date.parse(snapshot.report.startedAt)) / 1000),
        });
      }
    } finally {
      clearTimeout(deadline);
      inFlight = undefined;
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
    configure(nextConfig, nextIntervalMs, nextTimeoutMs) {
      config = nextConfig;
      intervalMs = nextIntervalMs;
      snapshot = { ...snapshot, intervalSeconds: intervalMs / 1000 };
      timeoutMs = nextTimeoutMs ?? nextIntervalMs;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      inFlight?.abort(new Error('the daemon is stopping'));
    },
  };
}

/** Never resolves; rejects with the signal's reason once it aborts. */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
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
