import { CONTAINERD, SSHD, SYSTEMD, base64, containerEnviron, kubeconfig, shim, staticPod } from '../blocks/common.js';
import { PKI_MOUNTS, dpkgKubelet } from '../blocks/kubeadm.js';
import { cert } from '../certs.js';
import type { HostSpec } from '../spec.js';

export function parsingTraps(): HostSpec {
  const ip = '10.0.9.10';
  const node = 'trap-node';
  const apiserver = [
    'kube-apiserver',
    `--advertise-address=${ip}`,
    '--allow-privileged=true',
    // Deprecated complete admission list: NodeRestriction on, every default-on plugin not named
    // here (PodSecurity among them) off (kube-bench#432).
    '--admission-control=NamespaceLifecycle,LimitRanger,ServiceAccount,NodeRestriction,ResourceQuota',
    // Structured authorization instead of --authorization-mode, in space form (kube-bench#2095).
    '--authorization-config',
    '/etc/kubernetes/authorization-config.yaml',
    '--client-ca-file',
    '/etc/kubernetes/pki/ca.crt',
    // StringSlice: the second occurrence appends (kube-bench takes the first).
    '--etcd-servers=https://127.0.0.1:2379',
    '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
    '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
    '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
    '--secure-port=6443',
    // Underscores are accepted as dashes (component-base/cli/run.go).
    '--service_account_issuer=https://kubernetes.default.svc.cluster.local',
    '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
    '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
    '--service-cluster-ip-range=10.96.0.0/12',
    '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
    '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
    '--etcd-servers',
    'http://10.0.9.10:2379',
  ];
  const etcd = [
    'etcd',
    '--config-file=/etc/kubernetes/etcd/etcd.conf.yaml',
    // Ignored: with --config-file etcd reads nothing else from flags or ETCD_* env.
    '--client-cert-auth=false',
    '--listen-client-urls=http://0.0.0.0:2379',
    '--peer-client-cert-auth=true',
  ];
  const kubelet = [
    '/usr/bin/kubelet',
    '--config',
    'kubelet_conf.yaml',
    '--config-dir=/etc/kubernetes/kubelet.conf.d',
    '--kubeconfig=/etc/kubernetes/kubelet.conf',
    '--anonymous-auth=0',
    '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock',
  ];
  const secretKeyData = base64('SCS-TRAP-SECRET-client-key-data-7f3a9c');
  const host: HostSpec = {
    name: 'parsing-traps',
    hostname: node,
    ipv4: [{ address: ip, prefix: 24, device: 'ens3' }],
    ipv6: [{ address: 'fe80::f816:3eff:fe99:1010', prefix: 64, scope: '20', device: 'ens3' }],
    processes: [
      SYSTEMD,
      SSHD,
      CONTAINERD,
      {
        pid: 812,
        ppid: 1,
        argv: kubelet,
        cwd: '/var/lib/kubelet',
        startedAfterBootS: 12,
        threads: 21,
        listens: [
          { address: '127.0.0.1', port: 10248 },
          { address: '::', port: 10250 },
        ],
      },
      shim(1101, '3d4e5f60718293a4b5c6'),
      {
        pid: 1190,
        ppid: 1101,
        argv: etcd,
        exe: '/usr/local/bin/etcd',
        startedAfterBootS: 44,
        threads: 16,
        // Ignored as well: etcd reads no ETCD_* variable once --config-file is set.
        environ: containerEnviron(node, ['ETCD_PEER_AUTO_TLS=true', 'ETCD_CLIENT_CERT_AUTH=false']),
        listens: [
          { address: '127.0.0.1', port: 2379 },
          { address: ip, port: 2379 },
          { address: ip, port: 2380 },
          { address: '127.0.0.1', port: 2381 },
        ],
      },
      shim(1102, '4e5f60718293a4b5c6d7'),
      {
        pid: 1210,
        ppid: 1102,
        argv: apiserver,
        exe: '/usr/local/bin/kube-apiserver',
        startedAfterBootS: 45,
        threads: 14,
        listens: [{ address: '::', port: 6443 }],
      },
      // Noise that substring matching mistakes for components (kube-bench#194, #139, #828).
      {
        pid: 2101,
        ppid: 702,
        argv: ['tail', '-F', '/var/log/pods/kube-system_kube-apiserver-trap-node_1f2e/kube-apiserver/0.log'],
        startedAfterBootS: 9000,
      },
      { pid: 2102, ppid: 702, argv: ['vim', '/etc/kubernetes/manifests/etcd.yaml'], startedAfterBootS: 9100 },
      {
        pid: 2103,
        ppid: 1,
        argv: ['/bin/sh', '/usr/local/bin/etcd-backup', '--etcd-servers=http://127.0.0.1:2379'],
        comm: 'etcd-backup',
        startedAfterBootS: 9200,
      },
    ],
    files: {
      '/etc/kubernetes/authorization-config.yaml': [
        'apiVersion: apiserver.config.k8s.io/v1',
        'kind: AuthorizationConfiguration',
        'authorizers:',
        '  - type: Node',
        '    name: node',
        '  - type: RBAC',
        '    name: rbac',
        '',
      ].join('\n'),
      '/etc/kubernetes/etcd/etcd.conf.yaml': [
        `name: ${node}`,
        'data-dir: /var/lib/etcd',
        `listen-client-urls: https://127.0.0.1:2379,https://${ip}:2379`,
        `advertise-client-urls: https://${ip}:2379`,
        `listen-peer-urls: https://${ip}:2380`,
        `initial-advertise-peer-urls: https://${ip}:2380`,
        `initial-cluster: ${node}=https://${ip}:2380`,
        'listen-metrics-urls: http://127.0.0.1:2381',
        'client-transport-security:',
        '  cert-file: /etc/kubernetes/pki/etcd/server.crt',
        '  key-file: /etc/kubernetes/pki/etcd/server.key',
        '  client-cert-auth: yes',
        '  trusted-ca-file: /etc/kubernetes/pki/etcd/ca.crt',
        'peer-transport-security:',
        '  cert-file: /etc/kubernetes/pki/etcd/peer.crt',
        '  key-file: /etc/kubernetes/pki/etcd/peer.key',
        '  client-cert-auth: no',
        '  trusted-ca-file: /etc/kubernetes/pki/etcd/ca.crt',
        '',
      ].join('\n'),
      // The CA etcd trusts is a byte-identical copy of the cluster CA under another path.
      '/etc/kubernetes/pki/ca.crt': cert('kubeadm-ca.crt'),
      '/etc/kubernetes/pki/etcd/ca.crt': cert('kubeadm-ca.crt'),
      '/etc/kubernetes/pki/apiserver-etcd-client.crt': cert('trap-etcd-root-client.crt'),
      // Relative --config, resolved against the kubelet's cwd /var/lib/kubelet (kube-bench#1256).
      '/var/lib/kubelet/kubelet_conf.yaml': [
        'apiVersion: kubelet.config.k8s.io/v1beta1',
        'kind: KubeletConfiguration',
        'authentication:',
        '  anonymous:',
        '    enabled: yes',
        '  webhook:',
        '    enabled: no',
        '  x509:',
        '    clientCAFile: /etc/kubernetes/pki/ca.crt',
        'authorization:',
        '  mode: AlwaysAllow',
        'readOnlyPort: 10255',
        'staticPodPath: /etc/kubernetes/manifests',
        '',
      ].join('\n'),
      // The stale default path the kubelet does not use.
      '/var/lib/kubelet/config.yaml':
        'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\nauthorization:\n  mode: Webhook\nreadOnlyPort: 0\n',
      '/etc/kubernetes/kubelet.conf.d/10-authz.conf':
        'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthorization:\n  mode: Webhook\nreadOnlyPort: 0\n',
      // Not a drop-in: only *.conf files are read.
      '/etc/kubernetes/kubelet.conf.d/20-ignored.yaml':
        'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\nauthorization:\n  mode: AlwaysAllow\n',
      // Drop-in directories are walked recursively; the flag --anonymous-auth=0 still wins.
      '/etc/kubernetes/kubelet.conf.d/30-sub/40-anonymous.conf':
        'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\n',
      '/etc/kubernetes/kubelet.conf': kubeconfig({
        server: `https://${ip}:6443`,
        user: `system:node:${node}`,
        ca: `certificate-authority-data: ${base64(cert('kubeadm-ca.crt'))}`,
        certLines: [
          `client-certificate-data: ${base64(cert(`kubelet-${node}.crt`))}`,
          `client-key-data: ${secretKeyData}`,
          'token: scs-trap-secret-token-5d41402abc4b2a76',
        ],
      }),
      '/var/lib/dpkg/status': dpkgKubelet('1.35.1-1.1'),
      '/etc/kubernetes/manifests/kube-apiserver.yaml': staticPod({
        name: 'kube-apiserver',
        image: 'registry.k8s.io/kube-apiserver:v1.35.1',
        command: apiserver,
        mounts: PKI_MOUNTS,
      }),
      '/etc/kubernetes/manifests/etcd.yaml': staticPod({
        name: 'etcd',
        image: 'registry.k8s.io/etcd:3.6.6-0',
        command: etcd,
        mounts: [
          { name: 'etcd-certs', path: '/etc/kubernetes/pki/etcd' },
          { name: 'etcd-config', path: '/etc/kubernetes/etcd' },
          { name: 'etcd-data', path: '/var/lib/etcd' },
        ],
      }),
    },
  };
  return host;
}
