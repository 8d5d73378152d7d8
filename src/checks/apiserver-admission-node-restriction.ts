import { admissionEvidence } from '../resolve/kube-apiserver.js';
import { defineCheck } from './define-check.js';
import type { Outcome } from './types.js';

const messages = {
  enabled: 'The NodeRestriction admission plugin is active ({{detail}}).',
  notEnabled: 'The NodeRestriction admission plugin is not active ({{detail}}); it is not on by default, so kubelets may modify pods and nodes other than their own.',
  undetermined: 'Cannot tell which admission plugins the apiserver runs: {{reason}}.',
  noApiserver: 'No kube-apiserver runs on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'apiserver-admission-node-restriction',
  title: 'NodeRestriction admission plugin is active',
  level: 'MUST',
  component: 'kube-apiserver',
  requirement: {
    section: 'Standard',
    quote:
      'Additionally, the `NodeRestriction` admission controller MUST be activated in order to limit interactions between different Kubelets by disallowing modification of `Pod` objects, ' +
      "if they're not bound to the Kubelet requesting the modification.",
  },
  remediation:
    'Add NodeRestriction to --enable-admission-plugins on the kube-apiserver (kubeadm sets --enable-admission-plugins=NodeRestriction) and keep it out of ' +
    '--disable-admission-plugins; with the deprecated --admission-control list, include it there. It also needs Node authorization and kubelet ' +
    'credentials of the form system:node:<nodeName>.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const api = host.apiserver;
    if (!api) return { status: 'skip', messageId: 'noApiserver', evidence: [] };
    const plugins = api.admissionPlugins;
    // Flags the apiserver would refuse to start with: the running plugin set is not on this command line.
    if (!plugins.known) return { status: 'unknown', messageId: 'undetermined', data: { reason: plugins.reason }, evidence: [] };
    const evidence = admissionEvidence(plugins.value, 'NodeRestriction');
    return plugins.value.enabled.includes('NodeRestriction')
      ? { status: 'pass', messageId: 'enabled', data: { detail: evidence.detail }, evidence: [evidence] }
      : { status: 'fail', messageId: 'notEnabled', data: { detail: evidence.detail }, evidence: [evidence] };
  },
});
