import { kubeadmHost } from '../blocks/kubeadm.js';
import type { HostSpec } from '../spec.js';

export const EXTERNAL_ETCD = 'https://10.0.1.21:2379,https://10.0.1.22:2379,https://10.0.1.23:2379';

export function kubeadmExternalEtcdControlPlane(): HostSpec {
  return kubeadmHost({
    name: 'kubeadm-external-etcd-control-plane',
    hostname: 'cp-ext-1',
    ip: '10.0.1.10',
    prefix: 24,
    stackedEtcd: false,
    version: 'v1.35.1',
    etcdImage: '',
    pauseImage: 'registry.k8s.io/pause:3.10.1',
    dpkgVersion: '1.35.1-1.1',
    etcdServers: EXTERNAL_ETCD,
  });
}
