import { kubeadmHost } from '../blocks/kubeadm.js';
import type { HostSpec } from '../spec.js';

/**
 * The kubelet deb's unit (kubernetes/release cmd/krel/templates/latest/kubelet/kubelet.service,
 * installed to %{_unitdir} by kubelet.spec).
 */
export const KUBELET_DEB_UNIT = [
  '[Unit]',
  'Description=kubelet: The Kubernetes Node Agent',
  'Documentation=https://kubernetes.io/docs/',
  'Wants=network-online.target',
  'After=network-online.target',
  '',
  '[Service]',
  'ExecStart=/usr/bin/kubelet',
  'Restart=always',
  'StartLimitInterval=0',
  'RestartSec=10',
  '',
  '[Install]',
  'WantedBy=multi-user.target',
  '',
].join('\n');

export function manifestsOnly(): HostSpec {
  // The same node kubeadm would build, captured as a powered-off disk image: files only. The
  // kubelet is a host binary under systemd, so its unit files are where the packages put them
  // (kubelet.spec / kubeadm.spec install to %{_unitdir}), not under /etc.
  const host = kubeadmHost({
    name: 'manifests-only',
    hostname: 'image-cp',
    ip: '10.0.4.10',
    prefix: 24,
    version: 'v1.35.1',
    etcdImage: '3.6.6-0',
    pauseImage: 'registry.k8s.io/pause:3.10.1',
    dpkgVersion: '1.35.1-1.1',
  });
  const { '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': dropIn, ...files } = host.files;
  return {
    ...host,
    offline: true,
    files: {
      ...files,
      '/usr/lib/systemd/system/kubelet.service': KUBELET_DEB_UNIT,
      '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf': dropIn!,
      // The kubelet deb's /etc/default/kubelet (kubelet.spec installs kubelet.env there).
      '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=\n',
      '/proc/.keep': '',
    },
  };
}
