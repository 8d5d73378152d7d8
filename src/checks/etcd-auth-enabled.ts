import { probeEvidence, probeRecords } from './support/probes.js';
import { defineCheck } from './define-check.js';
import type { Outcome } from './types.js';

const messages = {
  authEnabled: 'etcd reports authentication (ACL) enabled.',
  authDisabled:
    'etcd reports authentication (ACL) disabled: every client with a certificate etcd trusts has full read-write access to all keys.',
  probeFailed: 'Cannot tell whether etcd has authentication (ACL) enabled: {{reason}}.',
  needsProbe:
    "Cannot tell whether etcd has authentication (ACL) enabled: it is runtime state, not configuration, and only etcd's AuthStatus API shows it; set probes.etcd.certFile, probes.etcd.keyFile and probes.etcd.caFile so this audit can ask.",
  noEtcd: 'No etcd runs on this host.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'etcd-auth-enabled',
  title: 'etcd has authentication (ACL) enabled',
  level: 'MUST',
  component: 'etcd',
  requirement: {
    section: 'Standard',
    quote:
      'ACL MUST be enabled for etcd, which allows better control of the access rights to specific key sets for specific users.',
  },
  remediation:
    "Create a root user and the roles and users the clients need (one user per client certificate CN, e.g. kube-apiserver-etcd-client for kubeadm's apiserver, granted readwrite on the /registry/ prefix), then run `etcdctl auth enable`. kubeadm never enables etcd auth. To let this audit see the state, set probes.etcd.certFile, probes.etcd.keyFile and probes.etcd.caFile to a client certificate etcd trusts.",
  messages,
  evaluate(host): Outcome<MessageId> {
    const etcd = host.etcd;
    if (!etcd) return { status: 'skip', messageId: 'noEtcd', evidence: [] };
    const status = etcd.authStatus;
    // The probe's own record says which API answered (AuthStatus, or Authenticate on etcd 3.4) and how.
    const records = probeRecords(host, 'etcd-auth-enabled');
    const probes = records.map(probeEvidence);
    if (status?.known)
      return {
        status: status.value ? 'pass' : 'fail',
        messageId: status.value ? 'authEnabled' : 'authDisabled',
        evidence: [status.evidence, ...probes],
      };
    if (status)
      return { status: 'unknown', messageId: 'probeFailed', data: { reason: status.reason }, evidence: probes };
    // The probe ran but got no answer that decides it (no credentials, refused, timed out): say why.
    const failed = records[0];
    if (failed)
      return {
        status: 'unknown',
        messageId: 'probeFailed',
        data: { reason: `${failed.target}: ${failed.detail}` },
        evidence: probes,
      };
    // Unknown, not fail: `etcdctl auth enable` is stored in etcd's data, not in any flag or file
    // this audit can read, so a configuration that looks insecure may still have auth on.
    return { status: 'unknown', messageId: 'needsProbe', evidence: [] };
  },
});
