import type { Evidence, Outcome } from './types.js';
import { defineCheck } from './define-check.js';

const messages = {
  enabled: 'The kubelet authenticates clients by {{methods}}.',
  neither: 'The kubelet has neither an x509 client CA nor webhook token authentication ({{detail}}).',
  undetermined: 'Cannot tell how the kubelet authenticates clients: {{reason}}.',
  noKubelet: 'No kubelet runs on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'kubelet-client-authn',
  title: 'Kubelet authenticates clients by x509 certificate or API bearer token',
  level: 'OPTIONAL',
  component: 'kubelet',
  requirement: {
    section: 'Standard',
    quote: 'OPTIONALLY, X509 client certificate authentication or API bearer token authentication can be enabled.',
  },
  remediation:
    'Set `authentication.x509.clientCAFile` (kubeadm: /etc/kubernetes/pki/ca.crt) or `authentication.webhook.enabled: true` ' +
    'in the KubeletConfiguration file named by --config (kubeadm: /var/lib/kubelet/config.yaml), or pass --client-ca-file / ' +
    '--authentication-token-webhook; then restart the kubelet.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const kubelet = host.kubelet;
    if (!kubelet) return { status: 'skip', messageId: 'noKubelet', evidence: [] };
    const { x509ClientCAFile: ca, webhookAuthentication: webhook } = kubelet;
    const methods: string[] = [];
    const evidence: Evidence[] = [];
    if (ca.known && ca.value !== undefined) {
      methods.push(`x509 client certificates (CA ${ca.value})`);
      evidence.push(ca.evidence);
    }
    if (webhook.known && webhook.value) {
      methods.push('API bearer tokens (webhook token authentication)');
      evidence.push(webhook.evidence);
    }
    if (methods.length > 0)
      return { status: 'pass', messageId: 'enabled', data: { methods: methods.join(' and ') }, evidence };
    if (ca.known && webhook.known) {
      return {
        status: 'fail',
        messageId: 'neither',
        data: { detail: `${ca.evidence.detail}; ${webhook.evidence.detail}` },
        evidence: [ca.evidence, webhook.evidence],
      };
    }
    // One of the two is unreadable and the other is off: the unreadable one may enable authentication.
    const reason = [ca, webhook].flatMap((r) => (r.known ? [] : [r.reason])).join('; ');
    return { status: 'unknown', messageId: 'undetermined', data: { reason }, evidence: [] };
  },
});
