import { knownEvidence, peerTrafficStaysLocal, plainUrls } from './support/etcd.js';
import { firstUnknown, type Resolved } from '../resolve/resolved.js';
import { defineCheck } from './define-check.js';
import type { Outcome } from './types.js';

const messages = {
  certAuthOn: 'etcd accepts peer connections only with a certificate issued by its peer trusted CA.',
  noPeerTraffic:
    'No etcd peer traffic leaves this host: etcd listens for and advertises peer URLs on loopback only and its initial cluster has no member elsewhere ({{urls}}), as a single-member etcd. A member added on another host would need peer-client-cert-auth with a peer-trusted-ca-file; this check fails as soon as a peer URL leaves loopback.',
  certAuthOff:
    'etcd does not authenticate peers by certificate: peer-client-cert-auth is false ({{detail}}), so anyone who reaches the peer port can act as a member.',
  noTrustedCA:
    'etcd has peer-client-cert-auth on but no peer-trusted-ca-file: peer certificates are then checked against the system trust store, so any publicly issued certificate is accepted.',
  plainHttpPeers: 'etcd peer URL(s) without TLS: {{urls}}; no peer certificate is ever asked for there.',
  undetermined: 'Cannot tell whether etcd authenticates its peers by certificate: {{reason}}.',
  noEtcd: 'No etcd runs on this host.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'etcd-peer-cert-auth',
  title: 'etcd authenticates its peers by TLS client certificate',
  level: 'MUST',
  component: 'etcd',
  requirement: {
    section: 'Standard',
    quote: 'Communication with etcd MUST be secured with TLS for both peer- and cluster-communication.',
  },
  remediation:
    'Set --peer-client-cert-auth=true and --peer-trusted-ca-file=<CA that issues the etcd peer certificates> (config file: peer-transport-security.client-cert-auth: true and peer-transport-security.trusted-ca-file; keys inside peer-transport-security have no "peer-" prefix), and use https:// peer URLs. kubeadm sets --peer-client-cert-auth=true --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt in /etc/kubernetes/manifests/etcd.yaml.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const etcd = host.etcd;
    if (!etcd) return { status: 'skip', messageId: 'noEtcd', evidence: [] };
    const all: Resolved<unknown>[] = [etcd.peerClientCertAuth, etcd.peerTrustedCAFile, etcd.listenPeerUrls];
    const evidence = knownEvidence(all);

    // Certificate authentication guards the peer port; on loopback only, no other host reaches it.
    const local = peerTrafficStaysLocal(etcd);
    const certAuthComplete =
      etcd.peerClientCertAuth.known &&
      etcd.peerClientCertAuth.value &&
      etcd.peerTrustedCAFile.known &&
      etcd.peerTrustedCAFile.value !== undefined;
    if (local && !(certAuthComplete && plainUrls([etcd.listenPeerUrls]).urls.length === 0))
      return {
        status: 'pass',
        messageId: 'noPeerTraffic',
        data: { urls: local.urls.join(', ') },
        evidence: local.evidence,
      };

    // A definite finding from known values stands even if some other value is unknown.
    if (etcd.peerClientCertAuth.known && !etcd.peerClientCertAuth.value) {
      return {
        status: 'fail',
        messageId: 'certAuthOff',
        data: { detail: etcd.peerClientCertAuth.evidence.detail },
        evidence,
      };
    }
    if (etcd.peerTrustedCAFile.known && etcd.peerTrustedCAFile.value === undefined) {
      return { status: 'fail', messageId: 'noTrustedCA', evidence: knownEvidence([etcd.peerTrustedCAFile, ...all]) };
    }
    const plain = plainUrls([etcd.listenPeerUrls]).urls;
    if (plain.length > 0)
      return { status: 'fail', messageId: 'plainHttpPeers', data: { urls: plain.join(', ') }, evidence };

    // Unknown, not fail: an unreadable or malformed config file (or an argv etcd itself would
    // reject) says nothing about what the running etcd does.
    const undecided = firstUnknown(all);
    if (undecided)
      return { status: 'unknown', messageId: 'undetermined', data: { reason: undecided.reason }, evidence };
    return { status: 'pass', messageId: 'certAuthOn', evidence };
  },
});
