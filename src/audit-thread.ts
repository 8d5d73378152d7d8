// The daemon runs each audit in a worker thread, so that an audit that takes long (a large or
// hostile input, a slow disk) never keeps the event loop from answering /healthz, scrapes and
// SIGTERM, and so that the audit can be stopped at its deadline: Worker.terminate() interrupts
// JavaScript wherever it is (nodejs.org/api/worker_threads.html#workerterminate).
// `--once` audits in the main thread: there is nothing else to keep answering.
import { getAsset, isSea } from 'node:sea';
import type { Worker } from 'node:worker_threads';
import type { AuditWorkerData, AuditWorkerMessage } from './audit-worker.js';
import type { AuditConfig } from './config.js';
import type { Report } from './report/types.js';

/**
 * The worker's heap limit. An audit of a real node needs a few tens of MB; a worker past this
 * limit is stopped by V8 (an audit failure), where the main heap would have taken the daemon
 * down (the systemd unit allows 256M for the whole process).
 */
export const AUDIT_WORKER_HEAP_MB = 128;

/** The worker's file beside this module (dist/src/, dist/bundle/) and its single-executable asset. */
export const AUDIT_WORKER_ASSET = 'audit-worker.js';

export class AuditWorkerError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'AuditWorkerError';
  }
}

let live = 0;

/** Audit workers started and not yet exited (one stuck in a system call stays counted). */
export function liveAuditWorkers(): number {
  return live;
}

function startWorker(data: AuditWorkerData): Worker {
  // Loaded here, not imported: `--once` (src/cli.ts imports this module for liveAuditWorkers)
  // never starts a worker, and loading node:worker_threads with its message-port and stream
  // modules cost it ~3 ms of CPU at every start (`node -e 0` takes ~40 ms).
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  const options = { workerData: data, resourceLimits: { maxOldGenerationSizeMb: AUDIT_WORKER_HEAP_MB } };
  // Inside the single executable there is no file to load: the worker's bundle is an asset, run
  // as CommonJS source (`eval`), where `require` reaches the built-in modules it needs.
  if (isSea()) return new Worker(getAsset(AUDIT_WORKER_ASSET, 'utf8'), { ...options, eval: true });
  return new Worker(new URL(`./${AUDIT_WORKER_ASSET}`, import.meta.url), options);
}

/**
 * One audit in a fresh worker thread (its memory is returned when it ends). Rejects with the
 * audit's own error (e.g. PROC_UNREADABLE), or with `signal.reason` once the signal aborts, after
 * terminating the worker.
 */
export function runAuditInWorker(config: AuditConfig, signal: AbortSignal): Promise<Report> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const worker = startWorker({ config });
    live += 1;
    worker.once('exit', () => {
      live -= 1;
    });
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      outcome();
      void worker.terminate();
    };
    const onAbort = (): void => settle(() => reject(signal.reason as Error));
    signal.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: AuditWorkerMessage) =>
      settle(() =>
        message.ok ? resolve(message.report) : reject(new AuditWorkerError(message.message, message.code)),
      ),
    );
    worker.once('error', (error: Error) =>
      settle(() =>
        reject(
          new AuditWorkerError(`the audit worker failed: ${error.message}`, (error as NodeJS.ErrnoException).code),
        ),
      ),
    );
    worker.once('exit', (code) =>
      settle(() => reject(new AuditWorkerError(`the audit worker exited (code ${code}) without a report`, undefined))),
    );
  });
}
