import { defineCheck } from './define-check.js';
import type { Outcome } from './types.js';

const messages = {
  rbac: 'RBAC authorization is active: {{modes}} ({{detail}}).',
  noRbac: 'RBAC authorization is not active: the authorizer chain is {{modes}} ({{detail}}).',
  undetermined: 'Cannot tell which authorizers the apiserver uses: {{reason}}.',
  noApiserver: 'No kube-apiserver runs on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'apiserver-authz-rbac',
  title: 'kube-apiserver uses RBAC authorization',
  level: 'RECOMMENDED',
  component: 'kube-apiserver',
  requirement: {
    section: 'Standard',
    quote: 'We RECOMMEND RBAC due to it fitting most use cases and being very well documented, but your setup might require another solution.',
  },
  remediation:
    'Add RBAC to --authorization-mode (e.g. --authorization-mode=Node,RBAC, the kubeadm default), or add `- type: RBAC` with `name: rbac` to ' +
    'authorizers in the AuthorizationConfiguration named by --authorization-config.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const api = host.apiserver;
    if (!api) return { status: 'skip', messageId: 'noApiserver', evidence: [] };
    const modes = api.authorizationModes;
    // Unreadable authorization config or conflicting flags: the running chain cannot be known.
    if (!modes.known) return { status: 'unknown', messageId: 'undetermined', data: { reason: modes.reason }, evidence: [] };
    const data = { modes: JSON.stringify(modes.value), detail: modes.evidence.detail };
    return modes.value.includes('RBAC')
      ? { status: 'pass', messageId: 'rbac', data, evidence: [modes.evidence] }
      : { status: 'fail', messageId: 'noRbac', data, evidence: [modes.evidence] };
  },
});
