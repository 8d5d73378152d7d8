// Where a component's effective command line comes from, in order of trust: its own process,
// its static pod manifest, its systemd unit (offline images), then the distributions that run
// components inside their own process. The first source that finds a component wins.
import type { ProcessInfo } from '../types.js';
import { k3s } from './k3s.js';
import { microk8s } from './microk8s.js';
import { ownProcess } from './process.js';
import { staticPodManifest } from './static-pod.js';
import { systemdUnit } from './systemd-unit.js';
import type { ComponentSourceModule, SourceContext } from './types.js';

export const COMPONENT_SOURCES: readonly ComponentSourceModule[] = [
  ownProcess,
  staticPodManifest,
  systemdUnit,
  microk8s,
  k3s,
];

export function gatherComponents(context: Omit<SourceContext, 'found'>): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const source of COMPONENT_SOURCES) found.push(...source.find({ ...context, found }));
  return found;
}

export type { ComponentSourceModule, SourceContext } from './types.js';
