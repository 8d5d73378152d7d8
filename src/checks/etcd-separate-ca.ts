import type { CertificateInfo } from '../collect/types.js';
import type { Known, Resolved } from '../resolve/resolved.js';
import { defineCheck } from './define-check.js';
import type { Evidence, Outcome } from './types.js';

interface CaSource {
  /** What the CA is, for messages: `etcd trusted-ca-file`, `kube-apiserver --client-ca-file`, … */
  name: string;
  ca: Resolved<CertificateInfo[]> | undefined;
}

type KnownCaSource = CaSource & { ca: Known<CertificateInfo[]> };

function describe(certificates: CertificateInfo[]): string {
  return certificates.map((c) => `${c.subject} (SHA-256 ${c.fingerprint256})`).join(', ');
}

/** Each distinct CA once, with the names of every source that trusts it (client and peer often share one file). */
function distinctCAs(sources: readonly KnownCaSource[]): { ca: string; names: string[] }[] {
  const byCA = new Map<string, string[]>();
  for (const s of sources) {
    const ca = describe(s.ca.value);
    byCA.set(ca, [...(byCA.get(ca) ?? []), s.name]);
  }
  return [...byCA].map(([ca, names]) => ({ ca, names }));
}

const messages = {
  separateCA: 'etcd trusts {{etcdCA}}, which is not the Kubernetes cluster CA {{clusterCA}}.',
  sameCA:
    'etcd trusts the Kubernetes cluster CA {{shared}} ({{where}}): every client certificate that CA issues (kubelets, users, controllers) can connect to etcd.',
  noTrustedCA:
    'etcd has no trusted-ca-file: it restricts its clients by no CA of its own (consistent with etcd-client-cert-auth, which fails for the same reason).',
  noClusterCA:
    "No Kubernetes cluster CA is visible on this host (no kube-apiserver --client-ca-file, no kubelet x509 client CA), as on a dedicated etcd host: compare etcd's CA {{etcdCA}} with the cluster CA on a control-plane node.",
  undetermined: "Cannot tell whether etcd's CA is separate from the Kubernetes cluster CA: {{reason}}.",
  noEtcd: 'No etcd runs on this host.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'etcd-separate-ca',
  title: 'etcd trusts a CA of its own, not the Kubernetes cluster CA',
  level: 'RECOMMENDED',
  component: 'etcd',
  requirement: {
    section: 'Standard',
    quote:
      'It is RECOMMENDED to use a CA separate from the one used for the Kubernetes cluster for etcd in order to better control and issue certificates for clients allowed to access etcd.',
  },
  remediation:
    "Issue etcd's server, peer and client certificates from a dedicated etcd CA and point --trusted-ca-file and --peer-trusted-ca-file (config file: client-transport-security.trusted-ca-file, peer-transport-security.trusted-ca-file) at it, never at the cluster CA used by kube-apiserver --client-ca-file. kubeadm does this by default with /etc/kubernetes/pki/etcd/ca.crt.",
  messages,
  evaluate(host): Outcome<MessageId> {
    const etcd = host.etcd;
    if (!etcd) return { status: 'skip', messageId: 'noEtcd', evidence: [] };

    // No trusted-ca-file means etcd accepts client certificates from the system trust store (with
    // client-cert-auth) or none at all: it restricts its clients by no CA, which is the opposite of
    // what this recommendation asks, so it fails like etcd-client-cert-auth does.
    if (etcd.trustedCAFile.known && etcd.trustedCAFile.value === undefined) {
      return { status: 'fail', messageId: 'noTrustedCA', evidence: [etcd.trustedCAFile.evidence] };
    }
    const etcdSources: CaSource[] = [
      { name: 'etcd trusted-ca-file', ca: etcd.trustedCA },
      ...(etcd.peerTrustedCA ? [{ name: 'etcd peer-trusted-ca-file', ca: etcd.peerTrustedCA }] : []),
    ].filter((s): s is CaSource => s.ca !== undefined);
    const clusterSources: CaSource[] = [
      { name: 'kube-apiserver --client-ca-file', ca: host.apiserver?.clusterCA },
      { name: 'kubelet x509 client CA', ca: host.kubelet?.clusterCA },
    ].filter((s) => s.ca !== undefined);

    const etcdKnown = etcdSources.filter((s): s is KnownCaSource => s.ca!.known);
    const clusterKnown = clusterSources.filter((s): s is KnownCaSource => s.ca!.known);
    const evidence: Evidence[] = [...etcdKnown, ...clusterKnown].map((s) => s.ca.evidence);

    // Same certificate (by fingerprint, not by path: a copy of ca.crt elsewhere is the same CA).
    for (const e of etcdKnown) {
      for (const c of clusterKnown) {
        const clusterFingerprints = new Set(c.ca.value.map((cert) => cert.fingerprint256));
        const shared = e.ca.value.filter((cert) => clusterFingerprints.has(cert.fingerprint256));
        if (shared.length > 0) {
          return {
            status: 'fail',
            messageId: 'sameCA',
            data: { shared: describe(shared), where: `${e.name} and ${c.name}` },
            evidence,
          };
        }
      }
    }
    // Unknown, not fail: an unreadable CA file cannot be compared, and a different certificate
    // elsewhere does not prove this one is different.
    const unreadable = [...etcdSources, ...clusterSources].find((s) => !s.ca!.known);
    if (unreadable && !unreadable.ca!.known) {
      return {
        status: 'unknown',
        messageId: 'undetermined',
        data: { reason: `${unreadable.name}: ${unreadable.ca!.reason}` },
        evidence,
      };
    }
    const etcdCA = distinctCAs(etcdKnown)
      .map((d) => d.ca)
      .join('; ');
    // Unknown, not pass: a dedicated etcd host cannot see the cluster CA it should differ from.
    if (clusterKnown.length === 0) return { status: 'unknown', messageId: 'noClusterCA', data: { etcdCA }, evidence };
    const clusterCA = distinctCAs(clusterKnown)
      .map((d) => `${d.ca} (${d.names.join(' and ')})`)
      .join('; ');
    return { status: 'pass', messageId: 'separateCA', data: { etcdCA, clusterCA }, evidence };
  },
});
