// The seam every component source plugs into: given what collect has read so far, a source
// yields candidate components (argv + where it came from) for components no earlier source found.
// Adding a distribution is one module here, listed in index.ts, and one fixture.
import type { FileRoot } from '../files.js';
import type { ManifestRead } from '../manifests.js';
import type { ProcTree } from '../proc.js';
import type { ComponentName, DistributionOrigin, DistributionSign, ProcessInfo } from '../types.js';

export interface SourceContext {
  tree: ProcTree;
  root: FileRoot;
  /** Component processes seen in `<proc>` (their own argv). */
  scanned: readonly ProcessInfo[];
  manifests: readonly ManifestRead[];
  distributions: readonly DistributionSign[];
  /** What the earlier sources found; a source adds only components missing here. */
  found: readonly ProcessInfo[];
  /** Host-level notes: a source says what it did, or why it could not. */
  notes: string[];
}

export interface ComponentSourceModule {
  /** For notes and tests: `process`, `static-pod-manifest`, `systemd-unit`, `microk8s`, `k3s`. */
  name: string;
  find(context: SourceContext): ProcessInfo[];
}

/**
 * The running distribution processes a source may take command lines from: only root's. k3s and
 * kubelite run as root; a process any user can start under that name must not bring its own
 * arguments files (or journal lines) that turn an unknown into a pass (promise 2). An untrusted one
 * still counts as a sign of the distribution, so its components stay unknown, never skip.
 */
/** A distribution sign of a running process: its pid is known. */
export type RunningSign = DistributionSign & { pid: number };

export function trustedRunning(context: SourceContext, name: DistributionSign['name'], role?: string): RunningSign[] {
  return context.distributions.filter((d): d is RunningSign => {
    if (d.name !== name || d.pid === undefined || (role !== undefined && d.role !== role)) return false;
    if (d.uid === 0) return true;
    const who = d.uid === undefined ? 'whose uid could not be read' : `running as uid ${d.uid}, not root`;
    const reason = `its process ${d.pid} is ${who}, so its records were not trusted`;
    d.unread = Object.fromEntries(
      (['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy', 'etcd'] as const).map(
        (c) => [c, reason],
      ),
    );
    return false;
  });
}

/** Whether an earlier source already found `component`. */
export function alreadyFound(context: SourceContext, component: ProcessInfo['component']): boolean {
  return context.found.some((p) => p.component === component);
}

/** A component that runs inside a distribution's process `pid`, with the arguments its record gives. */
export function distributionComponent(
  pid: number,
  component: ComponentName,
  args: string[],
  origin: DistributionOrigin,
  warnings: string[] = [],
): ProcessInfo {
  return {
    pid,
    component,
    source: 'distribution',
    origin,
    argv: [component, ...args],
    args,
    env: {},
    cwd: '/',
    files: {},
    dirs: {},
    warnings,
  };
}
