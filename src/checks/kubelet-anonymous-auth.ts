import { probeEvidence, probeRecords, probeUrl } from './support/probes.js';
import { defineCheck } from './define-check.js';
import type { Outcome } from './types.js';

/** What the kubelet's answer to an unauthenticated `GET /pods` shows. */
const PROBE_MEANING: Record<number, string> = {
  401: 'the running kubelet rejects anonymous requests',
  403: 'the running kubelet authenticates anonymous requests as system:anonymous and only authorization denied this one',
  200: 'the running kubelet serves anonymous requests: anyone who reaches the port can read the pods of this node (critical)',
};

const messages = {
  disabled: 'The kubelet rejects anonymous requests ({{detail}}).',
  probeDisagrees:
    'Config says anonymous auth {{config}} ({{detail}}), but an unauthenticated request to {{url}} returned {{status}}: {{meaning}}.',
  probeDecides:
    'An unauthenticated request to {{url}} returned {{status}}: {{meaning}} (the configuration could not be determined: {{reason}}).',
  enabled:
    'The kubelet accepts anonymous requests ({{detail}}): unauthenticated callers of port 10250 act as system:anonymous.',
  undetermined: 'Cannot tell whether the kubelet accepts anonymous requests: {{reason}}.',
  noKubelet: 'No kubelet runs on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'kubelet-anonymous-auth',
  title: 'Kubelet rejects anonymous requests',
  level: 'MUST',
  component: 'kubelet',
  requirement: {
    section: 'Standard',
    quote:
      'Kubelets MUST disable anonymous request authentication to disallow non-rejected requests to go through as anonymous requests.',
  },
  remediation:
    'Set `authentication.anonymous.enabled: false` in the KubeletConfiguration file named by --config ' +
    '(kubeadm: /var/lib/kubelet/config.yaml) and in no --config-dir drop-in set it to true, or pass --anonymous-auth=false; ' +
    'then restart the kubelet. A kubelet started without --config accepts anonymous requests by default.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const kubelet = host.kubelet;
    if (!kubelet) return { status: 'skip', messageId: 'noKubelet', evidence: [] };
    const anonymous = kubelet.anonymousAuth;
    const records = probeRecords(host, 'kubelet-anonymous-auth');
    const probes = records.map(probeEvidence);
    // The kubelet's own answer wins over its configuration; any other answer (none, 404, …) proves nothing.
    const answer = records.find((r) => r.outcome === 'response' && r.status !== undefined && r.status in PROBE_MEANING);
    if (answer?.status !== undefined) {
      const acceptsAnonymous = answer.status !== 401;
      const shown = { url: probeUrl(answer), status: answer.status, meaning: PROBE_MEANING[answer.status]! };
      const status = acceptsAnonymous ? 'fail' : 'pass';
      if (!anonymous.known)
        return { status, messageId: 'probeDecides', data: { ...shown, reason: anonymous.reason }, evidence: probes };
      if (anonymous.value !== acceptsAnonymous) {
        const data = { ...shown, config: anonymous.value ? 'on' : 'off', detail: anonymous.evidence.detail };
        return { status, messageId: 'probeDisagrees', data, evidence: [anonymous.evidence, ...probes] };
      }
    }
    // Unreadable or ill-typed configuration: the kubelet's real value may be either, so no verdict.
    if (!anonymous.known)
      return { status: 'unknown', messageId: 'undetermined', data: { reason: anonymous.reason }, evidence: probes };
    const data = { detail: anonymous.evidence.detail };
    return anonymous.value
      ? { status: 'fail', messageId: 'enabled', data, evidence: [anonymous.evidence, ...probes] }
      : { status: 'pass', messageId: 'disabled', data, evidence: [anonymous.evidence, ...probes] };
  },
});
