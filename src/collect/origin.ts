// The one place that says in words where an audited component's command line came from: the
// report's component list, resolve's notes and the checks' evidence all use it.
import type { ProcessInfo } from './types.js';

const VIA: Record<NonNullable<ProcessInfo['origin']>['via'], string> = {
  journal: 'the command line it logged at start, from the journal',
  'args-file': 'its arguments file',
  config: 'its command line rebuilt from its settings and built-in defaults',
};

/** `pid 812`, `static pod manifest /etc/kubernetes/manifests/etcd.yaml`, `inside k3s pid 812: … (file)`. */
export function describeOrigin(
  proc: Pick<ProcessInfo, 'source' | 'pid' | 'manifestPath' | 'unitPath' | 'origin'>,
): string {
  switch (proc.source) {
    case 'process':
      return `pid ${proc.pid}`;
    case 'static-pod-manifest':
      return `static pod manifest ${proc.manifestPath ?? '(unknown path)'}`;
    case 'systemd-unit':
      return `systemd unit ${proc.unitPath ?? '(unknown path)'}, not running: the command line it would start`;
    case 'distribution': {
      const origin = proc.origin;
      if (origin === undefined) return `inside a distribution's process, pid ${proc.pid}`;
      const files = origin.paths.length > 0 ? ` (${origin.paths.join(', ')})` : '';
      return `inside ${origin.distribution} pid ${proc.pid}: ${VIA[origin.via]}${files}`;
    }
  }
}
