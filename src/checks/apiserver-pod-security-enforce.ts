import { defineCheck } from './define-check.js';
import { admissionPlugin } from './support/apiserver.js';
import type { Outcome } from './types.js';

const messages = {
  enforced: 'The cluster-wide PodSecurity defaults use enforce={{level}} ({{location}}).',
  auditWarnOnly:
    'The cluster-wide PodSecurity defaults only audit/warn ({{modes}}) and enforce nothing (enforce={{enforce}}) in {{location}}.',
  disabled: 'The PodSecurity admission plugin is not active ({{detail}}), so nothing is enforced.',
  namespaceLabels:
    'The cluster-wide PodSecurity defaults set no level ({{location}}). Namespaces can still use the pod-security.kubernetes.io/enforce label, ' +
    'but labels are API objects invisible from the node, so this cannot be decided here; setting {{enforceKey}} would decide it.',
  admissionUndetermined: 'Cannot tell which admission plugins the apiserver runs: {{reason}}.',
  configUndetermined: 'Cannot tell the cluster-wide PodSecurity defaults: {{reason}}.',
  noApiserver: 'No kube-apiserver runs on this node.',
};
type MessageId = keyof typeof messages;

const ENFORCING = ['baseline', 'restricted'];

export default defineCheck({
  id: 'apiserver-pod-security-enforce',
  title: 'PodSecurity uses the enforce mode',
  level: 'RECOMMENDED',
  component: 'kube-apiserver',
  requirement: {
    section: 'Standard',
    quote: 'We RECOMMEND the `enforce` level to be used for this admission controller setup.',
  },
  remediation:
    'In the PodSecurityConfiguration of the AdmissionConfiguration named by --admission-control-config-file, set `defaults.enforce` ' +
    '(baseline or restricted), not only `defaults.audit` or `defaults.warn`.',
  messages,
  evaluate(host): Outcome<MessageId> {
    // Skip without an apiserver; unknown with admission flags the apiserver would refuse to start with.
    const plugin = admissionPlugin(host, 'PodSecurity', 'admissionUndetermined');
    if ('status' in plugin) return plugin;
    // Without the plugin nothing is enforced in any mode.
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
    const { enforce, audit, warn, location, enforceKey } = podSecurity.value;
    const evidence = [plugin.evidence, podSecurity.evidence];
    if (enforce !== undefined && ENFORCING.includes(enforce))
      return { status: 'pass', messageId: 'enforced', data: { level: enforce, location }, evidence };
    const softModes = (
      [
        ['audit', audit],
        ['warn', warn],
      ] as const
    ).flatMap(([mode, level]) => (level !== undefined && ENFORCING.includes(level) ? [`${mode}=${level}`] : []));
    if (softModes.length > 0) {
      const modes = softModes.join(', ');
      return {
        status: 'fail',
        messageId: 'auditWarnOnly',
        data: { modes, enforce: enforce ?? 'privileged', location },
        evidence,
      };
    }
    // No cluster-wide level at all: namespace labels (API objects) may still use enforce.
    return { status: 'unknown', messageId: 'namespaceLabels', data: { location, enforceKey }, evidence };
  },
});
