import { defineCheck } from './define-check.js';
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
    const api = host.apiserver;
    if (!api) return { status: 'skip', messageId: 'noApiserver', evidence: [] };
    const modes = api.authorizationModes;
    // Unreadable authorization config or conflicting flags: the running chain cannot be known.
    if (!modes.known) return { status: 'unknown', messageId: 'undetermined', data: { reason: modes.reason }, evidence: [] };
    const data = { modes: JSON.stringify(modes.value), detail: modes.evidence.detail };
    return modes.value.includes('Node')
      ? { status: 'pass', messageId: 'node', data, evidence: [modes.evidence] }
      : { status: 'fail', messageId: 'noNode', data, evidence: [modes.evidence] };
  },
});
