import check from '../../src/checks/etcd-peer-tls.js';
import { runCheckCases } from '../support/check-tester.js';
import {
  configFileEtcd,
  ETCD_CONFIG,
  KUBEADM_ETCD_ARGS,
  kubeadmEtcd,
  kubesprayEtcd,
  NODE_KUBELET,
  SECURE_CONFIG_YAML,
} from '../support/etcd-hosts.js';

const withArgs = (...extra: string[]) => kubeadmEtcd({ args: [...KUBEADM_ETCD_ARGS, ...extra] });

runCheckCases(check, {
  pass: [
    { name: 'kubeadm stacked etcd flags', host: { processes: [kubeadmEtcd()] } },
    { name: 'kubespray /etc/etcd.env: ETCD_* env only', host: { processes: [kubesprayEtcd()] } },
    { name: 'secure --config-file', host: { processes: [configFileEtcd(SECURE_CONFIG_YAML)] } },
    {
      name: '--config-file wins over --peer-auto-tls and http:// peer flags',
      host: {
        processes: [
          configFileEtcd(SECURE_CONFIG_YAML, [
            `--config-file=${ETCD_CONFIG}`,
            '--peer-auto-tls',
            '--listen-peer-urls=http://10.0.0.10:2380',
          ]),
        ],
      },
    },
    // etcd-io/etcd:server/embed/config.go PeerSelfCert: "ignoring peer auto TLS since certs given".
    {
      name: 'issue 9: --peer-auto-tls beside peer certificates is ignored by etcd',
      host: { processes: [withArgs('--peer-auto-tls')] },
      messageId: 'tlsOnlyAutoTlsIgnored',
      messageIncludes: ['ignores it'],
    },
    {
      name: 'issue 9: kubespray env with ETCD_PEER_AUTO_TLS=true beside certificates',
      host: { processes: [kubesprayEtcd({ ETCD_PEER_AUTO_TLS: 'true' })] },
      messageId: 'tlsOnlyAutoTlsIgnored',
    },
    {
      name: 'issue 9: single-member etcd on defaults: http://localhost:2380 carries no traffic off the host',
      host: {
        processes: [
          {
            component: 'etcd',
            args: [
              '--cert-file=/s.crt',
              '--key-file=/s.key',
              '--listen-client-urls=https://127.0.0.1:2379',
              '--advertise-client-urls=https://127.0.0.1:2379',
            ],
          },
        ],
      },
      messageId: 'noPeerTraffic',
      messageIncludes: ['http://localhost:2380', 'loopback only'],
    },
    {
      name: 'issue 9: loopback peer URLs and an --initial-cluster of this member alone',
      host: {
        processes: [
          {
            component: 'etcd',
            args: [
              '--name=m1',
              '--listen-peer-urls=http://127.0.0.1:2380',
              '--initial-advertise-peer-urls=http://127.0.0.1:2380',
              '--initial-cluster=m1=http://127.0.0.1:2380',
            ],
          },
        ],
      },
      messageId: 'noPeerTraffic',
    },
  ],
  fail: [
    {
      // This member's raft messages go to m2 over plain HTTP: traffic leaves the host.
      name: 'issue 9: loopback peer URLs but --initial-cluster names a member on another host',
      host: {
        processes: [
          {
            component: 'etcd',
            args: [
              '--name=m1',
              '--listen-peer-urls=http://127.0.0.1:2380',
              '--initial-advertise-peer-urls=http://127.0.0.1:2380',
              '--initial-cluster=m1=http://127.0.0.1:2380,m2=http://10.0.0.11:2380',
            ],
          },
        ],
      },
      messageId: 'plainHttpLoopback',
      messageIncludes: ['http://127.0.0.1:2380', 'unencrypted'],
    },
    {
      // Loopback here says nothing about where the discovered members are: they may be elsewhere.
      name: 'issue 9: loopback plain-HTTP peer URLs with members found by --discovery-srv',
      host: {
        processes: [
          {
            component: 'etcd',
            args: ['--discovery-srv=example.com', '--peer-cert-file=/p.crt', '--peer-key-file=/p.key'],
          },
        ],
      },
      messageId: 'plainHttpLoopback',
    },
    {
      name: 'issue 9: loopback listen-peer-urls, but advertised on the node address',
      host: {
        processes: [
          {
            component: 'etcd',
            args: ['--listen-peer-urls=http://127.0.0.1:2380', '--initial-advertise-peer-urls=http://10.0.0.10:2380'],
          },
        ],
      },
      messageId: 'plainHttpUrl',
      messageIncludes: ['http://10.0.0.10:2380'],
    },
    {
      name: 'http:// in one of several listen-peer-urls',
      host: { processes: [withArgs('--listen-peer-urls=https://10.0.0.10:2380,http://192.168.0.10:2380')] },
      messageId: 'plainHttpUrl',
      messageIncludes: ['http://192.168.0.10:2380'],
    },
    {
      name: 'http:// initial-advertise-peer-urls',
      host: { processes: [withArgs('-initial-advertise-peer-urls', 'http://10.0.0.10:2380')] },
      messageId: 'plainHttpUrl',
      messageIncludes: ['http://10.0.0.10:2380'],
    },
    {
      name: 'no --peer-cert-file',
      host: { processes: [kubeadmEtcd({ args: KUBEADM_ETCD_ARGS.filter((a) => !a.startsWith('--peer-cert-file=')) })] },
      messageId: 'noCertificate',
      messageIncludes: ['peer-cert-file not set'],
    },
    {
      name: 'config file: peer TLS keys at the top level are ignored by etcd',
      host: {
        processes: [
          configFileEtcd(
            'listen-peer-urls: https://10.0.0.10:2380\ninitial-advertise-peer-urls: https://10.0.0.10:2380\npeer-cert-file: /p.crt\npeer-key-file: /p.key\n',
          ),
        ],
      },
      messageId: 'noCertificate',
    },
  ],
  unknown: [
    {
      name: 'unreadable config file',
      host: {
        processes: [
          {
            component: 'etcd',
            args: [`--config-file=${ETCD_CONFIG}`],
            files: { [ETCD_CONFIG]: { reason: 'missing' } },
          },
        ],
      },
      messageId: 'undetermined',
      messageIncludes: [ETCD_CONFIG],
    },
    {
      name: 'malformed YAML config file',
      host: { processes: [configFileEtcd('peer-transport-security: {cert-file: /p.crt\n')] },
      messageId: 'undetermined',
      messageIncludes: [ETCD_CONFIG],
    },
  ],
  skip: [{ name: 'no etcd on a worker node', host: { processes: [NODE_KUBELET] }, messageId: 'noEtcd' }],
});
