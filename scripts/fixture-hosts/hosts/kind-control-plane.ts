import { kubeadmHost } from '../blocks/kubeadm.js';
import type { HostSpec } from '../spec.js';

export function kindControlPlane(): HostSpec {
  return kubeadmHost({
    name: 'kind-control-plane',
    hostname: 'kind-control-plane',
    ip: '172.18.0.2',
    prefix: 16,
    version: 'v1.35.0',
    etcdImage: '3.6.6-0',
    pauseImage: 'registry.k8s.io/pause:3.10.1',
    apiserverExtra: { 'runtime-config': '' },
    controllerManagerExtra: { 'enable-hostpath-provisioner': 'true' },
    kubeletExtraArgs: ['--node-ip=172.18.0.2', '--node-labels=', '--provider-id=kind://docker/kind/kind-control-plane'],
    kubeletConfigExtra: [
      'cgroupRoot: /kubelet',
      'evictionHard:',
      '  imagefs.available: 0%',
      '  nodefs.available: 0%',
      '  nodefs.inodesFree: 0%',
      'failSwapOn: false',
      'imageGCHighThresholdPercent: 100',
    ],
    extraFiles: {
      '/kind/kubeadm.conf': [
        '# the kubeadm config kind generated for this node (excerpt, see README)',
        'apiVersion: kubeadm.k8s.io/v1beta3',
        'kind: ClusterConfiguration',
        'apiServer:',
        '  certSANs:',
        '  - localhost',
        '  - 127.0.0.1',
        '  extraArgs:',
        '    runtime-config: ""',
        'clusterName: kind',
        'controlPlaneEndpoint: kind-control-plane:6443',
        'controllerManager:',
        '  extraArgs:',
        '    enable-hostpath-provisioner: "true"',
        'kubernetesVersion: v1.35.0',
        'networking:',
        '  podSubnet: 10.244.0.0/16',
        '  serviceSubnet: 10.96.0.0/16',
        '',
      ].join('\n'),
    },
  });
}
