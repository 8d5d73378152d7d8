import { describeOrigin } from '../collect/origin.js';
import type { ComponentName, HostSnapshot, ProcessInfo } from '../collect/types.js';
import type { Endpoint } from './resolved.js';
import { resolveApiserver, type ResolvedApiserver } from './kube-apiserver.js';
import { resolveEtcd, type ResolvedEtcd } from './etcd.js';
import { resolveKubelet, type ResolvedKubelet } from './kubelet.js';
import { resolveOtherComponent } from './other-components.js';
import { distributionFacts, type DistributionFacts } from './distribution.js';
import { resolveVersions, type ReleaseTable, type ResolvedVersions } from './versions.js';

export interface ResolveOptions {
  releases: ReleaseTable;
}

/** The effective configuration of everything on the host: the only input of the checks. */
export interface ResolvedHost {
  snapshot: HostSnapshot;
  apiserver?: ResolvedApiserver;
  etcd?: ResolvedEtcd;
  kubelet?: ResolvedKubelet;
  /** The one process audited for each component present (primaryProcess). */
  audited: Partial<Record<ComponentName, ProcessInfo>>;
  /** Every port any detected component serves, from its configuration. */
  endpoints: Endpoint[];
  versions: ResolvedVersions;
  /** The distributions seen, and the components they run whose settings could not be established. */
  distribution: DistributionFacts;
  /** Host-level notes added by resolve (e.g. which of two kubelets was audited). */
  notes: string[];
}

export function resolveHost(snapshot: HostSnapshot, options: ResolveOptions): ResolvedHost {
  const notes: string[] = [];
  const audited: Partial<Record<ComponentName, ProcessInfo>> = {};
  const pick = (component: ComponentName) => {
    const proc = primaryProcess(snapshot, component, notes);
    if (proc) audited[component] = proc;
    return proc;
  };

  const apiserverProc = pick('kube-apiserver');
  const etcdProc = pick('etcd');
  const kubeletProc = pick('kubelet');
  const apiserver = apiserverProc && resolveApiserver(apiserverProc);
  const etcd = etcdProc && resolveEtcd(etcdProc, snapshot.probes);
  const kubelet = kubeletProc && resolveKubelet(kubeletProc);

  const endpoints: Endpoint[] = [...(apiserver?.endpoints ?? []), ...(etcd?.endpoints ?? []), ...(kubelet?.endpoints ?? [])];
  const warnings = [apiserver, etcd, kubelet].flatMap((resolved) => (resolved ? processNotes(resolved.proc, resolved.warnings) : []));
  for (const component of ['kube-controller-manager', 'kube-scheduler', 'kube-proxy'] as const) {
    const proc = pick(component);
    if (!proc) continue;
    const other = resolveOtherComponent(proc);
    endpoints.push(...other.endpoints);
    warnings.push(...processNotes(proc, other.warnings));
  }
  notes.push(...warnings);

  const versions = resolveVersions(snapshot, options.releases);
  return {
    snapshot,
    ...(apiserver && { apiserver }),
    ...(etcd && { etcd }),
    ...(kubelet && { kubelet }),
    audited,
    endpoints,
    versions,
    distribution: distributionFacts(snapshot.distributions, audited),
    notes,
  };
}

/**
 * What collect and resolve noticed about an audited process (unreadable environ, non-UTF-8 argv,
 * a flag the component would parse differently, ignored config keys), as report notes naming the
 * component and pid: DESIGN §6 wants every oddity said, not silently absorbed.
 */
function processNotes(proc: ProcessInfo, resolverWarnings: readonly string[]): string[] {
  const who = `${proc.component} (${describeOrigin(proc)})`;
  const own = `pid ${proc.pid}: `;
  return [...new Set([...proc.warnings, ...resolverWarnings])].map((w) => `${who}: ${w.startsWith(own) ? w.slice(own.length) : w}`);
}

/**
 * One process per component is audited. Several can be visible (a wrapper, a second kubelet of
 * a nested node); the one that owns a listening socket is the server, else the oldest pid.
 */
export function primaryProcess(snapshot: HostSnapshot, component: ComponentName, notes: string[]): ProcessInfo | undefined {
  const candidates = snapshot.processes.filter((p) => p.component === component);
  if (candidates.length <= 1) return candidates[0];
  const listening = new Set(Array.isArray(snapshot.listeners) ? snapshot.listeners.map((l) => l.pid) : []);
  const chosen = candidates.find((p) => listening.has(p.pid)) ?? [...candidates].sort((a, b) => a.pid - b.pid)[0]!;
  notes.push(`${candidates.length} ${component} processes found (pids ${candidates.map((p) => p.pid).join(', ')}); audited pid ${chosen.pid}`);
  return chosen;
}
