// One rule for every check, applied after it ran: a component that a distribution runs here but
// whose settings could not be established is never `skip` ("does not run here"); and a host-wide
// check cannot `pass` while such a component is unseen (DESIGN §3, promise 1).
import type { ResolvedHost } from '../../resolve/index.js';
import type { CheckDefinition, Finding } from '../types.js';

export const NOT_ESTABLISHED_ID = 'notEstablished';

export function withNotEstablished(
  finding: Finding,
  check: Pick<CheckDefinition, 'component'>,
  host: ResolvedHost,
): Finding {
  const facts = host.distribution;
  const reasons = facts.notEstablished;
  if (check.component === 'node') {
    const all = Object.values(reasons);
    if (all.length === 0 || (finding.status !== 'skip' && finding.status !== 'pass')) return finding;
    return {
      ...finding,
      status: 'unknown',
      messageId: NOT_ESTABLISHED_ID,
      message: `Not judged: ${all.join('; ')}. What was seen: ${finding.message}`,
    };
  }
  const reason = reasons[check.component];
  if (finding.status === 'skip' && reason !== undefined) {
    return { ...finding, status: 'unknown', messageId: NOT_ESTABLISHED_ID, message: `${reason}.` };
  }
  if (finding.status === 'skip' && check.component === 'etcd' && facts.etcdAbsent !== undefined) {
    return { ...finding, message: `${finding.message} ${facts.etcdAbsent}` };
  }
  return finding;
}
