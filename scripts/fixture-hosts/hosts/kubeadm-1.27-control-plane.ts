import { kubeadmHost } from '../blocks/kubeadm.js';
import type { HostSpec } from '../spec.js';

/** A 1.2x control plane as kubeadm 1.27 built it: etcd 3.5 flag spellings, pause 3.9, the final 1.27 patch. */
export function kubeadm127ControlPlane(): HostSpec {
  return kubeadmHost({
    name: 'kubeadm-1.27-control-plane',
    hostname: 'cp-1',
    ip: '10.0.5.10',
    prefix: 24,
    version: 'v1.27.16',
    etcdImage: '3.5.7-0',
    pauseImage: 'registry.k8s.io/pause:3.9',
    dpkgVersion: '1.27.16-1.1',
    etcd35: true,
    // KubeletConfiguration.imageMaximumGCAge came with kubelet 1.29.
    kubeletConfigOptions: { drop: ['imageMaximumGCAge'] },
  });
}
