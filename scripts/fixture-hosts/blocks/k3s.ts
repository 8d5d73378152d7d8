// k3s building blocks (k3s-io/k3s): the component flags k3s logs at start, its agent files, its
// service unit and its processes.
import { logrusLine, serviceFields, type ExportEntry } from '../../journal-fixture.js';
import { kubeconfig } from './common.js';
import { START_US } from './journal.js';
import { cert } from '../certs.js';
import type { FileSpec, ProcessSpec } from '../spec.js';

/** What one k3s process logs at start (k3s-io/k3s:pkg/daemons/control/server.go, pkg/daemons/agent/agent.go): its version, then each component's command line. */
export function k3sStart(
  opts: {
    pid: number;
    unit: string;
    bootId: string;
    version: string;
    agent: boolean;
    lines: Array<[string, string[]]>;
  },
  clock: { t: number },
): ExportEntry[] {
  const entry = (message: string): ExportEntry => {
    clock.t += 1000;
    return {
      realtime: clock.t,
      monotonic: clock.t - START_US + 30_000_000,
      bootId: opts.bootId,
      fields: serviceFields(opts.unit, opts.pid, 'k3s', logrusLine(clock.t, message)),
    };
  };
  const starting = opts.agent
    ? `Starting k3s agent ${opts.version} (5a2fe4b1)`
    : `Starting k3s ${opts.version} (5a2fe4b1)`;
  return [entry(starting), ...opts.lines.map(([component, args]) => entry(`Running ${component} ${args.join(' ')}`))];
}

export const K3S = '/var/lib/rancher/k3s';

export const K3S_VERSION = 'v1.33.4+k3s1';

/** k3s v1.33's kube-apiserver flags on a default server (k3s-io/k3s:pkg/daemons/control/server.go `apiServer`). */
export function k3sApiserverArgs(ip: string, extra: string[] = []): string[] {
  const tls = `${K3S}/server/tls`;
  return [
    `--advertise-address=${ip}`,
    '--advertise-port=6443',
    '--allow-privileged=true',
    '--anonymous-auth=false',
    '--api-audiences=https://kubernetes.default.svc.cluster.local,k3s',
    '--authorization-mode=Node,RBAC',
    '--bind-address=127.0.0.1',
    `--cert-dir=${tls}/temporary-certs`,
    `--client-ca-file=${tls}/client-ca.crt`,
    `--egress-selector-config-file=${K3S}/server/etc/egress-selector-config.yaml`,
    '--enable-admission-plugins=NodeRestriction',
    '--enable-aggregator-routing=true',
    '--enable-bootstrap-token-auth=true',
    '--etcd-servers=unix://kine.sock',
    `--kubelet-certificate-authority=${tls}/server-ca.crt`,
    `--kubelet-client-certificate=${tls}/client-kube-apiserver.crt`,
    `--kubelet-client-key=${tls}/client-kube-apiserver.key`,
    '--profiling=false',
    `--proxy-client-cert-file=${tls}/client-auth-proxy.crt`,
    `--proxy-client-key-file=${tls}/client-auth-proxy.key`,
    '--requestheader-allowed-names=system:auth-proxy',
    `--requestheader-client-ca-file=${tls}/request-header-ca.crt`,
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-username-headers=X-Remote-User',
    '--secure-port=6444',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${tls}/service.key`,
    `--service-account-signing-key-file=${tls}/service.current.key`,
    '--service-cluster-ip-range=10.43.0.0/16',
    '--service-node-port-range=30000-32767',
    '--storage-backend=etcd3',
    `--tls-cert-file=${tls}/serving-kube-apiserver.crt`,
    `--tls-private-key-file=${tls}/serving-kube-apiserver.key`,
    ...extra,
  ];
}

export const K3S_KCM_ARGS = [
  '--allocate-node-cidrs=true',
  `--authentication-kubeconfig=${K3S}/server/cred/controller.kubeconfig`,
  `--authorization-kubeconfig=${K3S}/server/cred/controller.kubeconfig`,
  '--bind-address=127.0.0.1',
  '--cluster-cidr=10.42.0.0/16',
  `--kubeconfig=${K3S}/server/cred/controller.kubeconfig`,
  '--profiling=false',
  `--root-ca-file=${K3S}/server/tls/server-ca.crt`,
  '--secure-port=10257',
  `--service-account-private-key-file=${K3S}/server/tls/service.current.key`,
  '--use-service-account-credentials=true',
];

export const K3S_SCHEDULER_ARGS = [
  `--authentication-kubeconfig=${K3S}/server/cred/scheduler.kubeconfig`,
  `--authorization-kubeconfig=${K3S}/server/cred/scheduler.kubeconfig`,
  '--bind-address=127.0.0.1',
  `--kubeconfig=${K3S}/server/cred/scheduler.kubeconfig`,
  '--profiling=false',
  '--secure-port=10259',
];

/** The kubelet flags k3s's agent passes besides the drop-in (k3s-io/k3s:pkg/daemons/agent/agent_linux.go `kubeletArgsAndConfig`). */
export function k3sKubeletArgs(node: string, ip: string, extra: string[] = []): string[] {
  return [
    `--config-dir=${K3S}/agent/etc/kubelet.conf.d`,
    `--hostname-override=${node}`,
    `--kubeconfig=${K3S}/agent/kubelet.kubeconfig`,
    `--node-ip=${ip}`,
    '--node-labels=',
    '--read-only-port=0',
    ...extra,
  ];
}

export function k3sProxyArgs(node: string): string[] {
  return [
    '--cluster-cidr=10.42.0.0/16',
    '--conntrack-max-per-core=0',
    '--conntrack-tcp-timeout-close-wait=0s',
    '--conntrack-tcp-timeout-established=0s',
    '--healthz-bind-address=127.0.0.1',
    `--hostname-override=${node}`,
    `--kubeconfig=${K3S}/agent/kubeproxy.kubeconfig`,
    '--proxy-mode=iptables',
  ];
}

/** The drop-in k3s ≥ 1.29 writes for its kubelet (k3s-io/k3s:pkg/daemons/agent/agent_linux.go). */
export function k3sKubeletDropIn(): string {
  return [
    'address: 0.0.0.0',
    'apiVersion: kubelet.config.k8s.io/v1beta1',
    'authentication:',
    '  anonymous:',
    '    enabled: false',
    '  webhook:',
    '    cacheTTL: 2m0s',
    '    enabled: true',
    '  x509:',
    `    clientCAFile: ${K3S}/agent/client-ca.crt`,
    'authorization:',
    '  mode: Webhook',
    '  webhook:',
    '    cacheAuthorizedTTL: 5m0s',
    '    cacheUnauthorizedTTL: 30s',
    'cgroupDriver: systemd',
    'clusterDNS:',
    '- 10.43.0.10',
    'clusterDomain: cluster.local',
    'containerRuntimeEndpoint: unix:///run/k3s/containerd/containerd.sock',
    'failSwapOn: false',
    'healthzBindAddress: 127.0.0.1',
    'kind: KubeletConfiguration',
    `staticPodPath: ${K3S}/agent/pod-manifests`,
    `tlsCertFile: ${K3S}/agent/serving-kubelet.crt`,
    `tlsPrivateKeyFile: ${K3S}/agent/serving-kubelet.key`,
    '',
  ].join('\n');
}

export function k3sAgentFiles(node: string): Record<string, FileSpec> {
  return {
    [`${K3S}/agent/etc/kubelet.conf.d/00-k3s-defaults.conf`]: k3sKubeletDropIn(),
    [`${K3S}/agent/client-ca.crt`]: cert('k3s-client-ca.crt'),
    [`${K3S}/agent/client-kubelet.crt`]: cert(`k3s-kubelet-${node}.crt`),
    [`${K3S}/agent/kubelet.kubeconfig`]: kubeconfig({
      server: 'https://127.0.0.1:6443',
      user: 'user',
      ca: `certificate-authority: ${K3S}/agent/server-ca.crt`,
      certLines: [`client-certificate: ${K3S}/agent/client-kubelet.crt`, `client-key: ${K3S}/agent/client-kubelet.key`],
    }),
  };
}

export const K3S_SERVICE = [
  '[Unit]',
  'Description=Lightweight Kubernetes',
  'Documentation=https://k3s.io',
  '[Service]',
  'Type=notify',
  'ExecStart=/usr/local/bin/k3s \\',
  '    server \\',
  '',
].join('\n');

/** The k3s process: it rewrites its title to one argument with a space (`/usr/local/bin/k3s server`). */
export function k3sProcess(pid: number, role: 'server' | 'agent', listens: ProcessSpec['listens']): ProcessSpec {
  return {
    pid,
    ppid: 1,
    argv: [`/usr/local/bin/k3s ${role}`],
    comm: `k3s-${role}`,
    exe: '/usr/local/bin/k3s',
    startedAfterBootS: 30,
    threads: 40,
    listens,
  };
}

export function k3sContainerd(pid: number, ppid: number): ProcessSpec {
  return {
    pid,
    ppid,
    argv: ['containerd', '-c', `${K3S}/agent/etc/containerd/config.toml`, '-a', '/run/k3s/containerd/containerd.sock'],
    exe: `${K3S}/data/5a2fe4b1/bin/containerd`,
    startedAfterBootS: 31,
  };
}

export const K3S_SERVER_LISTENS = [
  // The supervisor (and its apiserver proxy) on 6443, the apiserver itself on 6444 (loopback).
  { address: '::', port: 6443 },
  { address: '127.0.0.1', port: 6444 },
  { address: '::', port: 10250 },
  { address: '127.0.0.1', port: 10248 },
  { address: '127.0.0.1', port: 10249 },
  { address: '::', port: 10256 },
  { address: '127.0.0.1', port: 10257 },
  { address: '127.0.0.1', port: 10259 },
];

/**
 * Stands in for the k3s executable: the audit looks for the version k3s's build stamps into it
 * (`-X github.com/k3s-io/k3s/pkg/version.Version=v1.33.4+k3s1`, k3s-io/k3s:scripts/build); a real
 * binary holds it among ~70 MiB of code, and Kubernetes' own `v1.33.4-k3s1` beside it.
 */
export function k3sBinary(version: string): string {
  return `\u007fELF (fixture stand-in for the k3s executable)\u0000github.com/k3s-io/k3s/pkg/version.Version\u0000${version}\u0000gitVersion\u0000v1.33.4-k3s1\u0000`;
}

/**
 * The etcd config file k3s writes for its embedded etcd (k3s-io/k3s:pkg/etcd, executor
 * ETCDConfig), which RKE2 shares; `extra` keys go in their sorted place after election-timeout.
 */
export function k3sEtcdConfig(o: { dataDir: string; tls: string; ip: string; name: string; extra?: string[] }): string {
  const { dataDir, tls, ip, name } = o;
  return [
    `advertise-client-urls: https://${ip}:2379`,
    'client-transport-security:',
    `  cert-file: ${tls}/etcd/server-client.crt`,
    '  client-cert-auth: true',
    `  key-file: ${tls}/etcd/server-client.key`,
    `  trusted-ca-file: ${tls}/etcd/server-ca.crt`,
    `data-dir: ${dataDir}`,
    'election-timeout: 5000',
    ...(o.extra ?? []),
    'heartbeat-interval: 500',
    `initial-advertise-peer-urls: https://${ip}:2380`,
    `initial-cluster: ${name}=https://${ip}:2380`,
    'initial-cluster-state: new',
    'listen-client-http-urls: https://127.0.0.1:2382',
    `listen-client-urls: https://127.0.0.1:2379,https://${ip}:2379`,
    'listen-metrics-urls: http://127.0.0.1:2381',
    `listen-peer-urls: https://127.0.0.1:2380,https://${ip}:2380`,
    'log-outputs:',
    '- stderr',
    'logger: zap',
    `name: ${name}`,
    'peer-transport-security:',
    `  cert-file: ${tls}/etcd/peer-server-client.crt`,
    '  client-cert-auth: true',
    `  key-file: ${tls}/etcd/peer-server-client.key`,
    `  trusted-ca-file: ${tls}/etcd/peer-ca.crt`,
    'snapshot-count: 10000',
    '',
  ].join('\n');
}
