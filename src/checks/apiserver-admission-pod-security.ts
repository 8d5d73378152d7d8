import { defineCheck } from './define-check.js';
import { admissionPlugin } from './support/apiserver.js';
import type { Outcome } from './types.js';

const messages = {
  enabled: 'The PodSecurity admission plugin is active ({{detail}}).',
  disabled:
    'The PodSecurity admission plugin is not active ({{detail}}), so no Pod Security Standard is enforced by the apiserver.',
  undetermined: 'Cannot tell which admission plugins the apiserver runs: {{reason}}.',
  noApiserver: 'No kube-apiserver runs on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'apiserver-admission-pod-security',
  title: 'PodSecurity admission plugin is active',
  level: 'MUST',
  component: 'kube-apiserver',
  requirement: {
    section: 'Standard',
    quote:
      'The *Pod security* admission controller MUST also be activated in order to enforce these policies on a namespace level.',
  },
  remediation:
    'PodSecurity is on by default since Kubernetes 1.23: remove it from --disable-admission-plugins, or add it to the deprecated ' +
    '--admission-control list if the apiserver still uses one (better: replace that flag by --enable-admission-plugins).',
  messages,
  evaluate(host): Outcome<MessageId> {
    // Skip without an apiserver; unknown, not fail, with admission flags the apiserver would refuse
    // to start with: the running plugin set is not on this command line.
    const plugin = admissionPlugin(host, 'PodSecurity', 'undetermined');
    if ('status' in plugin) return plugin;
    const data = { detail: plugin.evidence.detail };
    return plugin.active
      ? { status: 'pass', messageId: 'enabled', data, evidence: [plugin.evidence] }
      : { status: 'fail', messageId: 'disabled', data, evidence: [plugin.evidence] };
  },
});
