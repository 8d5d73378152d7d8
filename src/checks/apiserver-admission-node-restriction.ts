import { defineCheck } from './define-check.js';
import { admissionPlugin } from './support/apiserver.js';
import type { Outcome } from './types.js';

const messages = {
  enabled: 'The NodeRestriction admission plugin is active ({{detail}}).',
  notEnabled:
    'The NodeRestriction admission plugin is not active ({{detail}}); it is not on by default, so kubelets may modify pods and nodes other than their own.',
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
    // Skip without an apiserver; unknown, not fail, with admission flags the apiserver would refuse
    // to start with: the running plugin set is not on this command line.
    const plugin = admissionPlugin(host, 'NodeRestriction', 'undetermined');
    if ('status' in plugin) return plugin;
    const data = { detail: plugin.evidence.detail };
    return plugin.active
      ? { status: 'pass', messageId: 'enabled', data, evidence: [plugin.evidence] }
      : { status: 'fail', messageId: 'notEnabled', data, evidence: [plugin.evidence] };
  },
});
