import { defineCheck } from './define-check.js';
import type { Evidence, Outcome } from './types.js';
import { judgedVersions } from '../resolve/versions.js';
import { compareMinors, endOfDay, minorRelease } from '../resolve/release-table.js';

const messages = {
  supported: 'Every detected Kubernetes component runs a supported minor release: {{components}}.',
  endOfLife: 'Past upstream end of life: {{components}}.',
  versionUnknown:
    'The version of {{components}} could not be determined; a version tag on the container image or the installing dpkg package would tell.',
  tableTooOld:
    'The release table is older than the running version ({{components}}); update the release table (scs-node-audit config file) or scs-node-audit.',
  noComponent: 'No kube-apiserver, kubelet, kube-controller-manager or kube-scheduler on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'version-supported',
  title: 'Kubernetes components run a minor release that upstream still supports',
  level: 'MUST',
  component: 'node',
  requirement: {
    section: 'Standard',
    quote: 'Kubernetes clusters MUST be updated regularly in order to receive bugfixes and security patches.',
  },
  remediation:
    'Upgrade the control plane and the kubelets to a supported minor release (kubeadm: `kubeadm upgrade plan`, then `kubeadm upgrade apply v1.X.Y` on the first control-plane node, `kubeadm upgrade node` on the others, then upgrade the kubelet packages). If the release table is outdated, replace it in the scs-node-audit config file or upgrade scs-node-audit.',
  messages,
  evaluate(host, context): Outcome<MessageId> {
    const table = host.versions.releases;
    const judged = judgedVersions(host.versions);
    if (judged.known.length === 0 && judged.unknown.length === 0)
      return { status: 'skip', messageId: 'noComponent', evidence: [] };

    const newest = [...table.minors].sort((a, b) => compareMinors(b.minor, a.minor))[0];
    const oldest = [...table.minors].sort((a, b) => compareMinors(a.minor, b.minor))[0];
    const evidence: Evidence[] = [];
    const expired: string[] = [];
    const supported: string[] = [];
    const notInTable: string[] = [];

    for (const c of judged.known) {
      evidence.push(c.evidence);
      const label = `${c.component} ${c.version}`;
      const entry = minorRelease(table, c.minor);
      if (entry) {
        const past = context.now >= endOfDay(entry.endOfLife);
        evidence.push({
          source: 'release-table',
          detail: `${entry.minor}: end of life ${entry.endOfLife} (${table.source})`,
        });
        (past ? expired : supported).push(
          `${label} (${entry.minor} ${past ? 'reached' : 'supported until'} end of life ${entry.endOfLife})`,
        );
      } else if (oldest && compareMinors(c.minor, oldest.minor) < 0) {
        // Kubernetes minors reach end of life in order, so a minor older than the oldest in the table
        // ended before it did.
        evidence.push({
          source: 'release-table',
          detail: `${c.minor} is older than every minor in the table (oldest ${oldest.minor}, end of life ${oldest.endOfLife})`,
        });
        expired.push(`${label} (older than ${oldest.minor}, which reached end of life ${oldest.endOfLife})`);
      } else {
        // Newer than the table (or a gap in an operator's table): its end of life is not known here,
        // and a newer release is not evidence of anything wrong, so this is not a fail.
        notInTable.push(`${label} (table ${newest ? `ends at ${newest.minor}` : 'is empty'})`);
      }
    }

    if (expired.length > 0)
      return { status: 'fail', messageId: 'endOfLife', data: { components: expired.join(', ') }, evidence };
    if (judged.unknown.length > 0) {
      // Without a version there is nothing to compare; the node cannot run `--version` (nothing is spawned).
      return {
        status: 'unknown',
        messageId: 'versionUnknown',
        data: { components: judged.unknown.join(', ') },
        evidence,
      };
    }
    if (notInTable.length > 0)
      return { status: 'unknown', messageId: 'tableTooOld', data: { components: notInTable.join(', ') }, evidence };
    return { status: 'pass', messageId: 'supported', data: { components: supported.join(', ') }, evidence };
  },
});
