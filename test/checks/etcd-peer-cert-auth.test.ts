import check from '../../src/checks/etcd-peer-cert-auth.js';
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

const baseArgs = KUBEADM_ETCD_ARGS.filter((a) => a !== '--peer-client-cert-auth=true');
const etcdWith = (...args: string[]) => kubeadmEtcd({ args: [...baseArgs, ...args] });
const PEER_SECTION_WITHOUT_CERT_AUTH = SECURE_CONFIG_YAML.replace(
  /(peer-transport-security:\n(?:.*\n)*?) {2}client-cert-auth: true\n/,
  '$1',
);

runCheckCases(check, {
  pass: [
    { name: 'kubeadm stacked etcd flags', host: { processes: [kubeadmEtcd()] } },
    { name: 'kubespray /etc/etcd.env: ETCD_PEER_CLIENT_CERT_AUTH=true', host: { processes: [kubesprayEtcd()] } },
    { name: 'single-dash -peer-client-cert-auth', host: { processes: [etcdWith('-peer-client-cert-auth')] } },
    { name: 'secure --config-file', host: { processes: [configFileEtcd(SECURE_CONFIG_YAML)] } },
    {
      name: 'issue 9: single-member etcd on defaults: no peer port reachable from another host',
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
      name: 'issue 9: config file with loopback peer URLs and this member alone in initial-cluster',
      host: {
        processes: [
          configFileEtcd(
            'listen-peer-urls: http://127.0.0.1:2380\ninitial-advertise-peer-urls: http://127.0.0.1:2380\ninitial-cluster: default=http://127.0.0.1:2380\n',
          ),
        ],
      },
      messageId: 'noPeerTraffic',
    },
  ],
  fail: [
    {
      name: 'misplaced key: peer-client-cert-auth inside peer-transport-security has no effect',
      host: {
        processes: [
          configFileEtcd(
            PEER_SECTION_WITHOUT_CERT_AUTH.replace(
              'peer-transport-security:\n',
              'peer-transport-security:\n  peer-client-cert-auth: true\n',
            ),
          ),
        ],
      },
      messageId: 'certAuthOff',
      messageIncludes: ['peer-transport-security.peer-client-cert-auth is not an etcd key and is ignored'],
    },
    {
      name: 'kube-bench rke2 2.5: client-cert-auth under client-transport-security is not the peer setting',
      host: { processes: [configFileEtcd(PEER_SECTION_WITHOUT_CERT_AUTH)] },
      messageId: 'certAuthOff',
      messageIncludes: [`not set in ${ETCD_CONFIG}`],
    },
    {
      name: 'env overridden by a flag: ETCD_PEER_CLIENT_CERT_AUTH=true, -peer-client-cert-auth=false',
      host: { processes: [{ ...kubesprayEtcd(), args: ['-peer-client-cert-auth=false'] }] },
      messageId: 'certAuthOff',
      messageIncludes: ['-peer-client-cert-auth=false'],
    },
    { name: 'etcd default: peer-client-cert-auth false', host: { processes: [etcdWith()] }, messageId: 'certAuthOff' },
    {
      name: "issue 9: loopback peer URLs, but the config file's initial-cluster names a member on another host",
      host: {
        processes: [
          configFileEtcd(
            'listen-peer-urls: http://127.0.0.1:2380\ninitial-advertise-peer-urls: http://127.0.0.1:2380\ninitial-cluster: a=http://127.0.0.1:2380,b=http://10.0.0.11:2380\n',
          ),
        ],
      },
      messageId: 'certAuthOff',
    },
    {
      name: 'peer-client-cert-auth without peer-trusted-ca-file',
      host: {
        processes: [kubeadmEtcd({ args: KUBEADM_ETCD_ARGS.filter((a) => !a.startsWith('--peer-trusted-ca-file=')) })],
      },
      messageId: 'noTrustedCA',
    },
    {
      name: 'plain http peer URL',
      host: { processes: [etcdWith('--peer-client-cert-auth', '--listen-peer-urls=http://10.0.0.10:2380')] },
      messageId: 'plainHttpPeers',
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
            files: { [ETCD_CONFIG]: { reason: 'not-regular' } },
          },
        ],
      },
      messageId: 'undetermined',
      messageIncludes: [ETCD_CONFIG],
    },
    {
      name: 'ETCD_PEER_CLIENT_CERT_AUTH=on is no Go boolean',
      host: { processes: [kubesprayEtcd({ ETCD_PEER_CLIENT_CERT_AUTH: 'on' })] },
      messageId: 'undetermined',
      messageIncludes: ['ETCD_PEER_CLIENT_CERT_AUTH'],
    },
  ],
  skip: [{ name: 'no etcd on a worker node', host: { processes: [NODE_KUBELET] }, messageId: 'noEtcd' }],
});
