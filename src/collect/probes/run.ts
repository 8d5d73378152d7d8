// Runs a probe plan: all probes at once, each bounded by its own timeout, all together by the
// audit's probe budget; whatever has not answered by then is abandoned and recorded as such.
// Outcomes become ProbeRecords; no response body, header or credential is kept.
import { readlinkSync } from 'node:fs';
import path from 'node:path';
import type { ProbeRecord, ProbeResults } from '../types.js';
import { PROBE_BUDGET_MS, PROBE_TIMEOUT_MAX_MS, type PlannedProbe, type ProbePlan } from './plan.js';
import { readEtcdProbeCredentials } from './credentials.js';
import { etcdAuth } from './etcd-auth.js';
import { httpRequest, probeHandshake, type HttpOutcome } from './net.js';
import { parseJson, record, type Outcome } from './records.js';

export interface RunProbesOptions {
  /** Per probe; capped at PROBE_TIMEOUT_MAX_MS. */
  timeoutMs: number;
  /** All probes together; default PROBE_BUDGET_MS. */
  budgetMs?: number;
  /** The procfs the plan was made from: `<proc>/<pid>/ns/net` tells whose network a port is in. */
  proc: string;
  /** Reads the etcd probe's client certificate; a test passes a fake. */
  readCredentials?: typeof readEtcdProbeCredentials;
}

export interface ProbeRun {
  results: ProbeResults;
  /** Sentences for the report's notes (probes not run, timeouts). */
  notes: string[];
}

export async function runProbes(plan: ProbePlan, options: RunProbesOptions): Promise<ProbeRun> {
  const timeoutMs = Math.max(1, Math.min(options.timeoutMs, PROBE_TIMEOUT_MAX_MS));
  const budgetMs = options.budgetMs ?? PROBE_BUDGET_MS;
  const readCredentials = options.readCredentials ?? readEtcdProbeCredentials;
  const sameNetwork = networkNamespaceCheck(options.proc);

  let budgetTimer: NodeJS.Timeout | undefined;
  const budgetSpent = new Promise<void>((resolve) => {
    budgetTimer = setTimeout(resolve, budgetMs);
  });
  const outcomes = await Promise.all(
    plan.probes.map((probe): Promise<Outcome> => {
      const elsewhere = sameNetwork(probe.pid);
      if (elsewhere !== undefined) return Promise.resolve({ record: record(probe, 'not-run', elsewhere) });
      return Promise.race([
        runOne(probe, timeoutMs, readCredentials),
        budgetSpent.then((): Outcome => ({
          record: record(probe, 'timeout', `abandoned: the probes of one audit may take ${budgetMs} ms together`),
        })),
      ]);
    }),
  );
  clearTimeout(budgetTimer);

  const records = outcomes.map((o) => o.record);
  const etcd = outcomes.find((o) => o.etcd !== undefined)?.etcd;
  return { results: { records, ...(etcd && { etcd }) }, notes: [...plan.notes, ...summaryNotes(records)] };
}

function summaryNotes(records: readonly ProbeRecord[]): string[] {
  const notRun = records.filter((r) => r.outcome === 'not-run');
  const reasons = [...new Set(notRun.map((r) => r.detail))];
  const timedOut = records.filter((r) => r.outcome === 'timeout');
  const anonymous = records.find(
    (r) => r.probe === 'apiserver-anonymous' && r.outcome === 'response' && r.status !== undefined,
  );
  const meaning: Record<number, string> = {
    401: 'anonymous requests are rejected',
    403: 'anonymous requests are authenticated (as system:anonymous) and only denied by authorization',
    200: 'anonymous requests are authenticated and authorized',
  };
  return [
    ...(anonymous
      ? [
          `kube-apiserver: ${anonymous.target} without credentials answered ${anonymous.status!}${meaning[anonymous.status!] ? `: ${meaning[anonymous.status!]!}` : ''}`,
        ]
      : []),
    ...reasons.map((reason) => `live probe not run: ${reason}`),
    ...(timedOut.length > 0 ? [`live probes without answer in time: ${timedOut.map((r) => r.target).join(', ')}`] : []),
  ];
}

/**
 * Probes only make sense in the network namespace of the process that owns the port: from a
 * pod without hostNetwork, 127.0.0.1 is the pod's own loopback. Returns a reason when `pid`'s
 * namespace differs from ours or cannot be compared.
 */
function networkNamespaceCheck(proc: string): (pid: number) => string | undefined {
  const link = (p: string): string | undefined => {
    try {
      return readlinkSync(p);
    } catch {
      return undefined;
    }
  };
  const own = link('/proc/self/ns/net');
  const cache = new Map<number, string | undefined>();
  return (pid) => {
    if (!cache.has(pid)) {
      const theirs = link(path.join(proc, String(pid), 'ns', 'net'));
      cache.set(
        pid,
        own === undefined || theirs === undefined
          ? `the network namespace of pid ${pid} could not be compared with the audit's own (${proc}/${pid}/ns/net unreadable)`
          : own !== theirs
            ? `pid ${pid} runs in another network namespace than this audit (in Kubernetes: the DaemonSet needs hostNetwork: true)`
            : undefined,
      );
    }
    return cache.get(pid);
  };
}

async function runOne(
  probe: PlannedProbe,
  timeoutMs: number,
  readCredentials: typeof readEtcdProbeCredentials,
): Promise<Outcome> {
  switch (probe.kind) {
    case 'handshake': {
      const result = await probeHandshake(probe.host, probe.port, timeoutMs);
      if (result.outcome === 'tls')
        return { record: record(probe, 'tls', `TLS handshake completed (${result.protocol})`) };
      if (result.outcome === 'plain-http')
        return { record: record(probe, 'plain-http', 'answered a TLS ClientHello with plain HTTP') };
      return { record: record(probe, result.outcome, result.detail) };
    }
    case 'http':
      return { record: httpRecord(probe, await httpRequest({ url: probe.url, timeoutMs })) };
    case 'etcd-auth':
      return etcdAuth(probe, timeoutMs, readCredentials);
  }
}

function httpRecord(probe: PlannedProbe, result: HttpOutcome): ProbeRecord {
  // These requests never carry a client certificate: a rejected handshake means one is required.
  if (result.outcome === 'tls-rejected')
    return record(probe, 'tls-rejected', `refused a TLS connection without a client certificate (${result.detail})`);
  if (result.outcome !== 'response') return record(probe, result.outcome, result.detail);
  const version = probe.probe === 'apiserver-version' && result.status === 200 ? gitVersionOf(result.body) : undefined;
  return record(probe, 'response', `answered ${result.status}${version ? ` (gitVersion ${version})` : ''}`, {
    status: result.status,
    ...(version !== undefined && { version }),
  });
}

/** `gitVersion` of a `/version` answer, if it looks like one (it lands in the report). */
function gitVersionOf(body: string): string | undefined {
  const value = parseJson(body)?.gitVersion;
  return typeof value === 'string' && /^v\d+\.\d+\.\d+[0-9A-Za-z.+-]{0,40}$/.test(value) ? value : undefined;
}
