import check from '../../src/checks/etcd-isolated.js';
import { runCheckCases } from '../support/check-tester.js';
import { kubeadmEtcd, kubesprayEtcd, NODE_KUBELET } from '../support/etcd-hosts.js';

runCheckCases(check, {
  pass: [
    { name: 'dedicated etcd host (kubespray etcd via systemd)', host: { processes: [kubesprayEtcd()] } },
    {
      name: 'kubeadm external etcd: static pod of a standalone kubelet without --kubeconfig',
      host: {
        processes: [kubeadmEtcd(), { component: 'kubelet', args: ['--config=/etc/systemd/system/kubelet.service.d/kubelet.conf'] }],
        packages: { kubelet: '1.33.1-1.1' },
      },
    },
  ],
  fail: [
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
      name: 'only an etcd static pod manifest and no kubelet process (external etcd host with its kubelet down?)',
      host: { processes: [kubeadmEtcd()], manifests: [{ path: '/etc/kubernetes/manifests/etcd.yaml', component: 'etcd' }] },
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
  ],
});
