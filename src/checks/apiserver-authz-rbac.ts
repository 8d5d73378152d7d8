import { defineCheck } from './define-check.js';
import { authorizerChain } from './support/apiserver.js';
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
    quote:
      'We RECOMMEND RBAC due to it fitting most use cases and being very well documented, but your setup might require another solution.',
  },
  remediation:
    'Add RBAC to --authorization-mode (e.g. --authorization-mode=Node,RBAC, the kubeadm default), or add `- type: RBAC` with `name: rbac` to ' +
    'authorizers in the AuthorizationConfiguration named by --authorization-config.',
  messages,
  evaluate(host): Outcome<MessageId> {
    // Skip without an apiserver; unknown, not fail, when an unreadable authorization config or
    // conflicting flags hide the chain the apiserver runs.
    const chain = authorizerChain(host);
    if ('status' in chain) return chain;
    return chain.modes.includes('RBAC')
      ? { status: 'pass', messageId: 'rbac', data: chain.shown, evidence: [chain.evidence] }
      : { status: 'fail', messageId: 'noRbac', data: chain.shown, evidence: [chain.evidence] };
  },
});
