import { knownEvidence, plainUrls } from './support/etcd.js';
import { probeEvidence, probeRecords, probeUrl } from './support/probes.js';
import { firstUnknown, type Resolved } from '../resolve/resolved.js';
import { defineCheck } from './define-check.js';
import type { Outcome } from './types.js';

const messages = {
  certAuthOn: 'etcd requires client certificates issued by its trusted CA and takes the user name from their CN.',
  certAuthOff: 'etcd does not authenticate clients by certificate: client-cert-auth is false ({{detail}}).',
  certAuthOffCertRequired:
    'etcd does not authenticate clients by certificate: client-cert-auth is false ({{detail}}); it still refused {{url}} without a client certificate, because a trusted-ca-file alone makes etcd demand one, but only client-cert-auth makes it take the user name from the CN.',
  probeAcceptedNoConfig:
    '{{url}} without a client certificate was answered {{status}}: etcd does not require client certificates (its configuration could not be determined: {{reason}}).',
  probeAccepted:
    'Config says client-cert-auth on ({{detail}}), but {{url}} without a client certificate was answered {{status}}: the running etcd does not require client certificates.',
  noTrustedCA:
    'etcd has client-cert-auth on but no trusted-ca-file: client certificates are then checked against the system trust store, so any publicly issued certificate is accepted.',
  plainHttpClients: 'etcd client URL(s) without TLS: {{urls}}; no client certificate is ever asked for there.',
  undetermined: 'Cannot tell whether etcd authenticates clients by certificate: {{reason}}.',
  noEtcd: 'No etcd runs on this host.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'etcd-client-cert-auth',
  title: 'etcd authenticates clients by TLS client certificate',
  level: 'MUST',
  component: 'etcd',
  requirement: {
    section: 'Standard',
    quote:
      "Authentication MUST be done via the Common Name (CN) field of the TLS client certificates (since normal username-password-authentication isn't implemented for Kubernetes).",
  },
  remediation:
    'Set --client-cert-auth=true and --trusted-ca-file=<CA that issues the etcd client certificates> (config file: client-transport-security.client-cert-auth: true and client-transport-security.trusted-ca-file), and serve clients over https:// only. kubeadm sets --client-cert-auth=true --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt in /etc/kubernetes/manifests/etcd.yaml.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const etcd = host.etcd;
    if (!etcd) return { status: 'skip', messageId: 'noEtcd', evidence: [] };
    const listeners = [etcd.listenClientUrls, etcd.listenClientHttpUrls];
    const all: Resolved<unknown>[] = [etcd.clientCertAuth, etcd.trustedCAFile, ...listeners];
    // Each client URL asked without a client certificate: refused is what client-cert-auth does.
    const records = probeRecords(host, 'etcd-client-cert-auth');
    const probes = records.map(probeEvidence);
    const evidence = [...knownEvidence(all), ...probes];
    const acceptedOverTls = records.find((r) => r.outcome === 'response' && r.target.includes('https://'));
    const refused = records.find((r) => r.outcome === 'tls-rejected');

    // A definite finding from known values stands even if some other value is unknown.
    if (etcd.clientCertAuth.known && !etcd.clientCertAuth.value) {
      const detail = etcd.clientCertAuth.evidence.detail;
      if (refused)
        return {
          status: 'fail',
          messageId: 'certAuthOffCertRequired',
          data: { detail, url: probeUrl(refused) },
          evidence,
        };
      return { status: 'fail', messageId: 'certAuthOff', data: { detail }, evidence };
    }
    // The running etcd served a client without a certificate: whatever the configuration says, it does not authenticate by CN.
    if (acceptedOverTls?.status !== undefined) {
      const shown = { url: probeUrl(acceptedOverTls), status: acceptedOverTls.status };
      if (!etcd.clientCertAuth.known)
        return {
          status: 'fail',
          messageId: 'probeAcceptedNoConfig',
          data: { ...shown, reason: etcd.clientCertAuth.reason },
          evidence,
        };
      return {
        status: 'fail',
        messageId: 'probeAccepted',
        data: { ...shown, detail: etcd.clientCertAuth.evidence.detail },
        evidence,
      };
    }
    if (etcd.trustedCAFile.known && etcd.trustedCAFile.value === undefined) {
      return {
        status: 'fail',
        messageId: 'noTrustedCA',
        evidence: [...knownEvidence([etcd.trustedCAFile, ...all]), ...probes],
      };
    }
    const plain = plainUrls(listeners).urls;
    if (plain.length > 0)
      return { status: 'fail', messageId: 'plainHttpClients', data: { urls: plain.join(', ') }, evidence };

    // Unknown, not fail: an unreadable or malformed config file (or an argv etcd itself would
    // reject) says nothing about what the running etcd does.
    const undecided = firstUnknown(all);
    if (undecided)
      return { status: 'unknown', messageId: 'undetermined', data: { reason: undecided.reason }, evidence };
    return { status: 'pass', messageId: 'certAuthOn', evidence };
  },
});
