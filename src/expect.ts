// `--expect kubelet[,etcd,…]`: components the operator demands on this host. An audit that finds
// none of the Kubernetes processes is otherwise a clean report of nothing (a DaemonSet pod that
// lost hostPID, a --proc pointing at the wrong tree); naming what must be there turns that into
// a failure. Pure: a report and a list in, the missing names out.
import type { ComponentName } from './collect/types.js';
import type { Report } from './report/types.js';

/**
 * The expected components the report did not find, in the order given. A component audited from
 * its static pod manifest or systemd unit (an offline image) counts as found: its settings were.
 */
export function missingExpected(
  report: Pick<Report, 'components'>,
  expected: readonly ComponentName[],
): ComponentName[] {
  const found = new Set(report.components.map((component) => component.name));
  return expected.filter((name) => !found.has(name));
}
