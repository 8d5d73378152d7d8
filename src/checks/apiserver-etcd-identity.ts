import { defineCheck } from './define-check.js';
import { localSocketDatastore } from './support/apiserver.js';
import type { Outcome } from './types.js';

const messages = {
  identity: 'The apiserver authenticates to etcd as CN={{cn}} ({{file}}), a user of its own rather than root.',
  rootIdentity:
    'The apiserver authenticates to etcd with a client certificate for CN=root ({{file}}): with etcd authentication on, that is the all-powerful root user, so ACLs cannot limit it.',
  noCommonName: "The apiserver's etcd client certificate {{file}} has no common name, so etcd cannot map it to a user.",
  noClientCertificate:
    'The apiserver presents no client certificate to etcd (no --etcd-certfile), so etcd cannot identify it by certificate CN.',
  undetermined: 'Cannot tell which identity the apiserver uses towards etcd: {{reason}}.',
  localSocket:
    'The apiserver reaches its datastore through a local unix socket ({{servers}}), a kine or dqlite shim, not etcd: there is no etcd user to identify it as.',
  noApiserver: 'No kube-apiserver runs on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'apiserver-etcd-identity',
  title: 'kube-apiserver uses its own etcd identity, not root',
  level: 'RECOMMENDED',
  component: 'kube-apiserver',
  requirement: {
    section: 'Standard',
    quote:
      'ACL MUST be enabled for etcd, which allows better control of the access rights to specific key sets for specific users. ' +
      "Authentication MUST be done via the Common Name (CN) field of the TLS client certificates (since normal username-password-authentication isn't implemented for Kubernetes).",
  },
  remediation:
    'Issue the kube-apiserver an etcd client certificate with its own common name (kubeadm: CN=kube-apiserver-etcd-client in ' +
    '/etc/kubernetes/pki/apiserver-etcd-client.crt), pass it with --etcd-certfile/--etcd-keyfile, and grant that etcd user only the ' +
    'keys under the apiserver prefix (/registry) instead of using CN=root.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const api = host.apiserver;
    if (!api) return { status: 'skip', messageId: 'noApiserver', evidence: [] };
    const local = localSocketDatastore(api);
    if (local)
      return {
        status: 'skip',
        messageId: 'localSocket',
        data: { servers: local.servers.join(', ') },
        evidence: local.evidence,
      };
    const certificate = api.etcdClientCertificate;
    if (certificate === undefined) {
      const evidence = api.etcdCertFile.known
        ? [api.etcdCertFile.evidence]
        : [{ source: 'default' as const, detail: '--etcd-certfile not set' }];
      return { status: 'fail', messageId: 'noClientCertificate', evidence };
    }
    // The certificate file is named but unread or empty: its CN could be anything.
    if (!certificate.known)
      return { status: 'unknown', messageId: 'undetermined', data: { reason: certificate.reason }, evidence: [] };
    const leaf = certificate.value[0]!;
    const file =
      api.etcdCertFile.known && api.etcdCertFile.value !== undefined ? api.etcdCertFile.value : '--etcd-certfile';
    const evidence = [certificate.evidence];
    if (!leaf.commonName) return { status: 'fail', messageId: 'noCommonName', data: { file }, evidence };
    if (leaf.commonName === 'root') return { status: 'fail', messageId: 'rootIdentity', data: { file }, evidence };
    return { status: 'pass', messageId: 'identity', data: { cn: leaf.commonName, file }, evidence };
  },
});
