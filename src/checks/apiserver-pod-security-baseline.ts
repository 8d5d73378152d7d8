import { defineCheck } from './define-check.js';
import { admissionPlugin } from './support/apiserver.js';
import type { Outcome } from './types.js';

const messages = {
  enforced: 'PodSecurity enforces the {{level}} standard cluster-wide by default ({{location}}).',
  disabled: 'The PodSecurity admission plugin is not active ({{detail}}), so no Pod Security Standard is enforced.',
  namespaceLabels:
    'The cluster-wide PodSecurity default is enforce=privileged ({{location}}). Namespaces can still enforce Baseline with the ' +
    'pod-security.kubernetes.io/enforce label, but labels are API objects invisible from the node, so this cannot be decided here; ' +
    'setting {{enforceKey}} to baseline or restricted would decide it.',
  admissionUndetermined: 'Cannot tell which admission plugins the apiserver runs: {{reason}}.',
  configUndetermined: 'Cannot tell the cluster-wide PodSecurity defaults: {{reason}}.',
  noApiserver: 'No kube-apiserver runs on this node.',
};
type MessageId = keyof typeof messages;

const BASELINE_OR_STRICTER = ['baseline', 'restricted'];

export default defineCheck({
  id: 'apiserver-pod-security-baseline',
  title: 'Pod Security Standard Baseline (or Restricted) is enforced',
  level: 'MUST',
  component: 'kube-apiserver',
  requirement: {
    section: 'Standard',
    quote:
      'At last, *Pod security standards* in the form of policies MUST be activated for the cluster. ' +
      'The SCS REQUIRES at least the *Baseline* policy with the *Restricted* policy CAN also be used.',
  },
  remediation:
    'Pass --admission-control-config-file with an AdmissionConfiguration whose plugins entry `name: PodSecurity` carries a PodSecurityConfiguration ' +
    '(apiVersion pod-security.admission.config.k8s.io/v1) with `defaults: {enforce: baseline, enforce-version: latest}` (or restricted), exempting only ' +
    'the namespaces that need it (e.g. kube-system). kubeadm: apiServer.extraArgs admission-control-config-file plus an extraVolumes mount. ' +
    'Alternatively label every namespace pod-security.kubernetes.io/enforce=baseline (not visible to this node).',
  messages,
  evaluate(host): Outcome<MessageId> {
    // Skip without an apiserver; unknown with admission flags the apiserver would refuse to start with.
    const plugin = admissionPlugin(host, 'PodSecurity', 'admissionUndetermined');
    if ('status' in plugin) return plugin;
    // Without the plugin no label or default is enforced, whatever namespaces say.
    if (!plugin.active)
      return {
        status: 'fail',
        messageId: 'disabled',
        data: { detail: plugin.evidence.detail },
        evidence: [plugin.evidence],
      };
    const podSecurity = plugin.api.podSecurity;
    if (!podSecurity.known)
      return { status: 'unknown', messageId: 'configUndetermined', data: { reason: podSecurity.reason }, evidence: [] };
    const { enforce, location, enforceKey } = podSecurity.value;
    const evidence = [plugin.evidence, podSecurity.evidence];
    if (enforce !== undefined && BASELINE_OR_STRICTER.includes(enforce))
      return { status: 'pass', messageId: 'enforced', data: { level: enforce, location }, evidence };
    // A privileged default is not a failure: namespace labels (API objects) may enforce Baseline everywhere.
    return { status: 'unknown', messageId: 'namespaceLabels', data: { location, enforceKey }, evidence };
  },
});
