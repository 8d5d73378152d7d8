// Raw etcd hosts shared by the etcd check tables: argv, env and files exactly as collect records
// them, so every case goes through the real etcd resolver.
import type { ProcessSpec } from './host.js';

export const ETCD_PKI = '/etc/kubernetes/pki/etcd';

/** kubeadm's stacked etcd static pod command (kubernetes/kubernetes cmd/kubeadm/app/phases/etcd/local.go). */
export const KUBEADM_ETCD_ARGS: readonly string[] = [
  '--advertise-client-urls=https://10.0.0.10:2379',
  `--cert-file=${ETCD_PKI}/server.crt`,
  '--client-cert-auth=true',
  '--data-dir=/var/lib/etcd',
  '--experimental-initial-corrupt-check=true',
  '--experimental-watch-progress-notify-interval=5s',
  '--initial-advertise-peer-urls=https://10.0.0.10:2380',
  '--initial-cluster=cp-1=https://10.0.0.10:2380',
  `--key-file=${ETCD_PKI}/server.key`,
  '--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379',
  '--listen-metrics-urls=http://127.0.0.1:2381',
  '--listen-peer-urls=https://10.0.0.10:2380',
  '--name=cp-1',
  `--peer-cert-file=${ETCD_PKI}/peer.crt`,
  '--peer-client-cert-auth=true',
  `--peer-key-file=${ETCD_PKI}/peer.key`,
  `--peer-trusted-ca-file=${ETCD_PKI}/ca.crt`,
  '--snapshot-count=10000',
  `--trusted-ca-file=${ETCD_PKI}/ca.crt`,
];

export const ETCD_CA = { commonName: 'etcd-ca', subject: 'CN=etcd-ca', isCA: true, fingerprint256: 'E7:CD:CA' };
export const CLUSTER_CA = {
  commonName: 'kubernetes',
  subject: 'CN=kubernetes',
  isCA: true,
  fingerprint256: 'C1:05:7E',
};

/** The kubeadm etcd process with readable CA files. */
export function kubeadmEtcd(overrides: Partial<ProcessSpec> = {}): ProcessSpec {
  return {
    component: 'etcd',
    args: [...KUBEADM_ETCD_ARGS],
    files: { [`${ETCD_PKI}/ca.crt`]: { certificates: [ETCD_CA] } },
    ...overrides,
  };
}

/** kubespray's etcd: no flags, everything from /etc/etcd.env (systemd EnvironmentFile). */
export const KUBESPRAY_ETCD_ENV: Readonly<Record<string, string>> = {
  ETCD_DATA_DIR: '/var/lib/etcd',
  ETCD_ADVERTISE_CLIENT_URLS: 'https://10.0.0.10:2379',
  ETCD_INITIAL_ADVERTISE_PEER_URLS: 'https://10.0.0.10:2380',
  ETCD_LISTEN_CLIENT_URLS: 'https://10.0.0.10:2379,https://127.0.0.1:2379',
  ETCD_LISTEN_PEER_URLS: 'https://10.0.0.10:2380',
  ETCD_NAME: 'etcd1',
  ETCD_TRUSTED_CA_FILE: '/etc/ssl/etcd/ssl/ca.pem',
  ETCD_CERT_FILE: '/etc/ssl/etcd/ssl/member-node1.pem',
  ETCD_KEY_FILE: '/etc/ssl/etcd/ssl/member-node1-key.pem',
  ETCD_CLIENT_CERT_AUTH: 'true',
  ETCD_PEER_TRUSTED_CA_FILE: '/etc/ssl/etcd/ssl/ca.pem',
  ETCD_PEER_CERT_FILE: '/etc/ssl/etcd/ssl/member-node1.pem',
  ETCD_PEER_KEY_FILE: '/etc/ssl/etcd/ssl/member-node1-key.pem',
  ETCD_PEER_CLIENT_CERT_AUTH: 'true',
};

export function kubesprayEtcd(env: Record<string, string> = {}): ProcessSpec {
  return {
    component: 'etcd',
    args: [],
    env: { ...KUBESPRAY_ETCD_ENV, ...env },
    files: { '/etc/ssl/etcd/ssl/ca.pem': { certificates: [ETCD_CA] } },
  };
}

export const ETCD_CONFIG = '/etc/etcd/etcd.yaml';

/** A secure etcd config file (etcd.io op-guide sample layout). */
export const SECURE_CONFIG_YAML = `name: etcd-1
data-dir: /var/lib/etcd
listen-client-urls: https://10.0.0.10:2379,https://127.0.0.1:2379
advertise-client-urls: https://10.0.0.10:2379
listen-peer-urls: https://10.0.0.10:2380
initial-advertise-peer-urls: https://10.0.0.10:2380
client-transport-security:
  cert-file: /etc/etcd/pki/server.crt
  key-file: /etc/etcd/pki/server.key
  client-cert-auth: true
  trusted-ca-file: /etc/etcd/pki/ca.crt
  auto-tls: false
peer-transport-security:
  cert-file: /etc/etcd/pki/peer.crt
  key-file: /etc/etcd/pki/peer.key
  client-cert-auth: true
  trusted-ca-file: /etc/etcd/pki/ca.crt
  auto-tls: false
`;

export function configFileEtcd(
  yaml: string,
  args: string[] = [`--config-file=${ETCD_CONFIG}`],
  env: Record<string, string> = {},
): ProcessSpec {
  return {
    component: 'etcd',
    args,
    env,
    files: { [ETCD_CONFIG]: yaml, '/etc/etcd/pki/ca.crt': { certificates: [ETCD_CA] } },
  };
}

/** A kubelet that is a cluster node (kubeadm). */
export const NODE_KUBELET: ProcessSpec = {
  component: 'kubelet',
  args: ['--kubeconfig=/etc/kubernetes/kubelet.conf', '--config=/var/lib/kubelet/config.yaml'],
  files: {
    '/var/lib/kubelet/config.yaml':
      'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\n',
    '/etc/kubernetes/pki/ca.crt': { certificates: [CLUSTER_CA] },
  },
};
