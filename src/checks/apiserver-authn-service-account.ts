import { defineCheck } from './define-check.js';
import type { Outcome } from './types.js';

const messages = {
  configured: 'Service account token authentication is configured ({{detail}}).',
  missing:
    'Service account token authentication lacks {{flags}}; since Kubernetes 1.20 the apiserver does not start without them, so this is an old release or a command line that does not show everything.',
  legacyKeyFile:
    'Service account token authentication is configured the pre-1.20 way ({{detail}}): {{legacy}}, where the key file alone enables it.',
  tlsKeyFallback:
    'Cannot tell whether service account tokens work: {{legacy}}, and without --service-account-key-file it verifies them with the TLS key {{file}} only if that is an RSA or ECDSA key.',
  ambiguous:
    'Cannot tell how service account tokens are configured: {{flags}} has no value, so the apiserver took the next argument as its value.',
  noApiserver: 'No kube-apiserver runs on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'apiserver-authn-service-account',
  title: 'kube-apiserver authenticates service account tokens',
  level: 'MUST',
  component: 'kube-apiserver',
  requirement: {
    section: 'Standard',
    quote:
      'A cluster MUST implement at least two methods for authentication. One of these MUST be *Service Account Tokens*, in order to provide full functionality to Pods.',
  },
  remediation:
    'Set --service-account-issuer (e.g. https://kubernetes.default.svc.cluster.local), --service-account-key-file (public key(s) that verify tokens) ' +
    'and --service-account-signing-key-file (the private key that signs them) on the kube-apiserver; kubeadm uses /etc/kubernetes/pki/sa.pub and sa.key.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const api = host.apiserver;
    if (!api) return { status: 'skip', messageId: 'noApiserver', evidence: [] };
    const sa = api.authentication.serviceAccount;
    // `--service-account-issuer --service-account-key-file=/k`: the apiserver's issuer is the text of the next flag.
    if (sa.valueless.length > 0)
      return { status: 'unknown', messageId: 'ambiguous', data: { flags: sa.valueless.join(', ') }, evidence: [] };
    if (sa.missing.length > 0) {
      const evidence = [
        ...sa.evidence,
        ...sa.missing.map((flag) => ({ source: 'default' as const, detail: `${flag} not set` })),
      ];
      return { status: 'fail', messageId: 'missing', data: { flags: sa.missing.join(', ') }, evidence };
    }
    // Pre-1.20 fallback to the serving key: whether that key can verify tokens is not visible in argv.
    if (sa.tlsKeyFallback !== undefined)
      return {
        status: 'unknown',
        messageId: 'tlsKeyFallback',
        data: { legacy: sa.legacy!, file: sa.tlsKeyFallback },
        evidence: [],
      };
    if (sa.legacy !== undefined)
      return {
        status: 'pass',
        messageId: 'legacyKeyFile',
        data: { detail: sa.evidence.map((e) => e.detail).join(' '), legacy: sa.legacy },
        evidence: sa.evidence,
      };
    return {
      status: 'pass',
      messageId: 'configured',
      data: { detail: sa.evidence.map((e) => e.detail).join(' ') },
      evidence: sa.evidence,
    };
  },
});
