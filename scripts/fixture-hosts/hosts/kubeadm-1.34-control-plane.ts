import { kubeadmHost } from '../blocks/kubeadm.js';
import type { HostSpec } from '../spec.js';

export function kubeadm134ControlPlane(): HostSpec {
  return kubeadmHost({
    name: 'kubeadm-1.34-control-plane',
    hostname: 'cp-1',
    ip: '10.0.0.10',
    prefix: 24,
    version: 'v1.34.2',
    etcdImage: '3.6.4-0',
    pauseImage: 'registry.k8s.io/pause:3.10.1',
    dpkgVersion: '1.34.2-1.1',
  });
}
