import { defineCheck } from './define-check.js';
import type { Outcome } from './types.js';

const messages = {
  webhook: 'The kubelet authorizes requests through the API server ({{detail}}).',
  notWebhook: 'The kubelet authorization mode is {{mode}}, not Webhook ({{detail}}).',
  undetermined: 'Cannot tell the kubelet authorization mode: {{reason}}.',
  noKubelet: 'No kubelet runs on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'kubelet-authz-webhook',
  title: 'Kubelet delegates authorization to the API server (Webhook)',
  level: 'MUST',
  component: 'kubelet',
  requirement: {
    section: 'Standard',
    quote:
      'Request authorization for the Kubelet MUST be delegated to the API server via `Webhook` authorization as it is recommended ' +
      'by the [Kubernetes documentation][kubelet-auth].',
  },
  remediation:
    'Set `authorization.mode: Webhook` in the KubeletConfiguration file named by --config (kubeadm: /var/lib/kubelet/config.yaml) ' +
    'and in no --config-dir drop-in change it, or pass --authorization-mode=Webhook; then restart the kubelet. ' +
    'A kubelet started without --config defaults to AlwaysAllow.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const kubelet = host.kubelet;
    if (!kubelet) return { status: 'skip', messageId: 'noKubelet', evidence: [] };
    const mode = kubelet.authorizationMode;
    // Unreadable or ill-typed configuration: the kubelet's real mode is not knowable from here.
    if (!mode.known)
      return { status: 'unknown', messageId: 'undetermined', data: { reason: mode.reason }, evidence: [] };
    const data = { mode: mode.value === '' ? '""' : mode.value, detail: mode.evidence.detail };
    return mode.value === 'Webhook'
      ? { status: 'pass', messageId: 'webhook', data, evidence: [mode.evidence] }
      : { status: 'fail', messageId: 'notWebhook', data, evidence: [mode.evidence] };
  },
});
