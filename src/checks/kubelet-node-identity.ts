import { effectiveNodeName } from './support/kubelet.js';
import { defineCheck } from './define-check.js';
import type { Outcome } from './types.js';

const messages = {
  matches: 'The kubelet client certificate ({{subject}}) names node {{name}} in group system:nodes.',
  mismatch:
    'The kubelet client certificate is {{subject}}, expected CN={{expected}} with O=system:nodes: NodeRestriction cannot restrict this kubelet.',
  undetermined: 'Cannot tell the kubelet identity: {{reason}}.',
  noKubelet: 'No kubelet runs on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'kubelet-node-identity',
  title: 'Kubelet authenticates as system:node:<name> in group system:nodes',
  level: 'SHOULD',
  component: 'kubelet',
  requirement: {
    section: 'Standard',
    quote:
      'Additionally, the `NodeRestriction` admission controller MUST be activated in order to limit interactions between ' +
      "different Kubelets by disallowing modification of `Pod` objects, if they're not bound to the Kubelet requesting the modification.",
  },
  remediation:
    'Give the kubelet a client certificate with CN=system:node:<node name> and O=system:nodes (kubeadm: TLS bootstrap with ' +
    '`rotateCertificates: true` writes /var/lib/kubelet/pki/kubelet-client-current.pem, referenced from /etc/kubernetes/kubelet.conf); ' +
    'the node name is --hostname-override or the host name, lower-cased. Without it NodeRestriction cannot restrict this kubelet.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const kubelet = host.kubelet;
    if (!kubelet) return { status: 'skip', messageId: 'noKubelet', evidence: [] };
    const certificate = kubelet.clientCertificate;
    // No kubeconfig, a token/exec user or an unreadable certificate: the identity is not visible here.
    if (!certificate.known)
      return { status: 'unknown', messageId: 'undetermined', data: { reason: certificate.reason }, evidence: [] };
    const name = effectiveNodeName(kubelet, host.snapshot.hostname);
    if (!name.known)
      return { status: 'unknown', messageId: 'undetermined', data: { reason: name.reason }, evidence: [] };
    const expected = `system:node:${name.value}`;
    const evidence = [certificate.evidence, name.evidence];
    const subject = certificate.value.subject;
    const matches =
      certificate.value.commonName === expected && certificate.value.organizations.includes('system:nodes');
    return matches
      ? { status: 'pass', messageId: 'matches', data: { subject, name: name.value }, evidence }
      : { status: 'fail', messageId: 'mismatch', data: { subject, expected }, evidence };
  },
});
