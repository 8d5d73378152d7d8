// Runs a probe plan: all probes at once, each bounded by its own timeout, all together by the
// audit's probe budget; whatever has not answered by then is abandoned and recorded as such.
// Outcomes become ProbeRecords; no response body, header or credential is kept.
import { readlinkSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EtcdAuthProbe, ProbeRecord, ProbeResults } from '../types.js';
import {
  ETCD_PROBE_KEYS,
  KUBEADM_ETCD_PROBE_CREDENTIALS,
  PROBE_BUDGET_MS,
  PROBE_TIMEOUT_MAX_MS,
  type PlannedProbe,
  type ProbePlan,
} from './plan.js';
import { readEtcdProbeCredentials, type CredentialsRead } from './credentials.js';
import { grpcUnary, httpRequest, probeHandshake, type ClientCredentials, type HttpOutcome } from './net.js';

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

type Outcome = { record: ProbeRecord; etcd?: EtcdAuthProbe };

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

function record(
  probe: PlannedProbe,
  outcome: ProbeRecord['outcome'],
  detail: string,
  extra: Partial<ProbeRecord> = {},
): ProbeRecord {
  return {
    probe: probe.probe,
    component: probe.component,
    pid: probe.pid,
    target: targetOf(probe),
    listener: probe.listener,
    outcome,
    detail,
    ...extra,
  };
}

function targetOf(probe: PlannedProbe): string {
  switch (probe.kind) {
    case 'handshake':
      return `TLS handshake ${probe.host.includes(':') ? `[${probe.host}]` : probe.host}:${probe.port}`;
    case 'http':
      return `GET ${probe.url}`;
    case 'etcd-auth':
      return `POST ${probe.baseUrl}/v3/auth/status`;
  }
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

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * etcd's gateway refuses every /v3/ request that carries a client certificate with a Common Name
 * when, and only when, client-cert-auth and auth are both on (server/embed/serve.go,
 * accessController.ServeHTTP, etcd 3.4 to 3.6): with kubeadm's health-check certificate, this
 * answer is how an auth-enabled etcd shows itself.
 */
const GATEWAY_CN_REFUSAL =
  'CommonName of client sending a request against gateway will be ignored and not used as expected';

function isCommonNameRefusal(result: Extract<HttpOutcome, { outcome: 'response' }>): boolean {
  return result.status === 400 && result.body.includes(GATEWAY_CN_REFUSAL);
}

/** A name no etcd has as a user: the login fails either way, and only the reason differs. */
const PROBE_LOGIN = JSON.stringify({ name: 'scs-node-audit-probe', password: '-' });

/**
 * Is etcd's authentication on? Asked in this order, each step only when the one before got 404:
 * AuthStatus over the HTTP gateway (etcd ≥ 3.5) says so directly; etcd 3.4 has no AuthStatus, but
 * Authenticate answers "authentication is not enabled" (code 9) when auth is off and
 * "authentication failed" (code 3) when it is on; without any gateway (etcd 3.4 configured by
 * --config-file) the same Authenticate goes over gRPC. A client certificate with a CN gets the
 * gateway's 400 refusal instead, which etcd gives only when auth is on. All within one timeout.
 */
async function etcdAuth(
  probe: Extract<PlannedProbe, { kind: 'etcd-auth' }>,
  timeoutMs: number,
  readCredentials: typeof readEtcdProbeCredentials,
): Promise<Outcome> {
  const deadline = performance.now() + timeoutMs;
  const remaining = () => Math.max(1, Math.round(deadline - performance.now()));
  let credentials: ClientCredentials | undefined;
  if (probe.credentials) {
    const read: CredentialsRead = readCredentials(probe.credentials);
    if (read.ok) credentials = read.credentials;
    // The kubeadm default is only a guess: absent, the probe asks without a certificate.
    else if (probe.credentials.origin === 'probes.etcd' || !read.missing) {
      return { record: record(probe, 'not-run', `the etcd probe credentials cannot be read: ${read.problem}`) };
    }
  }
  const using = credentials
    ? ` with the client certificate ${probe.credentials!.certFile} (${probe.credentials!.origin})`
    : ' without a client certificate';

  const status = await httpRequest({
    url: `${probe.baseUrl}/v3/auth/status`,
    method: 'POST',
    body: '{}',
    timeoutMs: remaining(),
    ...(credentials && { credentials }),
  });
  if (status.outcome === 'response' && status.status === 200) {
    const body = parseJson(status.body);
    // proto3 JSON leaves out `enabled: false`; the response header proves it is an AuthStatus answer.
    if (body && typeof body.header === 'object') {
      const enabled = body.enabled === true;
      return answered(
        probe,
        `${probe.baseUrl}/v3/auth/status`,
        status.status,
        enabled,
        `AuthStatus${using}: enabled=${enabled}`,
      );
    }
    return { record: record(probe, 'error', `AuthStatus${using} answered 200 without an AuthStatus response`) };
  }
  if (status.outcome === 'response' && isCommonNameRefusal(status)) {
    return answered(
      probe,
      `${probe.baseUrl}/v3/auth/status`,
      status.status,
      true,
      `AuthStatus${using} answered ${status.status} "${GATEWAY_CN_REFUSAL}": etcd says this only when auth is enabled`,
    );
  }
  if (status.outcome === 'response' && status.status === 404) {
    const login = await httpRequest({
      url: `${probe.baseUrl}/v3/auth/authenticate`,
      method: 'POST',
      body: PROBE_LOGIN,
      timeoutMs: remaining(),
      ...(credentials && { credentials }),
    });
    const target = `${probe.baseUrl}/v3/auth/authenticate`;
    if (login.outcome === 'response') {
      // etcd's gateway answers {"error": "…", "code": N}; another server's non-string error is shown as JSON.
      const field = parseJson(login.body)?.error;
      const error = typeof field === 'string' ? field : field == null ? '' : JSON.stringify(field);
      const how = `Authenticate as a non-existent user${using} (etcd < 3.5 has no AuthStatus) answered ${login.status} "${error.slice(0, 120)}"`;
      if (/authentication is not enabled/i.test(error))
        return answered(probe, target, login.status, false, `${how}: auth disabled`);
      if (/authentication failed|invalid user ID or password/i.test(error))
        return answered(probe, target, login.status, true, `${how}: auth enabled`);
      if (isCommonNameRefusal(login)) {
        return answered(
          probe,
          target,
          login.status,
          true,
          `Authenticate${using} answered ${login.status} "${GATEWAY_CN_REFUSAL}": etcd says this only when auth is enabled`,
        );
      }
      if (login.status !== 404)
        return {
          record: {
            ...record(probe, 'response', `${how}: neither answer etcd gives`),
            target: `POST ${target}`,
            status: login.status,
          },
        };
      // No HTTP gateway at all (etcd 3.4 configured by --config-file serves none): ask over gRPC.
      return etcdAuthOverGrpc(probe, remaining(), credentials, using);
    }
    return { record: { ...failure(probe, login, credentials !== undefined), target: `POST ${target}` } };
  }
  if (status.outcome === 'response')
    return {
      record: record(probe, 'response', `AuthStatus${using} answered ${status.status}`, { status: status.status }),
    };
  return { record: failure(probe, status, credentials !== undefined) };
}

/** AuthenticateRequest{name: "scs-node-audit-probe", password: "-"} in protobuf wire format. */
function authenticateRequest(): Uint8Array {
  const field = (tag: number, text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    return Buffer.concat([Buffer.from([tag, bytes.length]), bytes]);
  };
  return Buffer.concat([field(0x0a, 'scs-node-audit-probe'), field(0x12, '-')]);
}

/** gRPC status codes etcd answers Authenticate with (rpctypes: ErrGRPCAuthNotEnabled, ErrGRPCAuthFailed). */
const GRPC_FAILED_PRECONDITION = 9;
const GRPC_INVALID_ARGUMENT = 3;

async function etcdAuthOverGrpc(
  probe: Extract<PlannedProbe, { kind: 'etcd-auth' }>,
  timeoutMs: number,
  credentials: ClientCredentials | undefined,
  using: string,
): Promise<Outcome> {
  const method = '/etcdserverpb.Auth/Authenticate';
  const target = `${probe.baseUrl}${method}`;
  const result = await grpcUnary({
    origin: probe.baseUrl,
    method,
    message: authenticateRequest(),
    timeoutMs,
    ...(credentials && { credentials }),
  });
  if (result.outcome !== 'grpc')
    return { record: { ...failure(probe, result, credentials !== undefined), target: `gRPC ${target}` } };
  const how = `gRPC Authenticate as a non-existent user${using} (no HTTP gateway) answered code ${result.code} "${result.message}"`;
  const grpcAnswer = (enabled: boolean): Outcome => ({
    record: {
      ...record(probe, 'response', `${how}: auth ${enabled ? 'enabled' : 'disabled'}`),
      target: `gRPC ${target}`,
    },
    etcd: { endpoint: probe.baseUrl, authEnabled: enabled },
  });
  if (result.code === GRPC_FAILED_PRECONDITION && /authentication is not enabled/i.test(result.message))
    return grpcAnswer(false);
  if (result.code === GRPC_INVALID_ARGUMENT && /authentication failed/i.test(result.message)) return grpcAnswer(true);
  return { record: { ...record(probe, 'error', `${how}: neither answer etcd gives`), target: `gRPC ${target}` } };
}

function answered(probe: PlannedProbe, url: string, status: number, enabled: boolean, detail: string): Outcome {
  return {
    record: { ...record(probe, 'response', detail, { status }), target: `POST ${url}` },
    etcd: { endpoint: probe.kind === 'etcd-auth' ? probe.baseUrl : url, authEnabled: enabled },
  };
}

function failure(
  probe: PlannedProbe,
  result: Exclude<HttpOutcome, { outcome: 'response' }>,
  withCredentials: boolean,
): ProbeRecord {
  if (result.outcome !== 'tls-rejected') return record(probe, result.outcome, result.detail);
  const detail = withCredentials
    ? `etcd rejected the TLS connection with the configured client certificate (${result.detail})`
    : `etcd requires a client certificate and none is configured for probing: set ${ETCD_PROBE_KEYS} (on kubeadm hosts ${KUBEADM_ETCD_PROBE_CREDENTIALS.certFile} is tried)`;
  return record(probe, 'tls-rejected', detail);
}
