import check from '../../src/checks/endpoints-https.js';
import { runCheckCases } from '../support/check-tester.js';
import type { ProcessSpec } from '../support/host.js';

const KUBELET_CONFIG = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\nauthorization:\n  mode: Webhook\nhealthzBindAddress: 127.0.0.1\n';
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

runCheckCases(check, {
  pass: [
    { name: 'kubeadm: etcd metrics on loopback, kubelet read-only port off', host: { processes: [etcd(['--listen-metrics-urls=http://127.0.0.1:2381']), kubelet(KUBELET_CONFIG)] } },
    { name: 'etcd metrics over https on all interfaces', host: { processes: [etcd(['--listen-metrics-urls=https://0.0.0.0:2381'])] } },
    { name: 'kube-controller-manager --port=0 (kubeadm before 1.24)', host: { processes: [{ component: 'kube-controller-manager', args: ['--port=0', '--bind-address=127.0.0.1'] }] } },
    {
      name: 'kube-proxy healthz on 0.0.0.0 is reported, not judged',
      host: { processes: [{ component: 'kube-scheduler', args: ['--bind-address=0.0.0.0'] }, { component: 'kube-proxy' }] },
    },
    { name: 'etcd metrics on IPv6 loopback', host: { processes: [etcd(['--listen-metrics-urls=http://[::1]:2381'])] } },
  ],
  fail: [
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
      host: { processes: [{ component: 'kubelet', args: ['--config=/var/lib/kubelet/config.yaml'], files: { '/var/lib/kubelet/config.yaml': { reason: 'permission' } } }] },
      messageId: 'unresolved',
      messageIncludes: ['kubelet'],
    },
  ],
  skip: [
    { name: 'only kube-proxy on this node', host: { processes: [{ component: 'kube-proxy' }] }, messageId: 'noComponent' },
    { name: 'no component', host: {}, messageId: 'noComponent' },
  ],
});
