// The body of the daemon's audit worker thread (src/audit-thread.ts starts it): one audit with
// the configuration it was given, the finished report posted back, then the thread ends.
// Only the report crosses back (a few tens of KB), never the host snapshot.
// Loaded as its own module from source and as the `audit-worker.js` asset inside the single
// executable (packaging/build.sh), so it imports nothing that needs a file next to it.
import { parentPort, workerData } from 'node:worker_threads';
import { runAuditWithProbes } from './audit-probes.js';
import type { AuditConfig } from './config.js';
import type { Report } from './report/types.js';

/** What the worker posts: the report, or why the audit could not run. */
export type AuditWorkerMessage =
  { ok: true; report: Report } | { ok: false; message: string; code: string | undefined };

export interface AuditWorkerData {
  config: AuditConfig;
}

async function auditOnce(data: AuditWorkerData): Promise<AuditWorkerMessage> {
  try {
    const report = await runAuditWithProbes({ root: data.config.root, proc: data.config.proc, config: data.config });
    return { ok: true, report };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      code: typeof code === 'string' ? code : undefined,
    };
  }
}

// Imported outside a worker (e.g. by a test reading the types), it does nothing.
if (parentPort !== null && (workerData as Partial<AuditWorkerData> | null)?.config !== undefined) {
  const port = parentPort;
  void auditOnce(workerData as AuditWorkerData).then((message) => port.postMessage(message));
}
