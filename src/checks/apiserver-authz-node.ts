import { defineCheck } from './define-check.js';
import { authorizerChain } from './support/apiserver.js';
import type { Outcome } from './types.js';

const messages = {
  node: 'Node authorization is active: {{modes}} ({{detail}}).',
  noNode: 'Node authorization is not active: the authorizer chain is {{modes}} ({{detail}}).',
  undetermined: 'Cannot tell which authorizers the apiserver uses: {{reason}}.',
  noApiserver: 'No kube-apiserver runs on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'apiserver-authz-node',
  title: 'kube-apiserver uses Node authorization',
  level: 'MUST',
  component: 'kube-apiserver',
  requirement: {
    section: 'Standard',
    quote:
      'A cluster MUST activate at least two authorization methods, one of which MUST be *Node authorization* and another one consisting of either ABAC, RBAC or Webhook authorization depending on the required use case.',
  },
  remediation:
    'Put Node first in --authorization-mode (e.g. --authorization-mode=Node,RBAC, as kubeadm does), or add `- type: Node` with `name: node` to ' +
    'authorizers in the AuthorizationConfiguration named by --authorization-config (the two are mutually exclusive).',
  messages,
  evaluate(host): Outcome<MessageId> {
    // Skip without an apiserver; unknown, not fail, when an unreadable authorization config or
    // conflicting flags hide the chain the apiserver runs.
    const chain = authorizerChain(host);
    if ('status' in chain) return chain;
    return chain.modes.includes('Node')
      ? { status: 'pass', messageId: 'node', data: chain.shown, evidence: [chain.evidence] }
      : { status: 'fail', messageId: 'noNode', data: chain.shown, evidence: [chain.evidence] };
  },
});
