import { defineCheck } from './define-check.js';
import type { Outcome } from './types.js';
import { hasKnownVersion, unknownVersionLabel } from '../resolve/versions.js';
import { compareMinors } from '../resolve/release-table.js';

/** Kubernetes version skew policy: the kubelet may be up to three minor versions older than kube-apiserver. */
const MAX_KUBELET_LAG = 3;

const messages = {
  withinSkew: 'kubelet {{kubelet}} and kube-apiserver {{apiserver}} are within the supported skew.',
  kubeletNewer: 'kubelet {{kubelet}} is newer than kube-apiserver {{apiserver}}.',
  kubeletTooOld:
    'kubelet {{kubelet}} is {{lag}} minor releases behind kube-apiserver {{apiserver}} (at most 3 are supported).',
  versionUnknown: 'The skew cannot be judged: the version of {{components}} is unknown.',
  notBoth: 'kubelet and kube-apiserver are not both on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'version-skew',
  title: 'The kubelet is not newer than kube-apiserver and at most three minor releases older',
  level: 'RECOMMENDED',
  component: 'node',
  requirement: {
    section: 'Standard',
    quote: 'Kubernetes clusters MUST be updated regularly in order to receive bugfixes and security patches.',
  },
  remediation:
    'Upgrade the control plane first, then the kubelets, one minor release at a time (https://kubernetes.io/releases/version-skew-policy/); with kubeadm: `kubeadm upgrade apply` on the control plane, then upgrade the kubelet package and restart it.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const kubelet = host.versions.components.find((c) => c.component === 'kubelet');
    const apiserver = host.versions.components.find((c) => c.component === 'kube-apiserver');
    // On a worker there is no apiserver to compare with; the cluster-wide skew is not visible here.
    if (!kubelet || !apiserver) return { status: 'skip', messageId: 'notBoth', evidence: [] };
    if (!hasKnownVersion(kubelet) || !hasKnownVersion(apiserver)) {
      // Not a fail: the skew may well be fine; only a version (image tag or package) would tell.
      const both = [kubelet, apiserver];
      const components = both
        .filter((c) => !hasKnownVersion(c))
        .map(unknownVersionLabel)
        .join(', ');
      return {
        status: 'unknown',
        messageId: 'versionUnknown',
        data: { components },
        evidence: both.flatMap((c) => (c.evidence ? [c.evidence] : [])),
      };
    }
    const evidence = [kubelet.evidence, apiserver.evidence];
    const data = { kubelet: kubelet.version, apiserver: apiserver.version };
    const diff = compareMinors(apiserver.minor, kubelet.minor);
    if (diff < 0) return { status: 'fail', messageId: 'kubeletNewer', data, evidence };
    // Both are 1.x, so the minor difference is the lag.
    if (diff > MAX_KUBELET_LAG)
      return { status: 'fail', messageId: 'kubeletTooOld', data: { ...data, lag: diff }, evidence };
    return { status: 'pass', messageId: 'withinSkew', data, evidence };
  },
});
