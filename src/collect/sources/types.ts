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

/** Whether an earlier source already found `component`. */
export function alreadyFound(context: SourceContext, component: ProcessInfo['component']): boolean {
  return context.found.some((p) => p.component === component);
}

/** A component that runs inside a distribution's process `pid`, with the arguments its record gives. */
export function distributionComponent(pid: number, component: ComponentName, args: string[], origin: DistributionOrigin, warnings: string[] = []): ProcessInfo {
  return { pid, component, source: 'distribution', origin, argv: [component, ...args], args, env: {}, cwd: '/', files: {}, dirs: {}, warnings };
}
