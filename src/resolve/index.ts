import { describeOrigin } from '../collect/origin.js';
import {
  COMPONENTS,
  type ComponentName,
  type HostSnapshot,
  type ProbeResults,
  type ProcessInfo,
} from '../collect/types.js';
import { describeSuspicious, judgeIdentity, type ProcessIdentity } from './identity.js';
import type { Endpoint } from './resolved.js';
import { servedPorts, type ServedPorts } from './served-ports.js';
import { resolveApiserver, type ResolvedApiserver } from './kube-apiserver/index.js';
import { resolveEtcd, type ResolvedEtcd } from './etcd/index.js';
import { resolveKubelet, type ResolvedKubelet } from './kubelet/index.js';
import { resolveOtherComponent } from './other-components.js';
import { distributionFacts, type DistributionFacts } from './distribution.js';
import { resolveVersions, type ResolvedVersions } from './versions.js';
import type { ReleaseTable } from './release-table.js';

export interface ResolveOptions {
  releases: ReleaseTable;
}

/** A process (or static pod manifest / unit) of a component, with what its identity shows. */
export interface Candidate {
  proc: ProcessInfo;
  identity: ProcessIdentity;
}

/**
 * The effective configuration of the host as seen through one candidate of each component: the
 * only input of the checks. When a component has several candidates, resolveViews gives one view
 * per combination and the runner lets the worst verdict decide (checks/run.ts).
 */
export interface ResolvedHost {
  /** The snapshot, its probe records narrowed to this view's processes. */
  snapshot: HostSnapshot;
  apiserver?: ResolvedApiserver;
  etcd?: ResolvedEtcd;
  kubelet?: ResolvedKubelet;
  /** The process audited for each component present, in this view. */
  audited: Partial<Record<ComponentName, ProcessInfo>>;
  /** Every candidate of each component present, trusted ones first (the first view audits the first). */
  candidates: Partial<Record<ComponentName, Candidate[]>>;
  /** Every port any detected component serves, from its configuration. */
  endpoints: Endpoint[];
  /** What each judged component serves: listeners attributed to it, else its configured endpoints. */
  servedPorts: ServedPorts;
  versions: ResolvedVersions;
  /** The distributions seen, and the components they run whose settings could not be established. */
  distribution: DistributionFacts;
  /** Host-level notes added by resolve (several candidates, suspicious processes, warnings). */
  notes: string[];
}

/** Combinations judged at most; beyond, each candidate is judged once beside the first of the others. */
export const MAX_VIEWS = 64;

/** A candidate resolved on its own: the component's configuration as that process has it. */
interface ResolvedCandidate extends Candidate {
  apiserver?: ResolvedApiserver;
  etcd?: ResolvedEtcd;
  kubelet?: ResolvedKubelet;
  endpoints: Endpoint[];
  warnings: readonly string[];
}

/** The first view (trusted candidates first): what one process per component looks like. */
export function resolveHost(snapshot: HostSnapshot, options: ResolveOptions): ResolvedHost {
  return resolveViews(snapshot, options)[0]!;
}

/**
 * One ResolvedHost per combination of candidates (one per component present), the first made of
 * each component's first candidate; a single view when every component has one process.
 */
export function resolveViews(snapshot: HostSnapshot, options: ResolveOptions): ResolvedHost[] {
  const notes: string[] = [];
  // Versions first: the apiserver's version-dependent defaults (PodSecurity) need it.
  const versions = resolveVersions(snapshot, options.releases);
  const apiserverVersion = versions.components.find((v) => v.component === 'kube-apiserver');
  const candidates: Partial<Record<ComponentName, Candidate[]>> = {};
  const resolved = new Map<ComponentName, ResolvedCandidate[]>();
  for (const component of COMPONENTS) {
    const procs = orderedCandidates(snapshot, component);
    if (procs.length === 0) continue;
    const list = procs.map((c) => resolveCandidate(snapshot, c, procs, apiserverVersion));
    resolved.set(component, list);
    candidates[component] = list.map(({ proc, identity }) => ({ proc, identity }));
    // One by one: a spread of a process's warnings into push() overflows the stack when a hostile
    // command line holds a hundred thousand of them (issue 9 item 2).
    for (const note of [...list.flatMap((c) => processNotes(c.proc, c.warnings)), ...candidateNotes(component, list)])
      notes.push(note);
  }

  const combinations = combine([...resolved.values()]);
  if (combinations.truncated) {
    notes.push(
      `${combinations.total} combinations of component processes: each process was judged beside the first of the others, not in every combination (at most ${MAX_VIEWS})`,
    );
  }
  const allPids = [...resolved.values()].flat().map((c) => c.proc.pid);
  const probedPids = new Set((snapshot.probes?.records ?? []).map((r) => r.pid));
  return combinations.views.map((chosen, index) => {
    const audited: Partial<Record<ComponentName, ProcessInfo>> = {};
    for (const c of chosen) audited[c.proc.component] = c.proc;
    const inView = new Set(chosen.map((c) => c.proc.pid));
    // Only probe answers of processes outside the view make a view's snapshot differ.
    const outside = allPids.filter((pid) => !inView.has(pid) && probedPids.has(pid));
    const narrowed = outside.length > 0;
    const view =
      narrowed && snapshot.probes ? { ...snapshot, probes: probesWithout(snapshot.probes, outside) } : snapshot;
    const apiserver = chosen.find((c) => c.apiserver)?.apiserver;
    const etcd = chosen.find((c) => c.etcd)?.etcd;
    const kubelet = chosen.find((c) => c.kubelet)?.kubelet;
    const endpoints = chosen.flatMap((c) => c.endpoints);
    return {
      snapshot: view,
      ...(apiserver && { apiserver }),
      ...(etcd && { etcd }),
      ...(kubelet && { kubelet }),
      audited,
      candidates,
      endpoints,
      servedPorts: servedPorts(view, endpoints),
      // The apiserver's answer to `/version` counts in the view of the process that gave it.
      versions: narrowed ? resolveVersions(view, options.releases) : versions,
      distribution: distributionFacts(snapshot.distributions, audited),
      notes: index === 0 ? notes : [],
    };
  });
}

function resolveCandidate(
  snapshot: HostSnapshot,
  proc: ProcessInfo,
  all: readonly ProcessInfo[],
  apiserverVersion: Parameters<typeof resolveApiserver>[1],
): ResolvedCandidate {
  const resolved = resolveComponent(snapshot, proc, all, apiserverVersion);
  const identity = judgeIdentity(proc);
  const ports = portFacts(snapshot, proc, resolved.endpoints);
  return {
    ...resolved,
    proc,
    identity: ports === undefined ? identity : { ...identity, facts: `${identity.facts}, ${ports}` },
  };
}

function resolveComponent(
  snapshot: HostSnapshot,
  proc: ProcessInfo,
  all: readonly ProcessInfo[],
  apiserverVersion: Parameters<typeof resolveApiserver>[1],
): Omit<ResolvedCandidate, 'proc' | 'identity'> {
  // Probe answers of another process of this component are not this one's.
  const others = all.filter((p) => p !== proc).map((p) => p.pid);
  const probes = snapshot.probes && probesWithout(snapshot.probes, others);
  switch (proc.component) {
    case 'kube-apiserver': {
      const apiserver = resolveApiserver(proc, apiserverVersion);
      return { apiserver, endpoints: apiserver.endpoints, warnings: apiserver.warnings };
    }
    case 'etcd': {
      const etcd = resolveEtcd(proc, probes);
      return { etcd, endpoints: etcd.endpoints, warnings: etcd.warnings };
    }
    case 'kubelet': {
      const kubelet = resolveKubelet(proc);
      return { kubelet, endpoints: kubelet.endpoints, warnings: kubelet.warnings };
    }
    default: {
      const other = resolveOtherComponent(proc);
      return { endpoints: other.endpoints, warnings: other.warnings };
    }
  }
}

/**
 * Whether the process owns a listening socket on the ports its configuration names: evidence
 * only, not a ground for trust. A port above 1024 is anyone's to bind while the component is
 * down, and a component that is starting may not have bound it yet.
 */
function portFacts(snapshot: HostSnapshot, proc: ProcessInfo, endpoints: readonly Endpoint[]): string | undefined {
  if (proc.source !== 'process' || !Array.isArray(snapshot.listeners)) return undefined;
  const configured = [...new Set(endpoints.map((e) => e.port))].sort((a, b) => a - b);
  if (configured.length === 0) return undefined;
  const owned = new Set(snapshot.listeners.filter((l) => l.pid === proc.pid).map((l) => l.port));
  const held = configured.filter((port) => owned.has(port));
  return held.length > 0
    ? `listens on its configured port ${held.join(', ')}`
    : `does not listen on its configured port ${configured.join(', ')}`;
}

/** Probe results without those of `pids`; the etcd auth answer goes with its record's process. */
function probesWithout(probes: ProbeResults, pids: readonly number[]): ProbeResults {
  if (pids.length === 0) return probes;
  const excluded = new Set(pids);
  const records = probes.records?.filter((r) => !excluded.has(r.pid));
  const etcdAnswer = probes.records?.find((r) => r.probe === 'etcd-auth-enabled' && r.outcome === 'response');
  const keepEtcd = probes.etcd !== undefined && (etcdAnswer === undefined || !excluded.has(etcdAnswer.pid));
  return { ...(records && { records }), ...(keepEtcd && probes.etcd && { etcd: probes.etcd }) };
}

/**
 * Every combination of one candidate per component, the first made of the first candidates; past
 * MAX_VIEWS, the first combination and each other candidate substituted into it alone.
 */
function combine<T>(lists: readonly (readonly T[])[]): { views: T[][]; total: number; truncated: boolean } {
  const total = lists.reduce((n, list) => n * list.length, 1);
  const first = lists.map((list) => list[0] as T);
  if (total > MAX_VIEWS) {
    const views = [first];
    lists.forEach((list, i) =>
      list.slice(1).forEach((other) => views.push(first.map((c, j) => (j === i ? other : c)))),
    );
    return { views, total, truncated: true };
  }
  let views: T[][] = [[]];
  for (const list of lists) views = views.flatMap((view) => list.map((c) => [...view, c]));
  return { views, total, truncated: false };
}

/**
 * What collect and resolve noticed about an audited process (unreadable environ, non-UTF-8 argv,
 * a flag the component would parse differently, ignored config keys), as report notes naming the
 * component and pid: DESIGN §6 wants every oddity said, not silently absorbed.
 */
function processNotes(proc: ProcessInfo, resolverWarnings: readonly string[]): string[] {
  const who = `${proc.component} (${describeOrigin(proc)})`;
  const own = `pid ${proc.pid}: `;
  const distinct = [...new Set([...proc.warnings, ...resolverWarnings])];
  const shown = distinct
    .slice(0, MAX_NOTES_PER_PROCESS)
    .map((w) => `${who}: ${w.startsWith(own) ? w.slice(own.length) : w}`);
  if (distinct.length > MAX_NOTES_PER_PROCESS)
    shown.push(`${who}: … and ${distinct.length - MAX_NOTES_PER_PROCESS} more notes`);
  return shown;
}

/** Notes on several candidates of one component, and on each suspicious one. */
function candidateNotes(component: ComponentName, list: readonly Candidate[]): string[] {
  const notes: string[] = [];
  if (list.length > 1) {
    notes.push(
      `${list.length} ${component} processes found (pids ${list.map((c) => c.proc.pid).join(', ')}); each was judged and the worst verdict counts`,
    );
  }
  for (const c of list) {
    if (c.identity.trusted) continue;
    notes.push(
      `suspicious process: ${describeSuspicious(c.identity)}; judged too, it can make a verdict worse but is never the only ground for a pass`,
    );
  }
  return notes;
}

/**
 * The candidates of a component, in the order views take them: trusted ones first, then one that
 * owns a listening socket (the server rather than a wrapper), then the oldest pid.
 */
export function orderedCandidates(snapshot: HostSnapshot, component: ComponentName): ProcessInfo[] {
  const candidates = snapshot.processes.filter((p) => p.component === component);
  if (candidates.length <= 1) return candidates;
  const listening = new Set(Array.isArray(snapshot.listeners) ? snapshot.listeners.map((l) => l.pid) : []);
  const rank = new Map(candidates.map((p) => [p, (judgeIdentity(p).trusted ? 0 : 2) + (listening.has(p.pid) ? 0 : 1)]));
  return [...candidates].sort((a, b) => rank.get(a)! - rank.get(b)! || a.pid - b.pid);
}

/** Notes said per audited process; the rest are counted (a hostile argv must not flood the report). */
export const MAX_NOTES_PER_PROCESS = 50;
