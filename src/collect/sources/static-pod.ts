// A control-plane component that runs as a static pod but whose process is not visible (another
// pid namespace, a restart in progress): its manifest's command is what the kubelet starts.
// A running process also learns its manifest and image here (the image tag is a version source).
import type { ManifestRead } from '../manifests.js';
import type { ComponentName, ProcessInfo } from '../types.js';
import { alreadyFound, type ComponentSourceModule } from './types.js';

const CONTROL_PLANE: readonly ComponentName[] = ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler'];

function manifestProcess(read: ManifestRead, component: ComponentName): ProcessInfo {
  const { parsed, manifest } = read;
  return {
    pid: 0,
    component,
    source: 'static-pod-manifest',
    argv: parsed.argv ?? [],
    args: parsed.args ?? [],
    env: {},
    cwd: '/',
    manifestPath: manifest.path,
    ...(parsed.image !== undefined && { image: parsed.image }),
    files: {},
    dirs: {},
    warnings: parsed.warning === undefined ? [] : [`${manifest.path}: ${parsed.warning}`],
  };
}

export const staticPodManifest: ComponentSourceModule = {
  name: 'static-pod-manifest',
  find(context) {
    for (const info of context.found) {
      const read = context.manifests.find((m) => m.manifest.component === info.component);
      if (!read) continue;
      info.manifestPath = read.manifest.path;
      if (read.manifest.image !== undefined) info.image = read.manifest.image;
    }
    const added: ProcessInfo[] = [];
    for (const component of CONTROL_PLANE) {
      if (alreadyFound(context, component)) continue;
      const read = context.manifests.find((m) => m.manifest.component === component);
      if (!read) continue;
      added.push(manifestProcess(read, component));
      context.notes.push(
        `${component} not running as a visible process; audited its static pod manifest ${read.manifest.path}`,
      );
    }
    return added;
  },
};
