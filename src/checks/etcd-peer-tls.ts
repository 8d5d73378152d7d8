import { isLoopbackUrl } from '../resolve/etcd/urls.js';
import { knownEvidence, peerTrafficStaysLocal, plainUrls, unsetFiles } from './support/etcd.js';
import { firstUnknown, type Resolved } from '../resolve/resolved.js';
import { defineCheck } from './define-check.js';
import type { Outcome } from './types.js';

const messages = {
  tlsOnly: 'etcd peer traffic uses TLS only: every peer URL is https:// and peer-cert-file and peer-key-file are set.',
  tlsOnlyAutoTlsIgnored:
    'etcd peer traffic uses TLS only: every peer URL is https:// and peer-cert-file and peer-key-file are set. peer-auto-tls is on too, but etcd ignores it while peer certificates are given ("ignoring peer auto TLS since certs given"), so these certificates are what runs; drop peer-auto-tls so that removing them later cannot fall back to self-signed ones.',
  noPeerTraffic:
    'No etcd peer traffic leaves this host: etcd listens for and advertises peer URLs on loopback only and its initial cluster has no member elsewhere ({{urls}}), as a single-member etcd. A member added on another host would need https:// peer URLs with certificates; this check fails as soon as a peer URL leaves loopback.',
  plainHttpUrl:
    'etcd peer URL(s) without TLS: {{urls}}; peer (raft) traffic, which carries every key, is unencrypted there.',
  plainHttpLoopback:
    "etcd peer URL(s) without TLS: {{urls}}; they are loopback only (a single-member etcd, as etcd's defaults are), but peer traffic is still unencrypted and the standard requires TLS for peer communication: a member added later would talk to this one in plain text.",
  noCertificate: 'etcd has no peer certificate: {{missing}} not set{{autoTlsNote}}.',
  undetermined: 'Cannot tell whether etcd peer traffic uses TLS only: {{reason}}.',
  noEtcd: 'No etcd runs on this host.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'etcd-peer-tls',
  title: 'etcd members talk to each other over TLS only',
  level: 'MUST',
  component: 'etcd',
  requirement: {
    section: 'Standard',
    quote: 'Communication with etcd MUST be secured with TLS for both peer- and cluster-communication.',
  },
  remediation:
    'Set --peer-cert-file and --peer-key-file, use https:// in every --listen-peer-urls and --initial-advertise-peer-urls URL, and drop --peer-auto-tls; in an etcd --config-file the keys are peer-transport-security.cert-file, peer-transport-security.key-file, peer-transport-security.auto-tls and listen-peer-urls / initial-advertise-peer-urls. kubeadm sets all of this in /etc/kubernetes/manifests/etcd.yaml by default.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const etcd = host.etcd;
    if (!etcd) return { status: 'skip', messageId: 'noEtcd', evidence: [] };
    const urlSettings = [etcd.listenPeerUrls, etcd.initialAdvertisePeerUrls];
    const all: Resolved<unknown>[] = [...urlSettings, etcd.peerCertFile, etcd.peerKeyFile, etcd.peerAutoTls];
    const evidence = knownEvidence(all);

    // Nothing to secure: peer traffic, if any, never leaves the host's loopback interface.
    const local = peerTrafficStaysLocal(etcd);
    if (
      local &&
      (plainUrls(urlSettings).urls.length > 0 ||
        unsetFiles({ 'peer-cert-file': etcd.peerCertFile, 'peer-key-file': etcd.peerKeyFile }).length > 0)
    ) {
      return {
        status: 'pass',
        messageId: 'noPeerTraffic',
        data: { urls: local.urls.join(', ') },
        evidence: local.evidence,
      };
    }

    // A definite finding from known values stands even if some other value is unknown.
    const plain = plainUrls(urlSettings);
    if (plain.urls.length > 0) {
      const messageId = plain.urls.every(isLoopbackUrl) ? 'plainHttpLoopback' : 'plainHttpUrl';
      return {
        status: 'fail',
        messageId,
        data: { urls: plain.urls.join(', ') },
        evidence: knownEvidence([...plain.settings, ...all]),
      };
    }
    const missing = unsetFiles({ 'peer-cert-file': etcd.peerCertFile, 'peer-key-file': etcd.peerKeyFile });
    if (missing.length > 0) {
      const autoTlsNote =
        etcd.peerAutoTls.known && etcd.peerAutoTls.value
          ? ' (peer-auto-tls serves a self-signed certificate no peer can verify)'
          : '';
      return {
        status: 'fail',
        messageId: 'noCertificate',
        data: { missing: missing.join(' and '), autoTlsNote },
        evidence,
      };
    }

    // Unknown, not fail: an unreadable or malformed config file (or an argv etcd itself would
    // reject) says nothing about what the running etcd does.
    const undecided = firstUnknown(all);
    if (undecided)
      return { status: 'unknown', messageId: 'undetermined', data: { reason: undecided.reason }, evidence };
    // etcd generates self-signed peer certificates only when none are given
    // (etcd-io/etcd:server/embed/config.go, PeerSelfCert: PeerTLSInfo.Empty()).
    if (etcd.peerAutoTls.known && etcd.peerAutoTls.value)
      return {
        status: 'pass',
        messageId: 'tlsOnlyAutoTlsIgnored',
        evidence: knownEvidence([etcd.peerAutoTls, ...all]),
      };
    return { status: 'pass', messageId: 'tlsOnly', evidence };
  },
});
