// Which live probes to run, decided from the resolved host alone (pure; collect/probes runs them).
// The rule that keeps probes harmless: connect only to a port a local component's own process
// listens on, and only at an address of this host — loopback for a wildcard bind, or the
// specific local address the listener is bound to. Never any other address, never a host name.
import type { EtcdProbeCredentialPaths, PlannedProbe, ProbePlan } from '../collect/probes/plan.js';
import type { ComponentName, HostSnapshot, Listener } from '../collect/types.js';
import type { ResolvedHost } from './index.js';
import { classifyAddress, formatHostPort } from './network.js';
import { JUDGED_COMPONENTS } from './resolved.js';

/** kubelet's read-only port when it was on by default (the check looks there even when configured off). */
const CLASSIC_READ_ONLY_PORT = 10255;

/** The components of the standard's port tables; kube-proxy's health port is plain HTTP by design. */
const JUDGED: readonly ComponentName[] = JUDGED_COMPONENTS;

export interface ProbePlanOptions {
  /** Offered to the etcd auth probe on https client URLs only. */
  etcdCredentials?: EtcdProbeCredentialPaths;
}

/**
 * The address a probe of `listener` connects to, or undefined when it must not be probed:
 * a wildcard bind is reached on loopback of the same family, a loopback or local address as is.
 */
export function probeAddress(listenerAddress: string, hostAddresses: readonly string[]): string | undefined {
  const address = listenerAddress.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  switch (classifyAddress(address)) {
    case 'wildcard':
      return address.includes(':') ? '::1' : '127.0.0.1';
    case 'loopback':
      return address.toLowerCase() === 'localhost' ? '127.0.0.1' : address;
    case undefined:
      return undefined;
    default:
      // Only this host's own addresses: a listener bound elsewhere is not ours to knock on.
      return hostAddresses.includes(address) ? address : undefined;
  }
}

function urlOf(scheme: 'http' | 'https', host: string, port: number, pathname: string): string {
  return `${scheme}://${formatHostPort(host, port)}${pathname}`;
}

/**
 * Listeners of `pid` on `port`: the one bound to the configured address first (each configured
 * URL is asked where it is served), then loopback and wildcard binds (what a local client reaches).
 */
function listenersOf(listeners: readonly Listener[], pid: number, port: number, configured?: string): Listener[] {
  const rank = (l: Listener) =>
    configured !== undefined && l.address === configured
      ? 0
      : classifyAddress(l.address) === 'loopback'
        ? 1
        : classifyAddress(l.address) === 'wildcard'
          ? 2
          : 3;
  return listeners.filter((l) => l.pid === pid && l.port === port).sort((a, b) => rank(a) - rank(b));
}

function target(
  snapshot: HostSnapshot,
  listener: Listener,
): { host: string; listener: PlannedProbe['listener'] } | undefined {
  const host = probeAddress(listener.address, snapshot.addresses);
  return host === undefined ? undefined : { host, listener: { address: listener.address, port: listener.port } };
}

export function planProbes(host: ResolvedHost, options: ProbePlanOptions = {}): ProbePlan {
  const { snapshot } = host;
  if (!snapshot.realProc) {
    return {
      probes: [],
      notes: [
        `live probes not run: ${snapshot.proc} is not a live procfs (a fake root or an image), so its ports are not this host's`,
      ],
    };
  }
  if (!Array.isArray(snapshot.listeners)) {
    return {
      probes: [],
      notes: [`live probes not run: listening sockets could not be read (${snapshot.listeners.detail})`],
    };
  }
  const listeners = snapshot.listeners;
  const probes: PlannedProbe[] = [
    ...handshakeProbes(host, listeners),
    ...kubeletProbes(host, listeners),
    ...etcdProbes(host, listeners, options),
    ...apiserverProbes(host, listeners),
  ];
  const notes: string[] = [];
  const live = snapshot.processes.filter((p) => p.source === 'process' && JUDGED.includes(p.component));
  if (live.length > 0 && listeners.every((l) => l.pid === undefined)) {
    notes.push(
      'live probes not run: the owners of listening sockets could not be read (/proc/<pid>/fd), so no port could be tied to a component',
    );
  }
  return { probes, notes };
}

/**
 * The probes of every view, each once: every candidate process of a component is asked, so that
 * each view is judged on its own process's answers.
 */
export function planProbesForViews(views: readonly ResolvedHost[], options: ProbePlanOptions = {}): ProbePlan {
  const probes = new Map<string, PlannedProbe>();
  const notes = new Set<string>();
  for (const view of views) {
    // A client certificate is offered only to an etcd that is trusted as one (resolve/identity.ts):
    // a process a user started under etcd's name gets its questions without credentials.
    const etcd = view.candidates.etcd?.find((c) => c.proc === view.audited.etcd);
    const { etcdCredentials, ...rest } = options;
    const plan = planProbes(view, etcd?.identity.trusted === false ? rest : options);
    for (const probe of plan.probes) {
      const key = JSON.stringify([
        probe.probe,
        probe.pid,
        probe.host,
        probe.port,
        probe.kind === 'http' ? probe.url : probe.kind,
      ]);
      if (!probes.has(key)) probes.set(key, probe);
    }
    for (const note of plan.notes) notes.add(note);
  }
  return { probes: [...probes.values()], notes: [...notes] };
}

/** `endpoints-https`: a TLS handshake on every non-loopback listener of a judged component. */
function handshakeProbes(host: ResolvedHost, listeners: readonly Listener[]): PlannedProbe[] {
  const probes: PlannedProbe[] = [];
  const seen = new Set<string>();
  for (const proc of host.snapshot.processes) {
    if (proc.source !== 'process' || proc.pid <= 0 || !JUDGED.includes(proc.component)) continue;
    for (const listener of listeners) {
      if (listener.pid !== proc.pid || classifyAddress(listener.address) === 'loopback') continue;
      const t = target(host.snapshot, listener);
      if (!t) continue;
      const key = formatHostPort(t.host, listener.port);
      if (seen.has(key)) continue;
      seen.add(key);
      probes.push({
        kind: 'handshake',
        probe: 'endpoints-https',
        component: proc.component,
        pid: proc.pid,
        ...t,
        port: listener.port,
      });
    }
  }
  return probes;
}

function kubeletProbes(host: ResolvedHost, listeners: readonly Listener[]): PlannedProbe[] {
  const kubelet = host.kubelet;
  if (!kubelet || kubelet.proc.pid <= 0 || kubelet.proc.source !== 'process') return [];
  const pid = kubelet.proc.pid;
  const probes: PlannedProbe[] = [];
  if (kubelet.port.known && kubelet.port.value > 0) {
    const listener = listenersOf(listeners, pid, kubelet.port.value)
      .map((l) => target(host.snapshot, l))
      .find((t) => t !== undefined);
    if (listener) {
      const url = urlOf('https', listener.host, kubelet.port.value, '/pods');
      probes.push({
        kind: 'http',
        probe: 'kubelet-anonymous-auth',
        component: 'kubelet',
        pid,
        ...listener,
        port: kubelet.port.value,
        url,
      });
    }
  }
  // The effective read-only port, or where a stale one would sit when it is configured off.
  const readOnly =
    kubelet.readOnlyPort.known && kubelet.readOnlyPort.value > 0 ? kubelet.readOnlyPort.value : CLASSIC_READ_ONLY_PORT;
  // Owned by the kubelet, or by nobody we could see: "is anything answering HTTP there?"
  const candidates = listeners.filter((l) => l.port === readOnly && (l.pid === pid || l.pid === undefined));
  const readOnlyTarget = candidates.map((l) => ({ t: target(host.snapshot, l), l })).find((c) => c.t !== undefined);
  if (readOnlyTarget?.t) {
    const url = urlOf('http', readOnlyTarget.t.host, readOnly, '/healthz');
    // `pid` is the kubelet's even for an ownerless listener: its network namespace is the one asked.
    probes.push({
      kind: 'http',
      probe: 'kubelet-read-only-port',
      component: 'kubelet',
      pid,
      ...readOnlyTarget.t,
      port: readOnly,
      url,
    });
  }
  return probes;
}

function etcdProbes(host: ResolvedHost, listeners: readonly Listener[], options: ProbePlanOptions): PlannedProbe[] {
  const etcd = host.etcd;
  if (!etcd || etcd.proc.pid <= 0 || etcd.proc.source !== 'process') return [];
  const pid = etcd.proc.pid;
  const probes: PlannedProbe[] = [];
  let authProbe: PlannedProbe | undefined;
  const asked = new Set<string>();
  for (const endpoint of etcd.endpoints.filter((e) => e.purpose === 'client')) {
    const t = listenersOf(listeners, pid, endpoint.port, endpoint.address)
      .map((l) => target(host.snapshot, l))
      .find((x) => x !== undefined);
    if (!t) continue;
    const key = `${endpoint.scheme}://${formatHostPort(t.host, endpoint.port)}`;
    if (asked.has(key)) continue;
    asked.add(key);
    const base = { component: 'etcd' as const, pid, ...t, port: endpoint.port };
    // Without a client certificate: refused when client-cert-auth is on; answered otherwise.
    probes.push({
      kind: 'http',
      probe: 'etcd-client-cert-auth',
      ...base,
      url: urlOf(endpoint.scheme, t.host, endpoint.port, '/version'),
    });
    // One auth question suffices; credentials are offered to https URLs only (plain HTTP needs none).
    if (!authProbe) {
      const credentials = endpoint.scheme === 'https' ? options.etcdCredentials : undefined;
      authProbe = {
        kind: 'etcd-auth',
        probe: 'etcd-auth-enabled',
        ...base,
        baseUrl: urlOf(endpoint.scheme, t.host, endpoint.port, ''),
        ...(credentials && { credentials }),
      };
    }
  }
  return authProbe ? [...probes, authProbe] : probes;
}

/** `GET /version` and `GET /api` on the secure port, without credentials. */
function apiserverProbes(host: ResolvedHost, listeners: readonly Listener[]): PlannedProbe[] {
  const apiserver = host.apiserver;
  if (!apiserver || apiserver.proc.pid <= 0 || apiserver.proc.source !== 'process') return [];
  const pid = apiserver.proc.pid;
  const secure = apiserver.endpoints.find((e) => e.purpose === 'secure-port');
  if (!secure) return [];
  const t = listenersOf(listeners, pid, secure.port)
    .map((l) => target(host.snapshot, l))
    .find((x) => x !== undefined);
  if (!t) return [];
  const base = { component: 'kube-apiserver' as const, pid, ...t, port: secure.port };
  return [
    { kind: 'http', probe: 'apiserver-version', ...base, url: urlOf('https', t.host, secure.port, '/version') },
    { kind: 'http', probe: 'apiserver-anonymous', ...base, url: urlOf('https', t.host, secure.port, '/api') },
  ];
}
