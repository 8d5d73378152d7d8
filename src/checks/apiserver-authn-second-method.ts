import type { AuthenticationMethodKind } from '../resolve/kube-apiserver/index.js';
import { defineCheck } from './define-check.js';
import type { Outcome } from './types.js';

const messages = {
  found: 'Besides service account tokens the apiserver authenticates with {{methods}}.',
  onlyNonStrict:
    'Besides service account tokens the apiserver only has {{found}}; with strictAuthentication only OIDC/JWT (--oidc-issuer-url, jwt in --authentication-config) ' +
    "and webhook token authentication (--authentication-token-webhook-config-file) count, as in SCS's own conformance test.",
  none: 'The apiserver has no authentication method besides service account tokens.',
  undetermined:
    'No second authentication method found in the flags, and part of the configuration could not be read: {{reason}}.',
  noApiserver: 'No kube-apiserver runs on this node.',
};
type MessageId = keyof typeof messages;

/** What SCS's own test (scs_0217_cluster_hardening_test.go) accepts: OIDC or a token webhook. */
const STRICT_KINDS: readonly AuthenticationMethodKind[] = ['oidc', 'jwt', 'webhook'];

export default defineCheck({
  id: 'apiserver-authn-second-method',
  title: 'kube-apiserver has an authentication method besides service account tokens',
  level: 'MUST',
  component: 'kube-apiserver',
  requirement: {
    section: 'Standard',
    quote:
      'A cluster MUST implement at least two methods for authentication. One of these MUST be *Service Account Tokens*, in order to provide full functionality to Pods. ' +
      'A second authentication mechanisms can be chosen depending on the requirements of the provider and/or customer.',
  },
  remediation:
    'Configure a second authentication method on the kube-apiserver: OIDC (--oidc-issuer-url and --oidc-client-id, or a jwt authenticator in the ' +
    'AuthenticationConfiguration named by --authentication-config), webhook token authentication (--authentication-token-webhook-config-file), or ' +
    'x509 client certificates (--client-ca-file; kubeadm sets /etc/kubernetes/pki/ca.crt). With strictAuthentication only OIDC/JWT and webhook count.',
  messages,
  evaluate(host, context): Outcome<MessageId> {
    const api = host.apiserver;
    if (!api) return { status: 'skip', messageId: 'noApiserver', evidence: [] };
    const { methods, incomplete } = api.authentication;
    const counted = context.strictAuthentication ? methods.filter((m) => STRICT_KINDS.includes(m.kind)) : methods;
    if (counted.length > 0) {
      return {
        status: 'pass',
        messageId: 'found',
        data: { methods: counted.map((m) => m.label).join(', ') },
        evidence: counted.map((m) => m.evidence),
      };
    }
    // An unreadable --authentication-config may hold JWT authenticators: absence is not proven.
    if (incomplete !== undefined)
      return { status: 'unknown', messageId: 'undetermined', data: { reason: incomplete }, evidence: [] };
    if (methods.length > 0) {
      return {
        status: 'fail',
        messageId: 'onlyNonStrict',
        data: { found: methods.map((m) => m.label).join(', ') },
        evidence: methods.map((m) => m.evidence),
      };
    }
    const detail =
      'none of --client-ca-file, --oidc-issuer-url, --authentication-config, --authentication-token-webhook-config-file, ' +
      '--requestheader-client-ca-file, --token-auth-file, --enable-bootstrap-token-auth is set';
    return { status: 'fail', messageId: 'none', evidence: [{ source: 'default', detail }] };
  },
});
