import { defineCheck } from './define-check.js';
import { localSocketDatastore } from './support/apiserver.js';
import type { Evidence, Outcome } from './types.js';

const messages = {
  tls: 'The apiserver reaches etcd over TLS ({{servers}}) with --etcd-cafile, --etcd-certfile and --etcd-keyfile.',
  plainServers: 'The apiserver reaches etcd without TLS at {{servers}}.',
  missingFiles:
    'The apiserver reaches etcd at https URLs but {{missing}} not set, so it cannot verify etcd against the etcd CA and present its client certificate.',
  unclearScheme:
    'Cannot tell whether the apiserver uses TLS for etcd at {{servers}}: the URL has neither https:// nor http://.',
  noServers:
    'The apiserver command line has no --etcd-servers (the apiserver does not start without it), so how it reaches etcd cannot be judged from this node.',
  localSocket:
    'The apiserver reaches its datastore only through a local unix socket ({{servers}}), a kine or dqlite shim on this host ({{datastore}}): nothing crosses the network, so there is no etcd connection to protect with TLS.',
  externalBehindSocket:
    "The apiserver reaches its datastore through a local unix socket ({{servers}}), but the shim behind it talks to {{datastore}}: whether that connection uses TLS is in the shim's endpoint, which this check does not judge.",
  noApiserver: 'No kube-apiserver runs on this node.',
};
type MessageId = keyof typeof messages;

type Scheme = 'tls' | 'plain' | 'unclear';

/** etcd's client reads the URL scheme case-insensitively; `unixs` is TLS over a unix socket. */
function schemeOf(url: string): Scheme {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'https' || scheme === 'unixs') return 'tls';
  if (scheme === 'http' || scheme === 'unix') return 'plain';
  return 'unclear';
}

export default defineCheck({
  id: 'apiserver-etcd-tls',
  title: 'kube-apiserver talks to etcd over TLS with a client certificate',
  level: 'MUST',
  component: 'kube-apiserver',
  requirement: {
    section: 'Standard',
    quote: 'Communication with etcd MUST be secured with TLS for both peer- and cluster-communication.',
  },
  remediation:
    'Give the kube-apiserver only https:// URLs in --etcd-servers (and --etcd-servers-overrides), and set --etcd-cafile (the etcd CA), ' +
    '--etcd-certfile and --etcd-keyfile (a client certificate etcd trusts). kubeadm does this by default: ' +
    '/etc/kubernetes/pki/etcd/ca.crt and /etc/kubernetes/pki/apiserver-etcd-client.{crt,key} in /etc/kubernetes/manifests/kube-apiserver.yaml.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const api = host.apiserver;
    if (!api) return { status: 'skip', messageId: 'noApiserver', evidence: [] };
    const servers = api.etcdServers;
    // `--etcd-servers` is a plain list flag: it is always known; an empty list means argv is not the whole story.
    if (!servers.known || servers.value.length === 0)
      return { status: 'unknown', messageId: 'noServers', evidence: [] };
    const local = localSocketDatastore(api);
    if (local) {
      const datastore = host.distribution.signs.find((d) => d.datastore !== undefined)?.datastore;
      const data = {
        servers: local.servers.join(', '),
        datastore: datastore?.shownBy ?? 'its datastore not named by any distribution record',
      };
      const evidence = [
        ...local.evidence,
        ...(datastore ? [{ source: 'distribution' as const, detail: datastore.shownBy }] : []),
      ];
      // kine in front of MySQL/PostgreSQL/etcd elsewhere: the socket is local, the database link is not.
      if (datastore?.kind === 'external')
        return { status: 'unknown', messageId: 'externalBehindSocket', data, evidence };
      return { status: 'pass', messageId: 'localSocket', data, evidence };
    }
    const all = [...servers.value, ...api.etcdServerOverrides.servers];
    const serverEvidence: Evidence[] = [servers.evidence, ...api.etcdServerOverrides.evidence];

    const plain = all.filter((url) => schemeOf(url) === 'plain');
    if (plain.length > 0)
      return {
        status: 'fail',
        messageId: 'plainServers',
        data: { servers: plain.join(', ') },
        evidence: serverEvidence,
      };

    const files = [
      ['--etcd-cafile', api.etcdCAFile],
      ['--etcd-certfile', api.etcdCertFile],
      ['--etcd-keyfile', api.etcdKeyFile],
    ] as const;
    const fileEvidence = files.flatMap(([, f]) => (f.known ? [f.evidence] : []));
    const missing = files.filter(([, f]) => f.known && f.value === undefined).map(([flag]) => flag);
    if (missing.length > 0) {
      return {
        status: 'fail',
        messageId: 'missingFiles',
        data: { missing: `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'}` },
        evidence: [...serverEvidence, ...fileEvidence],
      };
    }

    // A URL without a scheme: etcd's client then uses TLS only if configured, which argv alone does not settle.
    const unclear = all.filter((url) => schemeOf(url) === 'unclear');
    if (unclear.length > 0)
      return {
        status: 'unknown',
        messageId: 'unclearScheme',
        data: { servers: unclear.join(', ') },
        evidence: serverEvidence,
      };

    return {
      status: 'pass',
      messageId: 'tls',
      data: { servers: all.join(', ') },
      evidence: [...serverEvidence, ...fileEvidence],
    };
  },
});
