import { kubeadmHost } from '../blocks/kubeadm.js';
import { cert } from '../certs.js';
import type { FileSpec, HostSpec } from '../spec.js';

/** minikube's default `enable-admission-plugins` (kubernetes/minikube:pkg/minikube/bootstrapper/bsutil/testdata/v1.35/containerd.yaml). */
const MINIKUBE_ADMISSION =
  'NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,DefaultTolerationSeconds,NodeRestriction,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ResourceQuota';
const MINIKUBE_CERTS = '/var/lib/minikube/certs';

/** A string of the kubeadm node as minikube lays it out: its certificatesDir and API port 8443. */
function minikubePaths(text: string): string {
  return text.replaceAll('/etc/kubernetes/pki', MINIKUBE_CERTS).replaceAll(':6443', ':8443');
}

/**
 * A minikube node (docker driver, containerd), audited from inside the node as a DaemonSet sees
 * it: minikube runs `kubeadm init` with its own config (kubernetes/minikube
 * pkg/minikube/bootstrapper/bsutil/ktmpl/v1beta4.go), so the components are kubeadm's static pods
 * with minikube's certificatesDir `/var/lib/minikube/certs`, API port 8443, etcd data in
 * `/var/lib/minikube/etcd`, and a kubelet whose systemd drop-in minikube writes itself
 * (bsutil/ktmpl/kubelet.go, bsutil/files.go).
 */
export function minikubeNode(): HostSpec {
  const version = 'v1.35.0';
  const ip = '192.168.49.2';
  const base = kubeadmHost({
    name: 'minikube',
    hostname: 'minikube',
    ip,
    prefix: 24,
    version,
    etcdImage: '3.6.6-0',
    pauseImage: 'registry.k8s.io/pause:3.10.1',
    apiserverExtra: { 'enable-admission-plugins': MINIKUBE_ADMISSION, 'secure-port': '8443' },
    controllerManagerExtra: { 'allocate-node-cidrs': 'true', 'leader-elect': 'false', 'cluster-cidr': '10.244.0.0/16' },
    schedulerExtra: { 'leader-elect': 'false' },
    etcdExtra: { 'data-dir': '/var/lib/minikube/etcd' },
    kubeadmFlags: [],
    kubeletExtraArgs: ['--hostname-override=minikube', `--node-ip=${ip}`],
    kubeletConfigOptions: { runtimeEndpoint: 'unix:///run/containerd/containerd.sock', drop: ['failSwapOn'] },
    kubeletConfigExtra: [
      'hairpinMode: hairpin-veth',
      'imageGCHighThresholdPercent: 100',
      'evictionHard:',
      '  imagefs.available: 0%',
      '  nodefs.available: 0%',
      '  nodefs.inodesFree: 0%',
      'failSwapOn: false',
    ],
  });
  const kubelet = `/var/lib/minikube/binaries/${version}/kubelet`;
  const processes = base.processes.map((p) => ({
    ...p,
    argv: p.argv.map((a, i) => (i === 0 && a === '/usr/bin/kubelet' ? kubelet : minikubePaths(a))),
    ...(p.argv[0] === '/usr/bin/kubelet' && { exe: kubelet }),
    ...(p.listens && { listens: p.listens.map((l) => (l.port === 6443 ? { ...l, port: 8443 } : l)) }),
  }));
  const files: Record<string, FileSpec> = {};
  for (const [file, spec] of Object.entries(base.files))
    files[minikubePaths(file)] = typeof spec === 'string' ? minikubePaths(spec) : spec;
  // minikube replaces kubeadm's drop-in with its own, one ExecStart= holding every flag (ktmpl.KubeletSystemdTemplate).
  files['/etc/systemd/system/kubelet.service.d/10-kubeadm.conf'] = [
    '[Unit]',
    'Wants=containerd.service',
    '',
    '[Service]',
    'ExecStart=',
    `ExecStart=${kubelet} --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --config=/var/lib/kubelet/config.yaml --hostname-override=minikube --kubeconfig=/etc/kubernetes/kubelet.conf --node-ip=${ip}`,
    '',
    '[Install]',
    '',
  ].join('\n');
  files['/lib/systemd/system/kubelet.service'] = [
    '[Unit]',
    'Description=kubelet: The Kubernetes Node Agent',
    'Documentation=http://kubernetes.io/docs/',
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    `ExecStart=${kubelet}`,
    'Restart=always',
    'RestartSec=600ms',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
  files[`${MINIKUBE_CERTS}/ca.crt`] = cert('minikube-ca.crt');
  files[kubelet] = 'kubelet binary stand-in\n';
  // The kubeadm config minikube generated and ran `kubeadm init` with (excerpt; see README).
  files['/var/tmp/minikube/kubeadm.yaml'] = [
    'apiVersion: kubeadm.k8s.io/v1beta4',
    'kind: ClusterConfiguration',
    'apiServer:',
    '  certSANs: ["127.0.0.1", "localhost", "192.168.49.2"]',
    '  extraArgs:',
    '    - name: "enable-admission-plugins"',
    `      value: "${MINIKUBE_ADMISSION}"`,
    `certificatesDir: ${MINIKUBE_CERTS}`,
    'clusterName: mk',
    'controlPlaneEndpoint: control-plane.minikube.internal:8443',
    'etcd:',
    '  local:',
    '    dataDir: /var/lib/minikube/etcd',
    `kubernetesVersion: ${version}`,
    '',
  ].join('\n');
  return { ...base, processes, files };
}
