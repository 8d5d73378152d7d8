import check from '../../src/checks/etcd-peer-tls.js';
import { runCheckCases } from '../support/check-tester.js';
import { configFileEtcd, ETCD_CONFIG, KUBEADM_ETCD_ARGS, kubeadmEtcd, kubesprayEtcd, NODE_KUBELET, SECURE_CONFIG_YAML } from '../support/etcd-hosts.js';

const withArgs = (...extra: string[]) => kubeadmEtcd({ args: [...KUBEADM_ETCD_ARGS, ...extra] });

runCheckCases(check, {
  pass: [
    { name: 'kubeadm stacked etcd flags', host: { processes: [kubeadmEtcd()] } },
    { name: 'kubespray /etc/etcd.env: ETCD_* env only', host: { processes: [kubesprayEtcd()] } },
    { name: 'secure --config-file', host: { processes: [configFileEtcd(SECURE_CONFIG_YAML)] } },
    {
      name: '--config-file wins over --peer-auto-tls and http:// peer flags',
      host: { processes: [configFileEtcd(SECURE_CONFIG_YAML, [`--config-file=${ETCD_CONFIG}`, '--peer-auto-tls', '--listen-peer-urls=http://10.0.0.10:2380'])] },
    },
  ],
  fail: [
    {
      name: 'single-member etcd on defaults: http://localhost:2380 is still unencrypted peer traffic',
      host: { processes: [{ component: 'etcd', args: ['--cert-file=/s.crt', '--key-file=/s.key', '--listen-client-urls=https://127.0.0.1:2379', '--advertise-client-urls=https://127.0.0.1:2379'] }] },
      messageId: 'plainHttpLoopback',
      messageIncludes: ['http://localhost:2380', 'unencrypted', 'requires TLS'],
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
    { name: '--peer-auto-tls beside peer certificates', host: { processes: [withArgs('--peer-auto-tls')] }, messageId: 'autoTls' },
    {
      name: 'no --peer-cert-file',
      host: { processes: [kubeadmEtcd({ args: KUBEADM_ETCD_ARGS.filter((a) => !a.startsWith('--peer-cert-file=')) })] },
      messageId: 'noCertificate',
      messageIncludes: ['peer-cert-file not set'],
    },
    {
      name: 'kubespray env with ETCD_PEER_AUTO_TLS=true',
      host: { processes: [kubesprayEtcd({ ETCD_PEER_AUTO_TLS: 'true' })] },
      messageId: 'autoTls',
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
      host: { processes: [{ component: 'etcd', args: [`--config-file=${ETCD_CONFIG}`], files: { [ETCD_CONFIG]: { reason: 'missing' } } }] },
      messageId: 'cannotDecide',
      messageIncludes: [ETCD_CONFIG],
    },
    {
      name: 'malformed YAML config file',
      host: { processes: [configFileEtcd('peer-transport-security: {cert-file: /p.crt\n')] },
      messageId: 'cannotDecide',
      messageIncludes: [ETCD_CONFIG],
    },
  ],
  skip: [{ name: 'no etcd on a worker node', host: { processes: [NODE_KUBELET] }, messageId: 'noEtcd' }],
});
