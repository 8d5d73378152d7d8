import { defineCheck } from './define-check.js';
import type { Outcome } from './types.js';

const messages = {
  disabled: 'The kubelet rejects anonymous requests ({{detail}}).',
  enabled: 'The kubelet accepts anonymous requests ({{detail}}): unauthenticated callers of port 10250 act as system:anonymous.',
  undetermined: 'Cannot tell whether the kubelet accepts anonymous requests: {{reason}}.',
  noKubelet: 'No kubelet runs on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'kubelet-anonymous-auth',
  title: 'Kubelet rejects anonymous requests',
  level: 'MUST',
  component: 'kubelet',
  requirement: {
    section: 'Standard',
    quote: 'Kubelets MUST disable anonymous request authentication to disallow non-rejected requests to go through as anonymous requests.',
  },
  remediation:
    'Set `authentication.anonymous.enabled: false` in the KubeletConfiguration file named by --config ' +
    '(kubeadm: /var/lib/kubelet/config.yaml) and in no --config-dir drop-in set it to true, or pass --anonymous-auth=false; ' +
    'then restart the kubelet. A kubelet started without --config accepts anonymous requests by default.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const kubelet = host.kubelet;
    if (!kubelet) return { status: 'skip', messageId: 'noKubelet', evidence: [] };
    const anonymous = kubelet.anonymousAuth;
    // Unreadable or ill-typed configuration: the kubelet's real value may be either, so no verdict.
    if (!anonymous.known) return { status: 'unknown', messageId: 'undetermined', data: { reason: anonymous.reason }, evidence: [] };
    const data = { detail: anonymous.evidence.detail };
    return anonymous.value
      ? { status: 'fail', messageId: 'enabled', data, evidence: [anonymous.evidence] }
      : { status: 'pass', messageId: 'disabled', data, evidence: [anonymous.evidence] };
  },
});
