import { knownEvidence, plainUrls, unsetFiles } from './support/etcd.js';
import { firstUnknown, type Resolved } from '../resolve/resolved.js';
import { defineCheck } from './define-check.js';
import type { Outcome } from './types.js';

const messages = {
  tlsOnly: 'etcd serves clients over TLS only: every client URL is https:// and cert-file and key-file are set.',
  plainHttpUrl: 'etcd client URL(s) without TLS: {{urls}}; clients and etcd talk in plain text there.',
  noCertificate: 'etcd has no client-facing certificate: {{missing}} not set{{autoTlsNote}}.',
  tlsOnlyAutoTlsIgnored:
    'etcd serves clients over TLS only: every client URL is https:// and cert-file and key-file are set. auto-tls is on too, but etcd ignores it while certificates are given ("ignoring client auto TLS since certs given"), so these certificates are what runs; drop auto-tls so that removing them later cannot fall back to self-signed ones.',
  undetermined: 'Cannot tell whether etcd serves clients over TLS only: {{reason}}.',
  noEtcd: 'No etcd runs on this host.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'etcd-client-tls',
  title: 'etcd serves clients over TLS only',
  level: 'MUST',
  component: 'etcd',
  requirement: {
    section: 'Standard',
    quote: 'Communication with etcd MUST be secured with TLS for both peer- and cluster-communication.',
  },
  remediation:
    'Set --cert-file and --key-file, use https:// in every --listen-client-urls (and --listen-client-http-urls) and --advertise-client-urls URL, and drop --auto-tls; in an etcd --config-file the keys are client-transport-security.cert-file, client-transport-security.key-file, client-transport-security.auto-tls and listen-client-urls / advertise-client-urls. kubeadm sets all of this in /etc/kubernetes/manifests/etcd.yaml by default.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const etcd = host.etcd;
    if (!etcd) return { status: 'skip', messageId: 'noEtcd', evidence: [] };
    const urlSettings = [etcd.listenClientUrls, etcd.listenClientHttpUrls, etcd.advertiseClientUrls];
    const all: Resolved<unknown>[] = [...urlSettings, etcd.certFile, etcd.keyFile, etcd.autoTls];
    const evidence = knownEvidence(all);

    // A definite finding from known values stands even if some other value is unknown.
    const plain = plainUrls(urlSettings);
    if (plain.urls.length > 0) {
      return {
        status: 'fail',
        messageId: 'plainHttpUrl',
        data: { urls: plain.urls.join(', ') },
        evidence: knownEvidence([...plain.settings, ...all]),
      };
    }
    const missing = unsetFiles({ 'cert-file': etcd.certFile, 'key-file': etcd.keyFile });
    if (missing.length > 0) {
      const autoTlsNote =
        etcd.autoTls.known && etcd.autoTls.value
          ? ' (auto-tls serves a self-signed certificate no client can verify)'
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
    // etcd generates a self-signed certificate only when none is given
    // (etcd-io/etcd:server/embed/config.go, ClientSelfCert: ClientTLSInfo.Empty()).
    if (etcd.autoTls.known && etcd.autoTls.value)
      return { status: 'pass', messageId: 'tlsOnlyAutoTlsIgnored', evidence: knownEvidence([etcd.autoTls, ...all]) };
    return { status: 'pass', messageId: 'tlsOnly', evidence };
  },
});
