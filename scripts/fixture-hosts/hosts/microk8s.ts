import { SSHD, SYSTEMD } from '../blocks/common.js';
import type { HostSpec } from '../spec.js';

export const SNAP_DATA = '/var/snap/microk8s/8492';

/**
 * MicroK8s 1.32 (snap revision 8492): one kubelite process, its components' flags in args files
 * (canonical/microk8s `microk8s-resources/default-args/`), k8s-dqlite as the datastore.
 */
export function microk8s(): HostSpec {
  const node = 'mk8s-1';
  const ip = '10.0.6.11';
  const args = (file: string) => `${SNAP_DATA}/args/${file}`;
  const kubeliteArgv = [
    '/snap/microk8s/8492/kubelite',
    `--scheduler-args-file=${args('kube-scheduler')}`,
    `--controller-manager-args-file=${args('kube-controller-manager')}`,
    `--proxy-args-file=${args('kube-proxy')}`,
    `--kubelet-args-file=${args('kubelet')}`,
    `--apiserver-args-file=${args('kube-apiserver')}`,
    `--kubeconfig-file=${SNAP_DATA}/credentials/client.config`,
    '--start-control-plane=true',
  ];
  return {
    name: 'microk8s',
    hostname: node,
    ipv4: [{ address: ip, prefix: 24, device: 'eth0' }],
    ipv6: [],
    processes: [
      SYSTEMD,
      SSHD,
      {
        pid: 2342,
        ppid: 1,
        argv: [
          '/snap/microk8s/8492/bin/k8s-dqlite',
          `--storage-dir=${SNAP_DATA}/var/kubernetes/backend/`,
          `--listen=unix://${SNAP_DATA}/var/kubernetes/backend/kine.sock:12379`,
        ],
        startedAfterBootS: 20,
        listens: [{ address: ip, port: 19001 }],
      },
      {
        pid: 4730,
        ppid: 1,
        argv: kubeliteArgv,
        startedAfterBootS: 25,
        threads: 60,
        listens: [
          { address: '::', port: 16443 },
          { address: '::', port: 10250 },
          { address: '::', port: 10255 },
          { address: '127.0.0.1', port: 10248 },
          { address: '127.0.0.1', port: 10249 },
          { address: '::', port: 10256 },
          { address: '::', port: 10257 },
          { address: '::', port: 10259 },
        ],
      },
    ],
    files: {
      '/etc/systemd/system/snap.microk8s.daemon-kubelite.service':
        '[Service]\nExecStart=/usr/bin/snap run microk8s.daemon-kubelite\n',
      '/var/snap/microk8s/current': { symlink: '8492' },
      [`${SNAP_DATA}/var/kubernetes/backend/cluster.yaml`]: `- Address: ${ip}:19001\n  ID: 3297041220608546238\n  Role: 0\n`,
      [args('kubelite')]: kubeliteArgv.slice(1).join('\n') + '\n',
      // The 1.32 default file, verbatim in shape: comments, blank lines, quotes, ${SNAP_DATA}.
      [args('kube-apiserver')]: [
        '--cert-dir=${SNAP_DATA}/certs',
        '--service-cluster-ip-range=10.152.183.0/24',
        '--authorization-mode=RBAC,Node',
        '--service-account-key-file=${SNAP_DATA}/certs/serviceaccount.key',
        '--client-ca-file=${SNAP_DATA}/certs/ca.crt',
        '--tls-cert-file=${SNAP_DATA}/certs/server.crt',
        '--tls-private-key-file=${SNAP_DATA}/certs/server.key',
        '--kubelet-client-certificate=${SNAP_DATA}/certs/apiserver-kubelet-client.crt',
        '--kubelet-client-key=${SNAP_DATA}/certs/apiserver-kubelet-client.key',
        '--secure-port=16443',
        '--etcd-servers="unix://${SNAP_DATA}/var/kubernetes/backend/kine.sock:12379"',
        '--allow-privileged=true',
        "--service-account-issuer='https://kubernetes.default.svc'",
        '--service-account-signing-key-file=${SNAP_DATA}/certs/serviceaccount.key',
        '--event-ttl=5m',
        '--profiling=false',
        '',
        '# Enable the aggregation layer',
        '--requestheader-client-ca-file=${SNAP_DATA}/certs/front-proxy-ca.crt',
        '--requestheader-allowed-names=front-proxy-client',
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-username-headers=X-Remote-User',
        '--proxy-client-cert-file=${SNAP_DATA}/certs/front-proxy-client.crt',
        '--proxy-client-key-file=${SNAP_DATA}/certs/front-proxy-client.key',
        '#~Enable the aggregation layer',
        '--enable-admission-plugins=EventRateLimit',
        '--admission-control-config-file=${SNAP_DATA}/args/admission-control-config-file.yaml',
        '--kubelet-certificate-authority=${SNAP_DATA}/certs/ca.crt',
        '--kubelet-preferred-address-types=InternalIP,Hostname,InternalDNS,ExternalDNS,ExternalIP',
        '',
      ].join('\n'),
      [args('admission-control-config-file.yaml')]: [
        'apiVersion: apiserver.config.k8s.io/v1',
        'kind: AdmissionConfiguration',
        'plugins:',
        '  - name: EventRateLimit',
        '    path: ${SNAP_DATA}/args/eventconfig.yaml',
        '',
      ].join('\n'),
      [args('kube-controller-manager')]: [
        '--kubeconfig=${SNAP_DATA}/credentials/controller.config',
        '--service-account-private-key-file=${SNAP_DATA}/certs/serviceaccount.key',
        '--root-ca-file=${SNAP_DATA}/certs/ca.crt',
        '--cluster-signing-cert-file=${SNAP_DATA}/certs/ca.crt',
        '--cluster-signing-key-file=${SNAP_DATA}/certs/ca.key',
        '--use-service-account-credentials',
        '--leader-elect-lease-duration=60s',
        '--leader-elect-renew-deadline=30s',
        '--profiling=false',
        '',
      ].join('\n'),
      [args('kube-scheduler')]: [
        '--kubeconfig=${SNAP_DATA}/credentials/scheduler.config',
        '--leader-elect-lease-duration=60s',
        '--leader-elect-renew-deadline=30s',
        '--profiling=false',
        '',
      ].join('\n'),
      [args('kubelet')]: [
        '--kubeconfig=${SNAP_DATA}/credentials/kubelet.config',
        '--cert-dir=${SNAP_DATA}/certs',
        '--client-ca-file=${SNAP_DATA}/certs/ca.crt',
        '--anonymous-auth=false',
        '--root-dir=${SNAP_COMMON}/var/lib/kubelet',
        '--fail-swap-on=false',
        '--feature-gates=DevicePlugins=true',
        '--eviction-hard="memory.available<100Mi,nodefs.available<1Gi,imagefs.available<1Gi"',
        '--container-runtime-endpoint=${SNAP_COMMON}/run/containerd.sock',
        '--node-labels="microk8s.io/cluster=true,node.kubernetes.io/microk8s-controlplane=microk8s-controlplane"',
        '--authentication-token-webhook=true',
        '',
      ].join('\n'),
      [args('kube-proxy')]: [
        '--kubeconfig=${SNAP_DATA}/credentials/proxy.config',
        '--cluster-cidr=10.1.0.0/16',
        '--healthz-bind-address=127.0.0.1',
        '',
      ].join('\n'),
    },
  };
}
