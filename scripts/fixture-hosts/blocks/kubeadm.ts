// kubeadm building blocks (kubernetes/kubernetes:cmd/kubeadm): the control-plane flags kubeadm
// writes, the kubelet's config and drop-in, the PKI layout, and kubeadmHost, which most hosts extend.
import {
  CONTAINERD,
  SSHD,
  SYSTEMD,
  base64,
  containerEnviron,
  kubeconfig,
  shim,
  sortedFlags,
  staticPod,
} from './common.js';
import { cert } from '../certs.js';
import type { FileSpec, HostSpec, ProcessSpec } from '../spec.js';

export function dpkgKubelet(version: string, maintainer = 'Kubernetes Authors <dev@kubernetes.io>'): string {
  return [
    'Package: kubectl',
    'Status: install ok installed',
    'Priority: optional',
    'Section: misc',
    'Installed-Size: 57340',
    `Maintainer: ${maintainer}`,
    'Architecture: amd64',
    `Version: ${version}`,
    'Description: Command-line utility for interacting with a Kubernetes cluster',
    ' Command-line utility for interacting with a Kubernetes cluster.',
    'Homepage: https://kubernetes.io',
    '',
    'Package: kubelet',
    'Status: install ok installed',
    'Priority: optional',
    'Section: misc',
    'Installed-Size: 77580',
    `Maintainer: ${maintainer}`,
    'Architecture: amd64',
    `Version: ${version}`,
    'Depends: iptables (>= 1.4.21), iproute2, socat, util-linux, mount, ethtool, conntrack, kubernetes-cni (>= 1.1.1)',
    'Description: Node agent for Kubernetes clusters',
    ' The node agent of Kubernetes, the container cluster manager.',
    'Homepage: https://kubernetes.io',
    '',
    'Package: openssh-server',
    'Status: install ok installed',
    'Priority: optional',
    'Section: net',
    'Architecture: amd64',
    'Version: 1:9.6p1-3ubuntu13.5',
    'Description: secure shell (SSH) server, for secure access from remote machines',
    '',
  ].join('\n');
}

/**
 * kubeadm's kubelet config (cmd/kubeadm/app/componentconfigs/kubelet.go defaults, as written to disk).
 * `runtimeEndpoint`: kubeadm with NodeLocalCRISocket (beta in 1.34) merges instance-config.yaml's
 * endpoint here instead of passing the flag. `drop`: top-level keys an older kubelet does not have.
 */
export function kubeadmKubeletConfig(
  extra: string[] = [],
  opts: { runtimeEndpoint?: string; drop?: string[] } = {},
): string {
  const lines = [
    'apiVersion: kubelet.config.k8s.io/v1beta1',
    'authentication:',
    '  anonymous:',
    '    enabled: false',
    '  webhook:',
    '    cacheTTL: 0s',
    '    enabled: true',
    '  x509:',
    '    clientCAFile: /etc/kubernetes/pki/ca.crt',
    'authorization:',
    '  mode: Webhook',
    '  webhook:',
    '    cacheAuthorizedTTL: 0s',
    '    cacheUnauthorizedTTL: 0s',
    'cgroupDriver: systemd',
    'clusterDNS:',
    '- 10.96.0.10',
    'clusterDomain: cluster.local',
    `containerRuntimeEndpoint: ${opts.runtimeEndpoint ?? '""'}`,
    'cpuManagerReconcilePeriod: 0s',
    'evictionPressureTransitionPeriod: 0s',
    'fileCheckFrequency: 0s',
    'healthzBindAddress: 127.0.0.1',
    'healthzPort: 10248',
    'httpCheckFrequency: 0s',
    'imageMaximumGCAge: 0s',
    'imageMinimumGCAge: 0s',
    'kind: KubeletConfiguration',
    'logging:',
    '  flushFrequency: 0',
    '  options:',
    '    json:',
    '      infoBufferSize: "0"',
    '  verbosity: 0',
    'memorySwap: {}',
    'nodeStatusReportFrequency: 0s',
    'nodeStatusUpdateFrequency: 0s',
    'rotateCertificates: true',
    'runtimeRequestTimeout: 0s',
    'shutdownGracePeriod: 0s',
    'shutdownGracePeriodCriticalPods: 0s',
    'staticPodPath: /etc/kubernetes/manifests',
    'streamingConnectionIdleTimeout: 0s',
    'syncFrequency: 0s',
    'volumeStatsAggPeriod: 0s',
    ...extra,
    '',
  ];
  const dropped = new Set(opts.drop ?? []);
  return lines.filter((line) => !dropped.has(line.split(':')[0]!)).join('\n');
}

/** kubeadm's kubelet.conf after TLS bootstrap: the client cert is the rotating pem. */
export function kubeadmKubeletConf(node: string, server: string): string {
  return kubeconfig({
    server,
    user: `system:node:${node}`,
    ca: `certificate-authority-data: ${base64(cert('kubeadm-ca.crt'))}`,
    certLines: [
      'client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem',
      'client-key: /var/lib/kubelet/pki/kubelet-client-current.pem',
    ],
  });
}

/** The rotating client cert: a symlink to a dated file (here certificate only, see README). */
export function kubeletPki(node: string, dated: string): Record<string, FileSpec> {
  const file = `/var/lib/kubelet/pki/kubelet-client-${dated}.pem`;
  return {
    [file]: cert(`kubelet-${node}.crt`),
    '/var/lib/kubelet/pki/kubelet-client-current.pem': { symlink: file },
    '/var/lib/kubelet/pki/kubelet.crt': cert(`kubelet-${node}.crt`),
  };
}

export const KUBEADM_FLAGS_UNIT = [
  '# Note: This dropin only works with kubeadm and kubelet v1.11+',
  '[Service]',
  'Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"',
  'Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"',
  '# This is a file that "kubeadm init" and "kubeadm join" generates at runtime, populating the KUBELET_KUBEADM_ARGS variable dynamically',
  'EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env',
  '# This is a file that the user can use for overrides of the kubelet args as a last resort. Preferably, the user should use',
  '# the .NodeRegistration.KubeletExtraArgs object in the configuration files instead. KUBELET_EXTRA_ARGS should be sourced from this file.',
  'EnvironmentFile=-/etc/default/kubelet',
  'ExecStart=',
  'ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS',
  '',
].join('\n');

/** kubeadm's kube-apiserver command (cmd/kubeadm/app/phases/controlplane/manifests.go), sorted as kubeadm writes it. */
export function kubeadmApiserverArgs(
  ip: string,
  extra: Record<string, string> = {},
  etcdServers = 'https://127.0.0.1:2379',
): string[] {
  const args: Record<string, string> = {
    'advertise-address': ip,
    'allow-privileged': 'true',
    'authorization-mode': 'Node,RBAC',
    'client-ca-file': '/etc/kubernetes/pki/ca.crt',
    'enable-admission-plugins': 'NodeRestriction',
    'enable-bootstrap-token-auth': 'true',
    'etcd-cafile': '/etc/kubernetes/pki/etcd/ca.crt',
    'etcd-certfile': '/etc/kubernetes/pki/apiserver-etcd-client.crt',
    'etcd-keyfile': '/etc/kubernetes/pki/apiserver-etcd-client.key',
    'etcd-servers': etcdServers,
    'kubelet-client-certificate': '/etc/kubernetes/pki/apiserver-kubelet-client.crt',
    'kubelet-client-key': '/etc/kubernetes/pki/apiserver-kubelet-client.key',
    'kubelet-preferred-address-types': 'InternalIP,ExternalIP,Hostname',
    'proxy-client-cert-file': '/etc/kubernetes/pki/front-proxy-client.crt',
    'proxy-client-key-file': '/etc/kubernetes/pki/front-proxy-client.key',
    'requestheader-allowed-names': 'front-proxy-client',
    'requestheader-client-ca-file': '/etc/kubernetes/pki/front-proxy-ca.crt',
    'requestheader-extra-headers-prefix': 'X-Remote-Extra-',
    'requestheader-group-headers': 'X-Remote-Group',
    'requestheader-username-headers': 'X-Remote-User',
    'secure-port': '6443',
    'service-account-issuer': 'https://kubernetes.default.svc.cluster.local',
    'service-account-key-file': '/etc/kubernetes/pki/sa.pub',
    'service-account-signing-key-file': '/etc/kubernetes/pki/sa.key',
    'service-cluster-ip-range': '10.96.0.0/12',
    'tls-cert-file': '/etc/kubernetes/pki/apiserver.crt',
    'tls-private-key-file': '/etc/kubernetes/pki/apiserver.key',
    ...extra,
  };
  return ['kube-apiserver', ...sortedFlags(args)];
}

/**
 * `etcd35`: kubeadm with etcd 3.5 passed the experimental spellings (`--experimental-initial-corrupt-check`,
 * `--experimental-watch-progress-notify-interval`) that etcd 3.6 replaced by a feature gate and a plain flag.
 */
export function kubeadmEtcdArgs(
  node: string,
  ip: string,
  extra: Record<string, string> = {},
  etcd35 = false,
): string[] {
  const args: Record<string, string> = {
    'advertise-client-urls': `https://${ip}:2379`,
    'cert-file': '/etc/kubernetes/pki/etcd/server.crt',
    'client-cert-auth': 'true',
    'data-dir': '/var/lib/etcd',
    'feature-gates': 'InitialCorruptCheck=true',
    'initial-advertise-peer-urls': `https://${ip}:2380`,
    'initial-cluster': `${node}=https://${ip}:2380`,
    'key-file': '/etc/kubernetes/pki/etcd/server.key',
    'listen-client-urls': `https://127.0.0.1:2379,https://${ip}:2379`,
    'listen-metrics-urls': 'http://127.0.0.1:2381',
    'listen-peer-urls': `https://${ip}:2380`,
    name: node,
    'peer-cert-file': '/etc/kubernetes/pki/etcd/peer.crt',
    'peer-client-cert-auth': 'true',
    'peer-key-file': '/etc/kubernetes/pki/etcd/peer.key',
    'peer-trusted-ca-file': '/etc/kubernetes/pki/etcd/ca.crt',
    'snapshot-count': '10000',
    'trusted-ca-file': '/etc/kubernetes/pki/etcd/ca.crt',
    'watch-progress-notify-interval': '5s',
    ...extra,
  };
  if (etcd35) {
    delete args['feature-gates'];
    delete args['watch-progress-notify-interval'];
    args['experimental-initial-corrupt-check'] = 'true';
    args['experimental-watch-progress-notify-interval'] = '5s';
  }
  return ['etcd', ...sortedFlags(args)];
}

export function kubeadmControllerManagerArgs(extra: Record<string, string> = {}): string[] {
  const args: Record<string, string> = {
    'allocate-node-cidrs': 'true',
    'authentication-kubeconfig': '/etc/kubernetes/controller-manager.conf',
    'authorization-kubeconfig': '/etc/kubernetes/controller-manager.conf',
    'bind-address': '127.0.0.1',
    'client-ca-file': '/etc/kubernetes/pki/ca.crt',
    'cluster-cidr': '192.168.0.0/16',
    'cluster-name': 'kubernetes',
    'cluster-signing-cert-file': '/etc/kubernetes/pki/ca.crt',
    'cluster-signing-key-file': '/etc/kubernetes/pki/ca.key',
    controllers: '*,bootstrapsigner,tokencleaner',
    kubeconfig: '/etc/kubernetes/controller-manager.conf',
    'leader-elect': 'true',
    'requestheader-client-ca-file': '/etc/kubernetes/pki/front-proxy-ca.crt',
    'root-ca-file': '/etc/kubernetes/pki/ca.crt',
    'service-account-private-key-file': '/etc/kubernetes/pki/sa.key',
    'service-cluster-ip-range': '10.96.0.0/12',
    'use-service-account-credentials': 'true',
    ...extra,
  };
  return ['kube-controller-manager', ...sortedFlags(args)];
}

export function kubeadmSchedulerArgs(extra: Record<string, string> = {}): string[] {
  const args: Record<string, string> = {
    'authentication-kubeconfig': '/etc/kubernetes/scheduler.conf',
    'authorization-kubeconfig': '/etc/kubernetes/scheduler.conf',
    'bind-address': '127.0.0.1',
    kubeconfig: '/etc/kubernetes/scheduler.conf',
    'leader-elect': 'true',
    ...extra,
  };
  return ['kube-scheduler', ...sortedFlags(args)];
}

export const PKI_MOUNTS = [
  { name: 'ca-certs', path: '/etc/ssl/certs', readOnly: true },
  { name: 'k8s-certs', path: '/etc/kubernetes/pki', readOnly: true },
];

/** Certificates a kubeadm control-plane node has on disk (only the ones the audit reads). */
export function kubeadmPki(): Record<string, FileSpec> {
  return {
    '/etc/kubernetes/pki/ca.crt': cert('kubeadm-ca.crt'),
    '/etc/kubernetes/pki/etcd/ca.crt': cert('kubeadm-etcd-ca.crt'),
    '/etc/kubernetes/pki/apiserver-etcd-client.crt': cert('kubeadm-apiserver-etcd-client.crt'),
  };
}

export interface KubeadmNode {
  name: string;
  hostname: string;
  ip: string;
  prefix: number;
  version: string;
  etcdImage: string;
  pauseImage: string;
  dpkgVersion?: string;
  apiserverExtra?: Record<string, string>;
  etcdExtra?: Record<string, string>;
  controllerManagerExtra?: Record<string, string>;
  schedulerExtra?: Record<string, string>;
  kubeletExtraArgs?: string[];
  kubeletConfigExtra?: string[];
  /** Flags kubeadm writes to kubeadm-flags.env; default: CRI endpoint and pause image (kubeadm before 1.35). */
  kubeadmFlags?: string[];
  /** See kubeadmKubeletConfig. */
  kubeletConfigOptions?: { runtimeEndpoint?: string; drop?: string[] };
  /** etcd 3.5 flag spellings (see kubeadmEtcdArgs). */
  etcd35?: boolean;
  etcdServers?: string;
  /** false: external etcd (no etcd static pod). */
  stackedEtcd?: boolean;
  /** false: a worker (no control plane static pods). */
  controlPlane?: boolean;
  registry?: string;
  extraProcesses?: ProcessSpec[];
  extraFiles?: Record<string, FileSpec>;
}

/** A kubeadm node: kubelet under systemd, control plane as static pods under containerd. */
export function kubeadmHost(n: KubeadmNode): HostSpec {
  const registry = n.registry ?? 'registry.k8s.io';
  const controlPlane = n.controlPlane ?? true;
  const stacked = controlPlane && (n.stackedEtcd ?? true);
  const kubeadmFlags = n.kubeadmFlags ?? [
    `--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock`,
    `--pod-infra-container-image=${n.pauseImage}`,
  ];
  const kubeletArgs = [
    '/usr/bin/kubelet',
    '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
    '--kubeconfig=/etc/kubernetes/kubelet.conf',
    '--config=/var/lib/kubelet/config.yaml',
    ...kubeadmFlags,
    ...(n.kubeletExtraArgs ?? []),
  ];
  const processes: ProcessSpec[] = [
    SYSTEMD,
    SSHD,
    CONTAINERD,
    {
      pid: 812,
      ppid: 1,
      argv: kubeletArgs,
      startedAfterBootS: 12,
      threads: 21,
      listens: [
        { address: '127.0.0.1', port: 10248 },
        { address: '::', port: 10250 },
        { address: '127.0.0.1', port: 44217 },
      ],
    },
  ];
  const files: Record<string, FileSpec> = {
    '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': KUBEADM_FLAGS_UNIT,
    '/var/lib/kubelet/kubeadm-flags.env': `KUBELET_KUBEADM_ARGS="${[...kubeadmFlags, ...(n.kubeletExtraArgs ?? [])].join(' ')}"\n`,
    '/var/lib/kubelet/config.yaml': kubeadmKubeletConfig(n.kubeletConfigExtra, n.kubeletConfigOptions),
    '/etc/kubernetes/kubelet.conf': kubeadmKubeletConf(
      n.hostname,
      controlPlane ? `https://${n.ip}:6443` : 'https://10.0.0.10:6443',
    ),
    '/etc/kubernetes/pki/ca.crt': cert('kubeadm-ca.crt'),
    ...kubeletPki(n.hostname, '2026-11-20-06-00-41'),
    ...(n.dpkgVersion ? { '/var/lib/dpkg/status': dpkgKubelet(n.dpkgVersion) } : {}),
  };
  if (controlPlane) {
    const apiserver = kubeadmApiserverArgs(n.ip, n.apiserverExtra, n.etcdServers);
    const kcm = kubeadmControllerManagerArgs(n.controllerManagerExtra);
    const scheduler = kubeadmSchedulerArgs(n.schedulerExtra);
    const kcmBind = n.controllerManagerExtra?.['bind-address'] === '0.0.0.0' ? '::' : '127.0.0.1';
    const schedulerBind = n.schedulerExtra?.['bind-address'] === '0.0.0.0' ? '::' : '127.0.0.1';
    processes.push(
      shim(1101, 'a3f0c1d2e4b5a6978812'),
      {
        pid: 1210,
        ppid: 1101,
        argv: apiserver,
        exe: '/usr/local/bin/kube-apiserver',
        startedAfterBootS: 45,
        threads: 14,
        listens: [{ address: '::', port: 6443 }],
      },
      shim(1102, 'b4e1d2c3f5a6b7089923'),
      {
        pid: 1230,
        ppid: 1102,
        argv: kcm,
        exe: '/usr/local/bin/kube-controller-manager',
        startedAfterBootS: 46,
        listens: [{ address: kcmBind, port: 10257 }],
      },
      shim(1103, 'c5f2e3d4a6b7c8190034'),
      {
        pid: 1250,
        ppid: 1103,
        argv: scheduler,
        exe: '/usr/local/bin/kube-scheduler',
        startedAfterBootS: 46,
        listens: [{ address: schedulerBind, port: 10259 }],
      },
    );
    Object.assign(files, kubeadmPki(), {
      '/etc/kubernetes/manifests/kube-apiserver.yaml': staticPod({
        name: 'kube-apiserver',
        image: `${registry}/kube-apiserver:${n.version}`,
        command: apiserver,
        mounts: PKI_MOUNTS,
        annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${n.ip}:6443` },
      }),
      '/etc/kubernetes/manifests/kube-controller-manager.yaml': staticPod({
        name: 'kube-controller-manager',
        image: `${registry}/kube-controller-manager:${n.version}`,
        command: kcm,
        mounts: [
          ...PKI_MOUNTS,
          { name: 'kubeconfig', path: '/etc/kubernetes/controller-manager.conf', readOnly: true },
        ],
      }),
      '/etc/kubernetes/manifests/kube-scheduler.yaml': staticPod({
        name: 'kube-scheduler',
        image: `${registry}/kube-scheduler:${n.version}`,
        command: scheduler,
        mounts: [{ name: 'kubeconfig', path: '/etc/kubernetes/scheduler.conf', readOnly: true }],
      }),
    });
    if (stacked) {
      const etcd = kubeadmEtcdArgs(n.hostname, n.ip, n.etcdExtra, n.etcd35);
      const metrics = n.etcdExtra?.['listen-metrics-urls'] === 'http://0.0.0.0:2381' ? '0.0.0.0' : '127.0.0.1';
      processes.push(shim(1104, 'd6a3f4e5b7c8d9201145'), {
        pid: 1190,
        ppid: 1104,
        argv: etcd,
        exe: '/usr/local/bin/etcd',
        startedAfterBootS: 44,
        threads: 16,
        environ: containerEnviron(n.hostname),
        listens: [
          { address: '127.0.0.1', port: 2379 },
          { address: n.ip, port: 2379 },
          { address: n.ip, port: 2380 },
          { address: metrics, port: 2381 },
        ],
      });
      files['/etc/kubernetes/manifests/etcd.yaml'] = staticPod({
        name: 'etcd',
        image: `${registry}/etcd:${n.etcdImage}`,
        command: etcd,
        annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${n.ip}:2379` },
        mounts: [
          { name: 'etcd-certs', path: '/etc/kubernetes/pki/etcd' },
          { name: 'etcd-data', path: '/var/lib/etcd' },
        ],
      });
    }
  }
  processes.push(...(n.extraProcesses ?? []));
  Object.assign(files, n.extraFiles ?? {});
  return {
    name: n.name,
    hostname: n.hostname,
    ipv4: [{ address: n.ip, prefix: n.prefix, device: 'ens3' }],
    ipv6: [{ address: 'fe80::f816:3eff:fe4a:1b2c', prefix: 64, scope: '20', device: 'ens3' }],
    processes,
    files,
  };
}

/**
 * kubeadm's kube-proxy DaemonSet pod (cmd/kubeadm/app/phases/addons/proxy/manifests.go): the
 * container argv and its ConfigMap, which collect sees at <root>/<path> (see README).
 */
export function kubeadmKubeProxy(
  node: string,
  shimId: string,
): { processes: ProcessSpec[]; files: Record<string, FileSpec> } {
  return {
    processes: [
      shim(1105, shimId),
      {
        pid: 1320,
        ppid: 1105,
        argv: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', `--hostname-override=${node}`],
        startedAfterBootS: 60,
        listens: [
          { address: '127.0.0.1', port: 10249 },
          { address: '::', port: 10256 },
        ],
      },
    ],
    files: {
      '/var/lib/kube-proxy/config.conf': [
        'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
        'bindAddress: 0.0.0.0',
        'clientConnection:',
        '  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf',
        'healthzBindAddress: ""',
        'kind: KubeProxyConfiguration',
        'metricsBindAddress: ""',
        'mode: ""',
        '',
      ].join('\n'),
    },
  };
}
