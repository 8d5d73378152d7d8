// Whether etcd's authentication is on, asked of etcd itself over its HTTP gateway or gRPC, with
// the probe credentials when there are any. One probe of a plan; probes/run.ts runs it.
import { performance } from 'node:perf_hooks';
import type { ProbeRecord } from '../types.js';
import { ETCD_PROBE_KEYS, KUBEADM_ETCD_PROBE_CREDENTIALS, type PlannedProbe } from './plan.js';
import type { CredentialsRead, readEtcdProbeCredentials } from './credentials.js';
import { grpcUnary, httpRequest, type ClientCredentials, type HttpOutcome } from './net.js';
import { parseJson, record, type Outcome } from './records.js';

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
export async function etcdAuth(
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
