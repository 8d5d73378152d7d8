import { K0S } from '../blocks/k0s.js';
import { k0sController } from './k0s-controller.js';
import type { HostSpec, ProcessSpec } from '../spec.js';

/** `k0s controller --enable-worker`: the same control plane plus a kubelet child (and its containerd). */
export function k0sControllerWorker(): HostSpec {
  const host = k0sController();
  const ip = '10.0.5.11';
  const kubelet: ProcessSpec = {
    pid: 1460,
    ppid: 1400,
    argv: [
      `${K0S}/bin/kubelet`,
      `--config=${K0S}/kubelet-config.yaml`,
      `--kubeconfig=${K0S}/kubelet.conf`,
      '--container-runtime-endpoint=unix:///run/k0s/containerd.sock',
      `--root-dir=${K0S}/kubelet`,
      `--node-ip=${ip}`,
      '--hostname-override=k0s-cp-1',
    ],
    startedAfterBootS: 30,
    listens: [
      { address: '::', port: 10250 },
      { address: '127.0.0.1', port: 10248 },
    ],
  };
  return {
    ...host,
    name: 'k0s-controller-worker',
    processes: [
      ...host.processes.map((p) => (p.pid === 1400 ? { ...p, argv: [...p.argv, '--enable-worker'] } : p)),
      {
        pid: 1450,
        ppid: 1400,
        argv: [`${K0S}/bin/containerd`, `--root=${K0S}/containerd`, '--address=/run/k0s/containerd.sock'],
        startedAfterBootS: 28,
      },
      kubelet,
    ],
    files: {
      ...host.files,
      [`${K0S}/kubelet-config.yaml`]: [
        'apiVersion: kubelet.config.k8s.io/v1beta1',
        'kind: KubeletConfiguration',
        'authentication:',
        '  anonymous:',
        '    enabled: false',
        '  webhook:',
        '    enabled: true',
        '  x509:',
        `    clientCAFile: ${K0S}/pki/ca.crt`,
        'authorization:',
        '  mode: Webhook',
        'healthzBindAddress: 127.0.0.1',
        'readOnlyPort: 0',
        '',
      ].join('\n'),
    },
  };
}
