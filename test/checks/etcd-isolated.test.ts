import check from '../../src/checks/etcd-isolated.js';
import { runCheckCases } from '../support/check-tester.js';
import { kubeadmEtcd, kubesprayEtcd, NODE_KUBELET } from '../support/etcd-hosts.js';
import type { ProcessSpec } from '../support/host.js';

const apiserver = (etcdServers: string): ProcessSpec => ({
  component: 'kube-apiserver',
  pid: 2000,
  args: [`--etcd-servers=${etcdServers}`],
});

/** A k0s controller: etcd and the control plane as children of `k0s controller`, no kubelet. */
const K0S_CONTROLLER: ProcessSpec[] = [
  {
    component: 'etcd',
    pid: 3001,
    args: ['--data-dir=/var/lib/k0s/etcd', '--listen-client-urls=https://127.0.0.1:2379'],
  },
  { component: 'kube-apiserver', pid: 3002, args: ['--etcd-servers=https://127.0.0.1:2379'] },
  { component: 'kube-controller-manager', pid: 3003 },
  { component: 'kube-scheduler', pid: 3004 },
];

runCheckCases(check, {
  pass: [
    { name: 'dedicated etcd host (kubespray etcd via systemd)', host: { processes: [kubesprayEtcd()] } },
    {
      name: 'apiserver host without etcd whose --etcd-servers all name other hosts (kubeadm external etcd)',
      host: {
        processes: [
          apiserver('https://10.0.1.21:2379,https://10.0.1.22:2379,https://etcd-3.internal:2379'),
          NODE_KUBELET,
        ],
      },
      messageId: 'remoteEtcd',
    },
    {
      name: 'kubeadm external etcd: static pod of a standalone kubelet without --kubeconfig',
      host: {
        processes: [
          kubeadmEtcd(),
          { component: 'kubelet', args: ['--config=/etc/systemd/system/kubelet.service.d/kubelet.conf'] },
        ],
        packages: { kubelet: '1.33.1-1.1' },
      },
    },
  ],
  fail: [
    {
      name: 'k0s controller: etcd beside kube-apiserver, controller-manager and scheduler, no kubelet (issue 8)',
      host: { processes: K0S_CONTROLLER },
      messageId: 'sharesHostWithControlPlane',
      messageIncludes: ['kube-apiserver, kube-controller-manager, kube-scheduler'],
    },
    {
      name: 'etcd beside a kube-scheduler only',
      host: { processes: [kubesprayEtcd(), { component: 'kube-scheduler', pid: 2100 }] },
      messageId: 'sharesHostWithControlPlane',
    },
    {
      name: 'etcd embedded in a k3s server whose apiserver could not be established',
      host: {
        processes: [kubesprayEtcd()],
        distributions: [
          {
            name: 'k3s',
            role: 'server',
            pid: 812,
            argv: ['/usr/local/bin/k3s server'],
            shownBy: 'process 812',
            datastore: { kind: 'etcd', shownBy: 'embedded etcd' },
          },
        ],
      },
      messageId: 'sharesHostWithControlPlane',
    },
    {
      name: 'kubeadm stacked etcd next to a node kubelet',
      host: { processes: [kubeadmEtcd(), NODE_KUBELET] },
      messageId: 'sharesHostWithKubelet',
    },
    {
      name: 'etcd and kube-apiserver static pods, kubelet process not visible (manifest fallback)',
      host: {
        processes: [kubeadmEtcd({ source: 'static-pod-manifest', pid: 0 })],
        manifests: [
          { path: '/etc/kubernetes/manifests/etcd.yaml', component: 'etcd' },
          { path: '/etc/kubernetes/manifests/kube-apiserver.yaml', component: 'kube-apiserver' },
        ],
      },
      messageId: 'stackedStaticPods',
      messageIncludes: ['/etc/kubernetes/manifests/kube-apiserver.yaml'],
    },
  ],
  unknown: [
    {
      name: 'apiserver reaches etcd on loopback, but no etcd process is visible',
      host: { processes: [apiserver('https://127.0.0.1:2379')] },
      messageId: 'localEtcdNotSeen',
      messageIncludes: ['https://127.0.0.1:2379'],
    },
    {
      name: "apiserver reaches etcd at one of this host's own addresses, no etcd visible",
      host: {
        processes: [apiserver('https://10.0.1.21:2379,https://10.0.0.10:2379')],
        addresses: ['127.0.0.1', '10.0.0.10'],
      },
      messageId: 'localEtcdNotSeen',
      messageIncludes: ['https://10.0.0.10:2379'],
    },
    {
      name: 'only an etcd static pod manifest and no kubelet process (external etcd host with its kubelet down?)',
      host: {
        processes: [kubeadmEtcd()],
        manifests: [{ path: '/etc/kubernetes/manifests/etcd.yaml', component: 'etcd' }],
      },
      messageId: 'kubeletNotRunning',
      messageIncludes: ['/etc/kubernetes/manifests/etcd.yaml'],
    },
    {
      name: 'kubelet installed but not running right now',
      host: { processes: [kubesprayEtcd()], packages: { kubelet: '1.33.1-1.1' } },
      messageId: 'kubeletNotRunning',
      messageIncludes: ['package kubelet 1.33.1-1.1'],
    },
  ],
  skip: [
    { name: 'worker node without etcd', host: { processes: [NODE_KUBELET] }, messageId: 'noEtcd' },
    { name: 'empty host', host: {}, messageId: 'noEtcd' },
    {
      name: 'k3s apiserver on kine: a local unix socket, not etcd',
      host: { processes: [apiserver('unix://kine.sock')] },
      messageId: 'socketDatastore',
      messageIncludes: ['unix://kine.sock'],
    },
  ],
});
