// Which component a listening socket belongs to. Usually its owner's: one process, one component.
// A distribution process that runs several components (k3s, MicroK8s kubelite) owns all their
// ports; there the port each component is configured to serve tells them apart.
import type { ComponentName, Listener, ProcessInfo } from '../collect/types.js';
import type { Endpoint } from './resolved.js';

export interface Attribution {
  component: ComponentName;
  /** In words, for evidence: `owned by pid 812 (kubelet)`. */
  how: string;
}

export function listenerComponent(
  listener: Listener,
  processes: readonly ProcessInfo[],
  endpoints: readonly Endpoint[],
): Attribution | undefined {
  if (listener.pid === undefined) {
    // Owner unknown (no access to other processes' fds): attribute by configured port.
    const endpoint = endpoints.find((e) => e.port === listener.port);
    return (
      endpoint && { component: endpoint.component, how: `owner unknown, port configured for ${endpoint.component}` }
    );
  }
  const owners = [...new Set(processes.filter((p) => p.pid > 0 && p.pid === listener.pid).map((p) => p.component))];
  if (owners.length === 1) return { component: owners[0]!, how: `owned by pid ${listener.pid} (${owners[0]!})` };
  const endpoint = endpoints.find(
    (e) => e.pid === listener.pid && e.port === listener.port && owners.includes(e.component),
  );
  return (
    endpoint && {
      component: endpoint.component,
      how: `owned by pid ${listener.pid}, which runs ${owners.join(', ')}; port configured for ${endpoint.component}`,
    }
  );
}
