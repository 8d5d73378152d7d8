import check from '../../src/checks/network-exposure.js';
import { runCheckCases } from '../support/check-tester.js';
import { listener, type HostSpec, type ProcessSpec } from '../support/host.js';

const KUBELET_CONFIG = [
  'apiVersion: kubelet.config.k8s.io/v1beta1',
  'kind: KubeletConfiguration',
  'authentication:',
  '  anonymous:',
  '    enabled: false',
  '  webhook:',
  '    enabled: true',
  '  x509:',
  '    clientCAFile: /etc/kubernetes/pki/ca.crt',
  'authorization:',
  '  mode: Webhook',
  'healthzBindAddress: 127.0.0.1',
  'healthzPort: 10248',
  '',
].join('\n');

const apiserver: ProcessSpec = {
  component: 'kube-apiserver',
  pid: 100,
  args: ['--advertise-address=10.0.0.10', '--secure-port=6443', '--etcd-servers=https://127.0.0.1:2379'],
};
const etcd = (metrics = 'http://127.0.0.1:2381'): ProcessSpec => ({
  component: 'etcd',
  pid: 200,
  args: [
    '--advertise-client-urls=https://10.0.0.10:2379',
    '--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379',
    '--listen-peer-urls=https://10.0.0.10:2380',
    `--listen-metrics-urls=${metrics}`,
    '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
    '--key-file=/etc/kubernetes/pki/etcd/server.key',
  ],
});
const kubelet: ProcessSpec = {
  component: 'kubelet',
  pid: 300,
  args: ['--config=/var/lib/kubelet/config.yaml', '--kubeconfig=/etc/kubernetes/kubelet.conf'],
  files: { '/var/lib/kubelet/config.yaml': KUBELET_CONFIG },
};
const kcm = (bind: string): ProcessSpec => ({
  component: 'kube-controller-manager',
  pid: 400,
  args: [`--bind-address=${bind}`],
});
const scheduler = (bind: string): ProcessSpec => ({
  component: 'kube-scheduler',
  pid: 500,
  args: ['--bind-address', bind],
});

/** A kubeadm control-plane node: etcd on the node IP, kubelet on all interfaces, the rest on loopback. */
const kubeadm = (addresses: string[], extra: Partial<HostSpec> = {}): HostSpec => ({
  processes: [apiserver, etcd(), kubelet, kcm('127.0.0.1'), scheduler('127.0.0.1')],
  listeners: [
    listener('::', 6443, 100),
    listener('127.0.0.1', 2379, 200),
    listener('10.0.0.10', 2379, 200),
    listener('10.0.0.10', 2380, 200),
    listener('127.0.0.1', 2381, 200),
    listener('::', 10250, 300),
    listener('127.0.0.1', 10248, 300),
    listener('127.0.0.1', 10257, 400),
    listener('127.0.0.1', 10259, 500),
    listener('::', 22), // sshd: not a component
  ],
  addresses,
  ...extra,
});
const internal = { internalCIDRs: ['10.0.0.0/16'] };

runCheckCases(check, {
  pass: [
    {
      name: 'kubeadm control plane, node network declared internal; the finding names the range',
      host: kubeadm(['127.0.0.1', '::1', '10.0.0.10', 'fe80::5054:ff:fe12:3456']),
      context: internal,
      messageIncludes: [
        'kubelet secure-port [::]:10250 → 10.0.0.10',
        'declared internal by network.internalCIDRs 10.0.0.0/16',
      ],
    },
    {
      name: 'a public provider network declared internal under the loud key, and named in the finding',
      host: {
        processes: [kcm('0.0.0.0')],
        listeners: [listener('0.0.0.0', 10257, 400)],
        addresses: ['127.0.0.1', '10.0.0.10', '198.51.100.20'],
      },
      context: { internalCIDRs: ['10.0.0.0/8'], publicCIDRsDeclaredInternal: ['198.51.100.0/24'] },
      messageIncludes: ['network.internalCIDRs 10.0.0.0/8', 'network.publicCIDRsDeclaredInternal 198.51.100.0/24'],
    },
    {
      name: 'IPv6-only node inside a declared ULA prefix',
      host: {
        processes: [kubelet],
        listeners: [listener('::', 10250, 300), listener('::1', 10248, 300)],
        addresses: ['::1', 'fd12:3456::10', 'fe80::1'],
      },
      context: { internalCIDRs: ['fd12:3456::/48'] },
    },
    {
      name: "apiserver on a public address is the standard's exception",
      host: {
        processes: [apiserver],
        listeners: [listener('::', 6443, 100)],
        addresses: ['127.0.0.1', '198.51.100.20'],
      },
    },
    {
      name: 'listener owners unknown: attributed by configured port',
      host: {
        processes: [kcm('127.0.0.1')],
        listeners: [listener('127.0.0.1', 10257)],
        addresses: ['127.0.0.1', '203.0.113.5'],
      },
    },
    {
      name: 'IPv4-mapped listener inside a declared IPv4 CIDR',
      host: {
        processes: [scheduler('10.0.0.10')],
        listeners: [listener('::ffff:10.0.0.10', 10259, 500)],
        addresses: ['10.0.0.10'],
      },
      context: internal,
    },
    {
      name: 'CGNAT address declared internal',
      host: {
        processes: [kcm('100.64.3.4')],
        listeners: [listener('100.64.3.4', 10257, 400)],
        addresses: ['100.64.3.4'],
      },
      context: { internalCIDRs: ['100.64.0.0/10'] },
    },
  ],
  fail: [
    {
      name: 'SCS reference stack on a node with a public address',
      host: {
        processes: [apiserver, etcd('http://0.0.0.0:2381'), kubelet, kcm('0.0.0.0'), scheduler('0.0.0.0')],
        listeners: [
          listener('::', 6443, 100),
          listener('::', 2381, 200),
          listener('::', 10250, 300),
          listener('::', 10257, 400),
          listener('::', 10259, 500),
        ],
        addresses: ['127.0.0.1', '10.0.0.10', '203.0.113.10'],
      },
      context: internal,
      messageId: 'publicListener',
      messageIncludes: ['203.0.113.10', 'etcd', 'kube-scheduler'],
    },
    {
      name: 'etcd client port bound to a public IPv6 address',
      host: { processes: [etcd()], listeners: [listener('2001:db8::10', 2379, 200)], addresses: ['2001:db8::10'] },
      messageId: 'publicListener',
    },
    {
      name: 'issue 11: internalCIDRs [0.0.0.0/0] does not turn a public plain-HTTP etcd metrics port into a pass',
      host: {
        processes: [etcd('http://0.0.0.0:2381')],
        listeners: [listener('0.0.0.0', 2381, 200)],
        addresses: ['127.0.0.1', '203.0.113.10'],
      },
      context: { internalCIDRs: ['0.0.0.0/0'] },
      messageId: 'publicListener',
      messageIncludes: ['etcd', '203.0.113.10'],
    },
    {
      name: 'issue 11: internalCIDRs [::/0] does not either, on IPv6',
      host: {
        processes: [etcd('http://[::]:2381')],
        listeners: [listener('::', 2381, 200)],
        addresses: ['::1', '2001:db8::10'],
      },
      context: { internalCIDRs: ['::/0'] },
      messageId: 'publicListener',
      messageIncludes: ['2001:db8::10'],
    },
    {
      name: 'issue 11: a public range under internalCIDRs is ignored (config validation refuses it too)',
      host: {
        processes: [kcm('203.0.113.10')],
        listeners: [listener('203.0.113.10', 10257, 400)],
        addresses: ['203.0.113.10'],
      },
      context: { internalCIDRs: ['203.0.113.0/24'] },
      messageId: 'publicListener',
    },
    {
      name: 'listeners unreadable: decided from configuration (kcm on 0.0.0.0, public host)',
      host: {
        processes: [kcm('0.0.0.0')],
        listeners: { reason: 'permission' },
        addresses: ['127.0.0.1', '198.51.100.7'],
      },
      messageId: 'publicListener',
      messageIncludes: ['kube-controller-manager'],
    },
  ],
  unknown: [
    {
      name: 'kubeadm node without declared internal networks',
      host: kubeadm(['127.0.0.1', '10.0.0.10']),
      messageId: 'undeclared',
      messageIncludes: ['10.0.0.10', 'internalCIDRs'],
    },
    {
      name: 'wildcard kubelet but host addresses unknown',
      host: { processes: [kubelet], listeners: [listener('::', 10250, 300)], addresses: [] },
      context: internal,
      messageId: 'undeclared',
    },
    {
      name: 'invalid internalCIDRs entry is ignored, never matched',
      host: {
        processes: [kcm('192.168.1.5')],
        listeners: [listener('192.168.1.5', 10257, 400)],
        addresses: ['192.168.1.5'],
      },
      context: { internalCIDRs: ['192.168.1.0/33'] },
      messageId: 'undeclared',
    },
  ],
  skip: [
    {
      name: 'no component (only kube-proxy)',
      host: { processes: [{ component: 'kube-proxy' }], listeners: [listener('::', 10256)] },
      messageId: 'noComponent',
    },
    { name: 'empty host', host: {}, messageId: 'noComponent' },
  ],
});
