// Helpers the kubelet checks share.
import type { ResolvedKubelet } from '../../resolve/kubelet/index.js';
import { known, unknown, type Resolved } from '../../resolve/resolved.js';

/** The name the kubelet registers under: `--hostname-override`, else the host name, lower-cased. */
export function effectiveNodeName(kubelet: ResolvedKubelet, hostname: string): Resolved<string> {
  if (kubelet.nodeName !== undefined) return kubelet.nodeName;
  const name = hostname.trim().toLowerCase();
  if (name === '') return unknown('the host name is empty and there is no --hostname-override');
  return known(name, { source: 'default', detail: `node name = host name "${name}" (no --hostname-override)` });
}
