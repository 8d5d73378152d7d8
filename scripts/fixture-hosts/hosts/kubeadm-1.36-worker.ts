import { kubeadmHost, kubeadmKubeProxy } from '../blocks/kubeadm.js';
import type { HostSpec } from '../spec.js';

/**
 * A current worker: kubeadm 1.35+ no longer passes --pod-infra-container-image (the kubelet
 * dropped the flag), and with NodeLocalCRISocket the CRI endpoint moves from kubeadm-flags.env
 * into instance-config.yaml, which kubeadm merges into config.yaml.
 */
export function kubeadm136Worker(): HostSpec {
  const runtimeEndpoint = 'unix:///var/run/containerd/containerd.sock';
  const proxy = kubeadmKubeProxy('worker-1', '5e6f708192a3b4c5d6e7');
  return kubeadmHost({
    name: 'kubeadm-1.36-worker',
    hostname: 'worker-1',
    ip: '10.0.0.22',
    prefix: 24,
    controlPlane: false,
    version: 'v1.36.4',
    etcdImage: '',
    pauseImage: '',
    dpkgVersion: '1.36.4-1.1',
    kubeadmFlags: [],
    kubeletConfigOptions: { runtimeEndpoint },
    extraProcesses: proxy.processes,
    extraFiles: {
      ...proxy.files,
      '/var/lib/kubelet/instance-config.yaml': `apiVersion: kubelet.config.k8s.io/v1beta1\ncontainerRuntimeEndpoint: ${runtimeEndpoint}\nkind: KubeletConfiguration\n`,
    },
  });
}
