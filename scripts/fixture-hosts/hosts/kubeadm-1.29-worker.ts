import { kubeadmHost, kubeadmKubeProxy } from '../blocks/kubeadm.js';
import type { HostSpec } from '../spec.js';

export function kubeadm129Worker(): HostSpec {
  const proxy = kubeadmKubeProxy('worker-1', 'e7b4a5f6c8d9e0312256');
  return kubeadmHost({
    name: 'kubeadm-1.29-worker',
    hostname: 'worker-1',
    ip: '10.0.0.21',
    prefix: 24,
    controlPlane: false,
    version: 'v1.29.6',
    etcdImage: '',
    pauseImage: 'registry.k8s.io/pause:3.9',
    dpkgVersion: '1.29.6-1.1',
    extraProcesses: proxy.processes,
    extraFiles: proxy.files,
  });
}
