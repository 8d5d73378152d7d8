import check from '../../src/checks/apiserver-etcd-tls.js';
import { runCheckCases } from '../support/check-tester.js';
import { kubeadmApiserver, NO_APISERVER_HOSTS } from '../support/apiserver-hosts.js';
import type { HostSpec } from '../support/host.js';

const WITHOUT_ETCD = ['etcd-servers', 'etcd-cafile', 'etcd-certfile', 'etcd-keyfile'];

const kine = (kind: 'sqlite' | 'external', shownBy: string): HostSpec => ({
  ...kubeadmApiserver({ without: WITHOUT_ETCD, add: ['--etcd-servers=unix://kine.sock'] }),
  distributions: [
    {
      name: 'k3s',
      role: 'server',
      pid: 812,
      argv: ['/usr/local/bin/k3s server'],
      shownBy: 'process 812',
      datastore: { kind, shownBy },
    },
  ],
});

runCheckCases(check, {
  pass: [
    {
      name: 'k3s on SQLite: unix://kine.sock is local-only, no etcd connection crosses the network',
      host: kine('sqlite', 'SQLite through kine (/var/lib/rancher/k3s/server/db/state.db)'),
      messageId: 'localSocket',
      messageIncludes: ['unix://kine.sock', 'state.db'],
    },
    {
      name: 'kubeadm: https://127.0.0.1:2379 with CA, cert and key',
      host: kubeadmApiserver(),
      messageId: 'tls',
      messageIncludes: ['https://127.0.0.1:2379'],
    },
    {
      name: 'space form for every etcd flag (kube-bench#2095 class)',
      host: kubeadmApiserver({
        without: WITHOUT_ETCD,
        add: [
          '--etcd-servers',
          'https://10.0.0.5:2379,https://10.0.0.6:2379',
          '--etcd-cafile',
          '/pki/ca.crt',
          '--etcd-certfile',
          '/pki/c.crt',
          '--etcd-keyfile',
          '/pki/c.key',
        ],
      }),
      messageIncludes: ['https://10.0.0.5:2379, https://10.0.0.6:2379'],
    },
    {
      name: 'repeated --etcd-servers accumulate, all https',
      host: kubeadmApiserver({ add: ['--etcd-servers=https://10.0.0.6:2379'] }),
      messageIncludes: ['https://10.0.0.6:2379'],
    },
    {
      name: 'upper-case scheme HTTPS:// is https',
      host: kubeadmApiserver({ without: ['etcd-servers'], add: ['--etcd-servers=HTTPS://10.0.0.5:2379'] }),
    },
  ],
  fail: [
    {
      name: '--etcd-servers=https://a,http://b: one plain server fails',
      host: kubeadmApiserver({
        without: ['etcd-servers'],
        add: ['--etcd-servers=https://10.0.0.5:2379,http://10.0.0.6:2379'],
      }),
      messageId: 'plainServers',
      messageIncludes: ['http://10.0.0.6:2379'],
    },
    {
      name: 'SCS test false pass: http:// with all three file flags set (the test never looks at the scheme)',
      host: kubeadmApiserver({ without: ['etcd-servers'], add: ['--etcd-servers=http://127.0.0.1:2379'] }),
      messageId: 'plainServers',
    },
    {
      name: 'a plain-HTTP server in --etcd-servers-overrides',
      host: kubeadmApiserver({ add: ['--etcd-servers-overrides=/events#http://10.0.0.7:2379'] }),
      messageId: 'plainServers',
      messageIncludes: ['http://10.0.0.7:2379'],
    },
    {
      name: 'https but no --etcd-keyfile',
      host: kubeadmApiserver({ without: ['etcd-keyfile'] }),
      messageId: 'missingFiles',
      messageIncludes: ['--etcd-keyfile is'],
    },
    {
      name: 'https but empty --etcd-cafile= and no --etcd-certfile',
      host: kubeadmApiserver({ without: ['etcd-cafile', 'etcd-certfile'], add: ['--etcd-cafile='] }),
      messageId: 'missingFiles',
      messageIncludes: ['--etcd-cafile, --etcd-certfile are'],
    },
  ],
  unknown: [
    {
      name: 'k3s with kine in front of an external PostgreSQL: the socket is local, the database link is not judged here',
      host: kine('external', 'PostgreSQL through kine (--datastore-endpoint with scheme postgres)'),
      messageId: 'externalBehindSocket',
      messageIncludes: ['PostgreSQL'],
    },
    {
      name: 'no --etcd-servers on the command line',
      host: kubeadmApiserver({ without: ['etcd-servers'] }),
      messageId: 'noServers',
    },
    {
      name: 'a server without a scheme',
      host: kubeadmApiserver({ without: ['etcd-servers'], add: ['--etcd-servers=127.0.0.1:2379'] }),
      messageId: 'unclearScheme',
      messageIncludes: ['127.0.0.1:2379'],
    },
  ],
  skip: NO_APISERVER_HOSTS.map((c) => ({ ...c, messageId: 'noApiserver' })),
});
