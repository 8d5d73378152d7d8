import { defineCheck } from './define-check.js';
import { authorizerChain } from './support/apiserver.js';
import type { Outcome } from './types.js';

const messages = {
  policy: 'Requests are authorized by {{policies}}, and AlwaysAllow is not in the chain {{modes}} ({{detail}}).',
  alwaysAllow:
    'AlwaysAllow is in the authorizer chain {{modes}} ({{detail}}): every request no earlier authorizer decides is allowed.',
  noPolicy: 'The authorizer chain {{modes}} ({{detail}}) has none of RBAC, ABAC or Webhook.',
  undetermined: 'Cannot tell which authorizers the apiserver uses: {{reason}}.',
  noApiserver: 'No kube-apiserver runs on this node.',
};
type MessageId = keyof typeof messages;

const POLICY_MODES = ['RBAC', 'ABAC', 'Webhook'];

export default defineCheck({
  id: 'apiserver-authz-policy',
  title: 'kube-apiserver authorizes with RBAC, ABAC or Webhook, never AlwaysAllow',
  level: 'MUST',
  component: 'kube-apiserver',
  requirement: {
    section: 'Standard',
    quote:
      'A cluster MUST activate at least two authorization methods, one of which MUST be *Node authorization* and another one consisting of either ABAC, RBAC or Webhook authorization depending on the required use case.',
  },
  remediation:
    'Use --authorization-mode=Node,RBAC (kubeadm default; ABAC or Webhook also satisfy the standard) and remove AlwaysAllow from every ' +
    '--authorization-mode occurrence (repeated occurrences add up), or list RBAC/Webhook authorizers and no AlwaysAllow in the ' +
    'AuthorizationConfiguration named by --authorization-config.',
  messages,
  evaluate(host): Outcome<MessageId> {
    // Skip without an apiserver; unknown, not fail, when an unreadable authorization config or
    // conflicting flags hide the chain the apiserver runs.
    const chain = authorizerChain(host);
    if ('status' in chain) return chain;
    const evidence = [chain.evidence];
    const shown = chain.shown;
    if (chain.modes.includes('AlwaysAllow')) return { status: 'fail', messageId: 'alwaysAllow', data: shown, evidence };
    const policies = chain.modes.filter((m) => POLICY_MODES.includes(m));
    return policies.length > 0
      ? { status: 'pass', messageId: 'policy', data: { policies: policies.join(', '), ...shown }, evidence }
      : { status: 'fail', messageId: 'noPolicy', data: shown, evidence };
  },
});
