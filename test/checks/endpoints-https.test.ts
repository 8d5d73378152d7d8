import check from '../../src/checks/endpoints-https.js';
import { runCheckCases } from '../support/check-tester.js';
import { probeRecord, type HostSpec, type ProcessSpec } from '../support/host.js';

const KUBELET_CONFIG =
  'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\nauthorization:\n  mode: Webhook\nhealthzBindAddress: 127.0.0.1\n';
const etcd = (metrics: string[]): ProcessSpec => ({
  component: 'etcd',
  args: [
    '--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379',
    '--listen-peer-urls=https://10.0.0.10:2380',
    ...metrics,
    '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
    '--key-file=/etc/kubernetes/pki/etcd/server.key',
  ],
});
const kubelet = (config: string, args: string[] = []): ProcessSpec => ({
  component: 'kubelet',
  args: ['--config=/var/lib/kubelet/config.yaml', ...args],
  files: { '/var/lib/kubelet/config.yaml': config },
});

/** A TLS handshake probe on a component's listener (pid 1000: the first process of the host). */
const handshake = (
  host: HostSpec,
  address: string,
  port: number,
  outcome: 'tls' | 'plain-http',
  component: ProcessSpec['component'],
): HostSpec => ({
  ...host,
  probes: {
    records: [
      probeRecord({
        probe: 'endpoints-https',
        component,
        target: `TLS handshake 127.0.0.1:${port}`,
        listener: { address, port },
        outcome,
        detail: outcome === 'tls' ? 'TLS handshake completed (TLSv1.3)' : 'answered a TLS ClientHello with plain HTTP',
      }),
    ],
  },
});

runCheckCases(check, {
  pass: [
    {
      name: 'kubeadm: etcd metrics on loopback, kubelet read-only port off',
      host: { processes: [etcd(['--listen-metrics-urls=http://127.0.0.1:2381']), kubelet(KUBELET_CONFIG)] },
    },
    {
      name: 'etcd metrics over https on all interfaces',
      host: { processes: [etcd(['--listen-metrics-urls=https://0.0.0.0:2381'])] },
    },
    {
      name: 'kube-controller-manager --port=0 (kubeadm before 1.24)',
      host: { processes: [{ component: 'kube-controller-manager', args: ['--port=0', '--bind-address=127.0.0.1'] }] },
    },
    {
      name: 'kube-proxy healthz on 0.0.0.0 is reported, not judged',
      host: {
        processes: [{ component: 'kube-scheduler', args: ['--bind-address=0.0.0.0'] }, { component: 'kube-proxy' }],
      },
    },
    { name: 'etcd metrics on IPv6 loopback', host: { processes: [etcd(['--listen-metrics-urls=http://[::1]:2381'])] } },
    {
      name: 'probe wins: etcd metrics configured http://0.0.0.0:2381, but the port completed a TLS handshake',
      host: handshake(
        { processes: [etcd(['--listen-metrics-urls=http://0.0.0.0:2381'])] },
        '0.0.0.0',
        2381,
        'tls',
        'etcd',
      ),
      messageId: 'httpsOnly',
    },
    {
      name: 'probe agrees: etcd client port on 10.0.0.10 completed a TLS handshake',
      host: handshake(
        { processes: [etcd(['--listen-metrics-urls=http://127.0.0.1:2381'])] },
        '10.0.0.10',
        2379,
        'tls',
        'etcd',
      ),
      messageId: 'httpsOnly',
    },
  ],
  fail: [
    {
      name: 'probe wins: kubelet secure port configured https on 0.0.0.0, but the handshake was answered in plain HTTP',
      host: handshake({ processes: [kubelet(KUBELET_CONFIG)] }, '0.0.0.0', 10250, 'plain-http', 'kubelet'),
      messageId: 'plainHttp',
      messageIncludes: [
        'kubelet secure-port https://0.0.0.0:10250 (config says https, but TLS handshake 127.0.0.1:10250 was answered in plain HTTP)',
      ],
    },
    {
      name: 'probe: a listener the configuration does not name answers plain HTTP',
      host: handshake(
        { processes: [etcd(['--listen-metrics-urls=http://127.0.0.1:2381'])] },
        '0.0.0.0',
        9999,
        'plain-http',
        'etcd',
      ),
      messageId: 'plainHttp',
      messageIncludes: ['etcd (pid 1000) port 0.0.0.0:9999, not in its configuration'],
    },
    {
      name: 'probe agrees: etcd metrics on http://0.0.0.0:2381 answered in plain HTTP',
      host: handshake(
        { processes: [etcd(['--listen-metrics-urls=http://0.0.0.0:2381'])] },
        '0.0.0.0',
        2381,
        'plain-http',
        'etcd',
      ),
      messageId: 'plainHttp',
      messageIncludes: ['etcd metrics http://0.0.0.0:2381'],
    },
    {
      name: 'SCS reference stack: etcd metrics on http://0.0.0.0:2381',
      host: { processes: [etcd(['--listen-metrics-urls=http://0.0.0.0:2381'])] },
      messageId: 'plainHttp',
      messageIncludes: ['etcd metrics http://0.0.0.0:2381'],
    },
    {
      name: 'kubelet read-only port on 0.0.0.0 (flag, space form)',
      host: { processes: [kubelet(KUBELET_CONFIG, ['--read-only-port', '10255'])] },
      messageId: 'plainHttp',
      messageIncludes: ['10255'],
    },
    {
      name: 'old kube-scheduler insecure port',
      host: { processes: [{ component: 'kube-scheduler', args: ['--port=10251', '--address=0.0.0.0'] }] },
      messageId: 'plainHttp',
      messageIncludes: ['insecure-port http://0.0.0.0:10251'],
    },
    {
      name: 'etcd metrics on a node IPv6 address',
      host: { processes: [etcd(['--listen-metrics-urls=http://[2001:db8::10]:2381'])] },
      messageId: 'plainHttp',
    },
  ],
  unknown: [
    {
      name: 'etcd metrics on a host name that may resolve anywhere',
      host: { processes: [etcd(['--listen-metrics-urls=http://cp-1.internal:2381'])] },
      messageId: 'unresolved',
      messageIncludes: ['cp-1.internal'],
    },
    {
      name: 'kubelet config unreadable: read-only port unknown',
      host: {
        processes: [
          {
            component: 'kubelet',
            args: ['--config=/var/lib/kubelet/config.yaml'],
            files: { '/var/lib/kubelet/config.yaml': { reason: 'permission' } },
          },
        ],
      },
      messageId: 'unresolved',
      messageIncludes: ['kubelet'],
    },
    {
      name: 'etcd --config-file unreadable: its ports are unknown, and the message names the file',
      host: {
        processes: [
          {
            component: 'etcd',
            args: ['--config-file=/etc/etcd/etcd.yaml'],
            env: {},
            files: { '/etc/etcd/etcd.yaml': { reason: 'permission' } },
          },
        ],
      },
      messageId: 'unresolved',
      messageIncludes: ['the ports of etcd could not be resolved', '/etc/etcd/etcd.yaml'],
    },
  ],
  skip: [
    {
      name: 'only kube-proxy on this node',
      host: { processes: [{ component: 'kube-proxy' }] },
      messageId: 'noComponent',
    },
    { name: 'no component', host: {}, messageId: 'noComponent' },
  ],
});
