// Fake roots of distributions that run Kubernetes components inside their own process or as its
// children (issue 8): k3s (journal), MicroK8s (kubelite args files), k0s (children of `k0s`).
// Imported by make-fixture-hosts.ts, whose shared building blocks these use; facts and their
// sources are listed in each fixture's README.md.
import { logrusLine, serviceFields, type ExportEntry } from './journal-fixture.js';
import { cert, kubeconfig, SSHD, SYSTEMD, type FileSpec, type HostSpec, type ProcessSpec } from './make-fixture-hosts.js';

const MACHINE_ID = '7c1e9a04b2d84f6e9a3b5c7d1e2f4a68';
const BOOT_ID = '3f9d2c1b8a7e4d6c9b0a1f2e3d4c5b6a';
const PREVIOUS_BOOT_ID = 'c0ffee00c0ffee00c0ffee00c0ffee00';
/** 2026-11-20T06:00:30Z: half a minute after the fixtures' boot time. */
const START_US = Date.parse('2026-11-20T06:00:30Z') * 1000;

function bootIdFile(): string {
  return `${BOOT_ID.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}\n`;
}

/** Lines of other units around the k3s lines, as a journal always has. */
function noise(bootId: string, count: number, clock: { t: number }): ExportEntry[] {
  const units = ['containerd.service', 'cron.service', 'systemd-networkd.service', 'ssh.service'];
  return Array.from({ length: count }, (_, i) => {
    const unit = units[i % units.length]!;
    clock.t += 1000;
    return { realtime: clock.t, monotonic: clock.t - START_US + 30_000_000, bootId, fields: serviceFields(unit, 400 + (i % 9), unit.split('.')[0]!, `routine message ${i} of ${unit}`) };
  });
}

/** What one k3s process logs at start (k3s-io/k3s:pkg/daemons/control/server.go, pkg/daemons/agent/agent.go): its version, then each component's command line. */
function k3sStart(opts: { pid: number; unit: string; bootId: string; version: string; agent: boolean; lines: Array<[string, string[]]> }, clock: { t: number }): ExportEntry[] {
  const entry = (message: string): ExportEntry => {
    clock.t += 1000;
    return { realtime: clock.t, monotonic: clock.t - START_US + 30_000_000, bootId: opts.bootId, fields: serviceFields(opts.unit, opts.pid, 'k3s', logrusLine(clock.t, message)) };
  };
  const starting = opts.agent ? `Starting k3s agent ${opts.version} (5a2fe4b1)` : `Starting k3s ${opts.version} (5a2fe4b1)`;
  return [entry(starting), ...opts.lines.map(([component, args]) => entry(`Running ${component} ${args.join(' ')}`))];
}

function journalFiles(entries: ExportEntry[]): Record<string, FileSpec> {
  return {
    '/etc/machine-id': `${MACHINE_ID}\n`,
    '/proc/sys/kernel/random/boot_id': bootIdFile(),
    [`/var/log/journal/${MACHINE_ID}/system.journal`]: { journal: entries },
  };
}

const K3S = '/var/lib/rancher/k3s';
const K3S_VERSION = 'v1.33.4+k3s1';

/** k3s v1.33's kube-apiserver flags on a default server (k3s-io/k3s:pkg/daemons/control/server.go `apiServer`). */
function k3sApiserverArgs(ip: string, extra: string[] = []): string[] {
  const tls = `${K3S}/server/tls`;
  return [
    `--advertise-address=${ip}`, '--advertise-port=6443', '--allow-privileged=true', '--anonymous-auth=false',
    '--api-audiences=https://kubernetes.default.svc.cluster.local,k3s', '--authorization-mode=Node,RBAC', '--bind-address=127.0.0.1',
    `--cert-dir=${tls}/temporary-certs`, `--client-ca-file=${tls}/client-ca.crt`, `--egress-selector-config-file=${K3S}/server/etc/egress-selector-config.yaml`,
    '--enable-admission-plugins=NodeRestriction', '--enable-aggregator-routing=true', '--enable-bootstrap-token-auth=true',
    '--etcd-servers=unix://kine.sock', `--kubelet-certificate-authority=${tls}/server-ca.crt`,
    `--kubelet-client-certificate=${tls}/client-kube-apiserver.crt`, `--kubelet-client-key=${tls}/client-kube-apiserver.key`, '--profiling=false',
    `--proxy-client-cert-file=${tls}/client-auth-proxy.crt`, `--proxy-client-key-file=${tls}/client-auth-proxy.key`,
    '--requestheader-allowed-names=system:auth-proxy', `--requestheader-client-ca-file=${tls}/request-header-ca.crt`,
    '--requestheader-extra-headers-prefix=X-Remote-Extra-', '--requestheader-group-headers=X-Remote-Group', '--requestheader-username-headers=X-Remote-User',
    '--secure-port=6444', '--service-account-issuer=https://kubernetes.default.svc.cluster.local', `--service-account-key-file=${tls}/service.key`,
    `--service-account-signing-key-file=${tls}/service.current.key`, '--service-cluster-ip-range=10.43.0.0/16', '--service-node-port-range=30000-32767',
    '--storage-backend=etcd3', `--tls-cert-file=${tls}/serving-kube-apiserver.crt`, `--tls-private-key-file=${tls}/serving-kube-apiserver.key`,
    ...extra,
  ];
}

const K3S_KCM_ARGS = [
  '--allocate-node-cidrs=true', `--authentication-kubeconfig=${K3S}/server/cred/controller.kubeconfig`, `--authorization-kubeconfig=${K3S}/server/cred/controller.kubeconfig`,
  '--bind-address=127.0.0.1', '--cluster-cidr=10.42.0.0/16', `--kubeconfig=${K3S}/server/cred/controller.kubeconfig`, '--profiling=false',
  `--root-ca-file=${K3S}/server/tls/server-ca.crt`, '--secure-port=10257', `--service-account-private-key-file=${K3S}/server/tls/service.current.key`,
  '--use-service-account-credentials=true',
];
const K3S_SCHEDULER_ARGS = [
  `--authentication-kubeconfig=${K3S}/server/cred/scheduler.kubeconfig`, `--authorization-kubeconfig=${K3S}/server/cred/scheduler.kubeconfig`,
  '--bind-address=127.0.0.1', `--kubeconfig=${K3S}/server/cred/scheduler.kubeconfig`, '--profiling=false', '--secure-port=10259',
];

/** The kubelet flags k3s's agent passes besides the drop-in (k3s-io/k3s:pkg/daemons/agent/agent_linux.go `kubeletArgsAndConfig`). */
function k3sKubeletArgs(node: string, ip: string, extra: string[] = []): string[] {
  return [
    `--config-dir=${K3S}/agent/etc/kubelet.conf.d`, `--hostname-override=${node}`,
    `--kubeconfig=${K3S}/agent/kubelet.kubeconfig`, `--node-ip=${ip}`, '--node-labels=', '--read-only-port=0', ...extra,
  ];
}

function k3sProxyArgs(node: string): string[] {
  return ['--cluster-cidr=10.42.0.0/16', '--conntrack-max-per-core=0', '--conntrack-tcp-timeout-close-wait=0s', '--conntrack-tcp-timeout-established=0s',
    '--healthz-bind-address=127.0.0.1', `--hostname-override=${node}`, `--kubeconfig=${K3S}/agent/kubeproxy.kubeconfig`, '--proxy-mode=iptables'];
}

/** The drop-in k3s ≥ 1.29 writes for its kubelet (k3s-io/k3s:pkg/daemons/agent/agent_linux.go). */
function k3sKubeletDropIn(): string {
  return [
    'address: 0.0.0.0', 'apiVersion: kubelet.config.k8s.io/v1beta1', 'authentication:', '  anonymous:', '    enabled: false',
    '  webhook:', '    cacheTTL: 2m0s', '    enabled: true', '  x509:', `    clientCAFile: ${K3S}/agent/client-ca.crt`,
    'authorization:', '  mode: Webhook', '  webhook:', '    cacheAuthorizedTTL: 5m0s', '    cacheUnauthorizedTTL: 30s',
    'cgroupDriver: systemd', 'clusterDNS:', '- 10.43.0.10', 'clusterDomain: cluster.local', 'containerRuntimeEndpoint: unix:///run/k3s/containerd/containerd.sock',
    'failSwapOn: false', 'healthzBindAddress: 127.0.0.1', 'kind: KubeletConfiguration', `staticPodPath: ${K3S}/agent/pod-manifests`,
    `tlsCertFile: ${K3S}/agent/serving-kubelet.crt`, `tlsPrivateKeyFile: ${K3S}/agent/serving-kubelet.key`, '',
  ].join('\n');
}

function k3sAgentFiles(node: string): Record<string, FileSpec> {
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

const K3S_SERVICE = ['[Unit]', 'Description=Lightweight Kubernetes', 'Documentation=https://k3s.io', '[Service]', 'Type=notify', 'ExecStart=/usr/local/bin/k3s \\', '    server \\', ''].join('\n');

/** The k3s process: it rewrites its title to one argument with a space (`/usr/local/bin/k3s server`). */
function k3sProcess(pid: number, role: 'server' | 'agent', listens: ProcessSpec['listens']): ProcessSpec {
  return { pid, ppid: 1, argv: [`/usr/local/bin/k3s ${role}`], comm: `k3s-${role}`, exe: '/usr/local/bin/k3s', startedAfterBootS: 30, threads: 40, listens };
}

function k3sContainerd(pid: number, ppid: number): ProcessSpec {
  return { pid, ppid, argv: ['containerd', '-c', `${K3S}/agent/etc/containerd/config.toml`, '-a', '/run/k3s/containerd/containerd.sock'], exe: `${K3S}/data/5a2fe4b1/bin/containerd`, startedAfterBootS: 31 };
}

const K3S_SERVER_LISTENS = [
  // The supervisor (and its apiserver proxy) on 6443, the apiserver itself on 6444 (loopback).
  { address: '::', port: 6443 }, { address: '127.0.0.1', port: 6444 },
  { address: '::', port: 10250 }, { address: '127.0.0.1', port: 10248 },
  { address: '127.0.0.1', port: 10249 }, { address: '::', port: 10256 },
  { address: '127.0.0.1', port: 10257 }, { address: '127.0.0.1', port: 10259 },
];

/** A default k3s server (SQLite through kine), its component command lines in the journal. */
export function k3sServer(): HostSpec {
  const node = 'k3s-server-1';
  const ip = '10.0.4.11';
  const pid = 1207;
  const clock = { t: START_US };
  const lines: Array<[string, string[]]> = [
    ['kube-apiserver', k3sApiserverArgs(ip)],
    ['kube-scheduler', K3S_SCHEDULER_ARGS],
    ['kube-controller-manager', K3S_KCM_ARGS],
    ['kubelet', k3sKubeletArgs(node, ip)],
    ['kube-proxy', k3sProxyArgs(node)],
  ];
  const entries = [
    ...noise(BOOT_ID, 30, clock),
    ...k3sStart({ pid, unit: 'k3s.service', bootId: BOOT_ID, version: K3S_VERSION, agent: false, lines }, clock),
    ...noise(BOOT_ID, 30, clock),
  ];
  return {
    name: 'k3s-server',
    hostname: node,
    ipv4: [{ address: ip, prefix: 24, device: 'eth0' }],
    ipv6: [],
    processes: [SYSTEMD, SSHD, k3sProcess(pid, 'server', K3S_SERVER_LISTENS), k3sContainerd(1230, pid)],
    files: {
      '/etc/systemd/system/k3s.service': K3S_SERVICE,
      [`${K3S}/server/db/state.db`]: '',
      [`${K3S}/server/tls/client-ca.crt`]: cert('k3s-client-ca.crt'),
      ...k3sAgentFiles(node),
      ...journalFiles(entries),
    },
  };
}

/** The same server after a reboot with a volatile journal: no line of the running k3s anywhere. */
export function k3sServerNoJournal(): HostSpec {
  const host = k3sServer();
  const clock = { t: START_US };
  // Only the previous boot's lines survive (an archived file): they must not decide a verdict.
  const previous = [...noise(PREVIOUS_BOOT_ID, 20, clock), ...k3sStart({ pid: 1207, unit: 'k3s.service', bootId: PREVIOUS_BOOT_ID, version: K3S_VERSION, agent: false, lines: [['kube-apiserver', k3sApiserverArgs('10.0.4.11', ['--authorization-mode=AlwaysAllow'])]] }, clock)];
  const files = { ...host.files };
  delete files[`/var/log/journal/${MACHINE_ID}/system.journal`];
  files[`/var/log/journal/${MACHINE_ID}/system@00000000000000000000000000000001-0000000000000001-0006400000000000.journal`] = { journal: previous };
  return { ...host, name: 'k3s-server-no-journal', files };
}

/**
 * A k3s agent whose operator passed `--kubelet-arg=anonymous-auth=true` (as in issue 8): k3s
 * appends it to the kubelet's flags, so the journal line shows it last, where it wins.
 */
export function k3sAgent(): HostSpec {
  const node = 'k3s-agent-1';
  const ip = '10.0.4.21';
  const pid = 1310;
  const clock = { t: START_US };
  const lines: Array<[string, string[]]> = [
    ['kubelet', k3sKubeletArgs(node, ip, ['--anonymous-auth=true'])],
    ['kube-proxy', k3sProxyArgs(node)],
  ];
  const entries = [...noise(BOOT_ID, 25, clock), ...k3sStart({ pid, unit: 'k3s-agent.service', bootId: BOOT_ID, version: K3S_VERSION, agent: true, lines }, clock), ...noise(BOOT_ID, 25, clock)];
  return {
    name: 'k3s-agent',
    hostname: node,
    ipv4: [{ address: ip, prefix: 24, device: 'eth0' }],
    ipv6: [],
    processes: [SYSTEMD, SSHD, k3sProcess(pid, 'agent', [{ address: '::', port: 10250 }, { address: '127.0.0.1', port: 10248 }, { address: '127.0.0.1', port: 10249 }, { address: '::', port: 10256 }, { address: '127.0.0.1', port: 6444 }]), k3sContainerd(1330, pid)],
    files: {
      '/etc/systemd/system/k3s-agent.service': K3S_SERVICE.replace('server', 'agent'),
      '/etc/rancher/k3s/config.yaml': 'server: https://10.0.4.11:6443\nkubelet-arg:\n- anonymous-auth=true\n',
      ...k3sAgentFiles(node),
      ...journalFiles(entries),
    },
  };
}

const SNAP_DATA = '/var/snap/microk8s/8492';

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
    `--scheduler-args-file=${args('kube-scheduler')}`, `--controller-manager-args-file=${args('kube-controller-manager')}`,
    `--proxy-args-file=${args('kube-proxy')}`, `--kubelet-args-file=${args('kubelet')}`, `--apiserver-args-file=${args('kube-apiserver')}`,
    `--kubeconfig-file=${SNAP_DATA}/credentials/client.config`, '--start-control-plane=true',
  ];
  return {
    name: 'microk8s',
    hostname: node,
    ipv4: [{ address: ip, prefix: 24, device: 'eth0' }],
    ipv6: [],
    processes: [
      SYSTEMD, SSHD,
      {
        pid: 2342, ppid: 1, argv: ['/snap/microk8s/8492/bin/k8s-dqlite', `--storage-dir=${SNAP_DATA}/var/kubernetes/backend/`, `--listen=unix://${SNAP_DATA}/var/kubernetes/backend/kine.sock:12379`],
        startedAfterBootS: 20, listens: [{ address: ip, port: 19001 }],
      },
      {
        pid: 4730, ppid: 1, argv: kubeliteArgv, startedAfterBootS: 25, threads: 60,
        listens: [{ address: '::', port: 16443 }, { address: '::', port: 10250 }, { address: '::', port: 10255 }, { address: '127.0.0.1', port: 10248 }, { address: '127.0.0.1', port: 10249 }, { address: '::', port: 10256 }, { address: '::', port: 10257 }, { address: '::', port: 10259 }],
      },
    ],
    files: {
      '/etc/systemd/system/snap.microk8s.daemon-kubelite.service': '[Service]\nExecStart=/usr/bin/snap run microk8s.daemon-kubelite\n',
      '/var/snap/microk8s/current': { symlink: '8492' },
      [`${SNAP_DATA}/var/kubernetes/backend/cluster.yaml`]: `- Address: ${ip}:19001\n  ID: 3297041220608546238\n  Role: 0\n`,
      [args('kubelite')]: kubeliteArgv.slice(1).join('\n') + '\n',
      // The 1.32 default file, verbatim in shape: comments, blank lines, quotes, ${SNAP_DATA}.
      [args('kube-apiserver')]: [
        '--cert-dir=${SNAP_DATA}/certs', '--service-cluster-ip-range=10.152.183.0/24', '--authorization-mode=RBAC,Node',
        '--service-account-key-file=${SNAP_DATA}/certs/serviceaccount.key', '--client-ca-file=${SNAP_DATA}/certs/ca.crt',
        '--tls-cert-file=${SNAP_DATA}/certs/server.crt', '--tls-private-key-file=${SNAP_DATA}/certs/server.key',
        '--kubelet-client-certificate=${SNAP_DATA}/certs/apiserver-kubelet-client.crt', '--kubelet-client-key=${SNAP_DATA}/certs/apiserver-kubelet-client.key',
        '--secure-port=16443', '--etcd-servers="unix://${SNAP_DATA}/var/kubernetes/backend/kine.sock:12379"', '--allow-privileged=true',
        "--service-account-issuer='https://kubernetes.default.svc'", '--service-account-signing-key-file=${SNAP_DATA}/certs/serviceaccount.key',
        '--event-ttl=5m', '--profiling=false', '', '# Enable the aggregation layer', '--requestheader-client-ca-file=${SNAP_DATA}/certs/front-proxy-ca.crt',
        '--requestheader-allowed-names=front-proxy-client', '--requestheader-extra-headers-prefix=X-Remote-Extra-', '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-username-headers=X-Remote-User', '--proxy-client-cert-file=${SNAP_DATA}/certs/front-proxy-client.crt',
        '--proxy-client-key-file=${SNAP_DATA}/certs/front-proxy-client.key', '#~Enable the aggregation layer', '--enable-admission-plugins=EventRateLimit',
        '--admission-control-config-file=${SNAP_DATA}/args/admission-control-config-file.yaml', '--kubelet-certificate-authority=${SNAP_DATA}/certs/ca.crt',
        '--kubelet-preferred-address-types=InternalIP,Hostname,InternalDNS,ExternalDNS,ExternalIP', '',
      ].join('\n'),
      [args('admission-control-config-file.yaml')]: [
        'apiVersion: apiserver.config.k8s.io/v1', 'kind: AdmissionConfiguration', 'plugins:', '  - name: EventRateLimit',
        '    path: ${SNAP_DATA}/args/eventconfig.yaml', '',
      ].join('\n'),
      [args('kube-controller-manager')]: [
        '--kubeconfig=${SNAP_DATA}/credentials/controller.config', '--service-account-private-key-file=${SNAP_DATA}/certs/serviceaccount.key',
        '--root-ca-file=${SNAP_DATA}/certs/ca.crt', '--cluster-signing-cert-file=${SNAP_DATA}/certs/ca.crt', '--cluster-signing-key-file=${SNAP_DATA}/certs/ca.key',
        '--use-service-account-credentials', '--leader-elect-lease-duration=60s', '--leader-elect-renew-deadline=30s', '--profiling=false', '',
      ].join('\n'),
      [args('kube-scheduler')]: ['--kubeconfig=${SNAP_DATA}/credentials/scheduler.config', '--leader-elect-lease-duration=60s', '--leader-elect-renew-deadline=30s', '--profiling=false', ''].join('\n'),
      [args('kubelet')]: [
        '--kubeconfig=${SNAP_DATA}/credentials/kubelet.config', '--cert-dir=${SNAP_DATA}/certs', '--client-ca-file=${SNAP_DATA}/certs/ca.crt',
        '--anonymous-auth=false', '--root-dir=${SNAP_COMMON}/var/lib/kubelet', '--fail-swap-on=false', '--feature-gates=DevicePlugins=true',
        '--eviction-hard="memory.available<100Mi,nodefs.available<1Gi,imagefs.available<1Gi"', '--container-runtime-endpoint=${SNAP_COMMON}/run/containerd.sock',
        '--node-labels="microk8s.io/cluster=true,node.kubernetes.io/microk8s-controlplane=microk8s-controlplane"',
        '--authentication-token-webhook=true', '',
      ].join('\n'),
      [args('kube-proxy')]: ['--kubeconfig=${SNAP_DATA}/credentials/proxy.config', '--cluster-cidr=10.1.0.0/16', '--healthz-bind-address=127.0.0.1', ''].join('\n'),
    },
  };
}

const K0S = '/var/lib/k0s';

function k0sControlPlane(ip: string): ProcessSpec[] {
  const pki = `${K0S}/pki`;
  return [
    {
      pid: 1410, ppid: 1400, argv: [`${K0S}/bin/etcd`, `--advertise-client-urls=https://127.0.0.1:2379`, `--cert-file=${pki}/etcd/server.crt`, '--client-cert-auth=true',
        `--data-dir=${K0S}/etcd`, `--initial-advertise-peer-urls=https://${ip}:2380`, `--key-file=${pki}/etcd/server.key`, '--listen-client-urls=https://127.0.0.1:2379',
        `--listen-peer-urls=https://${ip}:2380`, '--log-level=info', '--name=k0s-cp-1', `--peer-cert-file=${pki}/etcd/peer.crt`, '--peer-client-cert-auth=true',
        `--peer-key-file=${pki}/etcd/peer.key`, `--peer-trusted-ca-file=${pki}/etcd/ca.crt`, `--trusted-ca-file=${pki}/etcd/ca.crt`],
      uid: 998, startedAfterBootS: 20, listens: [{ address: '127.0.0.1', port: 2379 }, { address: ip, port: 2380 }],
      environ: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/var/lib/k0s'],
    },
    {
      pid: 1420, ppid: 1400, argv: [`${K0S}/bin/kube-apiserver`, '--allow-privileged=true', '--anonymous-auth=false', '--authorization-mode=Node,RBAC', `--client-ca-file=${pki}/ca.crt`,
        '--enable-admission-plugins=NodeRestriction', `--etcd-cafile=${pki}/etcd/ca.crt`, `--etcd-certfile=${pki}/apiserver-etcd-client.crt`,
        `--etcd-keyfile=${pki}/apiserver-etcd-client.key`, '--etcd-servers=https://127.0.0.1:2379', `--kubelet-client-certificate=${pki}/apiserver-kubelet-client.crt`,
        `--kubelet-client-key=${pki}/apiserver-kubelet-client.key`, '--profiling=false', `--requestheader-client-ca-file=${pki}/front-proxy-ca.crt`,
        '--secure-port=6443', '--service-account-issuer=https://kubernetes.default.svc', `--service-account-key-file=${pki}/sa.pub`,
        `--service-account-signing-key-file=${pki}/sa.key`, '--service-cluster-ip-range=10.96.0.0/12', `--tls-cert-file=${pki}/server.crt`, `--tls-private-key-file=${pki}/server.key`],
      uid: 997, startedAfterBootS: 22, listens: [{ address: '::', port: 6443 }],
    },
    {
      pid: 1430, ppid: 1400, argv: [`${K0S}/bin/kube-controller-manager`, `--authentication-kubeconfig=${pki}/ccm.conf`, `--authorization-kubeconfig=${pki}/ccm.conf`,
        '--bind-address=127.0.0.1', `--kubeconfig=${pki}/ccm.conf`, '--profiling=false', '--use-service-account-credentials=true'],
      uid: 996, startedAfterBootS: 24, listens: [{ address: '127.0.0.1', port: 10257 }],
    },
    {
      pid: 1440, ppid: 1400, argv: [`${K0S}/bin/kube-scheduler`, `--authentication-kubeconfig=${pki}/scheduler.conf`, `--authorization-kubeconfig=${pki}/scheduler.conf`,
        '--bind-address=127.0.0.1', `--kubeconfig=${pki}/scheduler.conf`, '--profiling=false'],
      uid: 996, startedAfterBootS: 24, listens: [{ address: '127.0.0.1', port: 10259 }],
    },
  ];
}

const K0S_YAML = ['apiVersion: k0s.k0sproject.io/v1beta1', 'kind: ClusterConfig', 'metadata:', '  name: k0s', 'spec:', '  storage:', '    type: etcd', ''].join('\n');

/** A k0s controller (issue 8): etcd, kube-apiserver, controller-manager and scheduler are children of `k0s controller`, no kubelet. */
const K0S_BINARIES: Record<string, string> = Object.fromEntries(
  ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet'].map((name) => [`/var/lib/k0s/bin/${name}`, '']),
);

export function k0sController(): HostSpec {
  const ip = '10.0.5.11';
  return {
    name: 'k0s-controller',
    hostname: 'k0s-cp-1',
    ipv4: [{ address: ip, prefix: 24, device: 'eth0' }],
    ipv6: [],
    processes: [
      SYSTEMD, SSHD,
      { pid: 1400, ppid: 1, argv: ['/usr/local/bin/k0s', 'controller', '--config=/etc/k0s/k0s.yaml'], startedAfterBootS: 18, listens: [{ address: '::', port: 9443 }, { address: '::', port: 8132 }] },
      ...k0sControlPlane(ip),
    ],
    files: {
      '/etc/systemd/system/k0scontroller.service': '[Service]\nExecStart=/usr/local/bin/k0s controller --config=/etc/k0s/k0s.yaml\n',
      '/etc/k0s/k0s.yaml': K0S_YAML,
      [`${K0S}/etcd/member/snap/db`]: '',
      // The binaries k0s unpacks and runs its children from (root-owned, as the identity rules of
      // src/resolve/identity.ts need for the system uids k0s gives them).
      ...K0S_BINARIES,
    },
  };
}

/** `k0s controller --enable-worker`: the same control plane plus a kubelet child (and its containerd). */
export function k0sControllerWorker(): HostSpec {
  const host = k0sController();
  const ip = '10.0.5.11';
  const kubelet: ProcessSpec = {
    pid: 1460, ppid: 1400, argv: [`${K0S}/bin/kubelet`, `--config=${K0S}/kubelet-config.yaml`, `--kubeconfig=${K0S}/kubelet.conf`, '--container-runtime-endpoint=unix:///run/k0s/containerd.sock',
      `--root-dir=${K0S}/kubelet`, `--node-ip=${ip}`, '--hostname-override=k0s-cp-1'],
    startedAfterBootS: 30, listens: [{ address: '::', port: 10250 }, { address: '127.0.0.1', port: 10248 }],
  };
  return {
    ...host,
    name: 'k0s-controller-worker',
    processes: [
      ...host.processes.map((p) => (p.pid === 1400 ? { ...p, argv: [...p.argv, '--enable-worker'] } : p)),
      { pid: 1450, ppid: 1400, argv: [`${K0S}/bin/containerd`, `--root=${K0S}/containerd`, '--address=/run/k0s/containerd.sock'], startedAfterBootS: 28 },
      kubelet,
    ],
    files: {
      ...host.files,
      [`${K0S}/kubelet-config.yaml`]: [
        'apiVersion: kubelet.config.k8s.io/v1beta1', 'kind: KubeletConfiguration', 'authentication:', '  anonymous:', '    enabled: false', '  webhook:', '    enabled: true',
        '  x509:', `    clientCAFile: ${K0S}/pki/ca.crt`, 'authorization:', '  mode: Webhook', 'healthzBindAddress: 127.0.0.1', 'readOnlyPort: 0', '',
      ].join('\n'),
    },
  };
}

/**
 * A hardened k3s server with embedded etcd (`--cluster-init`), as the k3s CIS hardening guide
 * sets it up: a PodSecurity admission config passed with `--kube-apiserver-arg`, which k3s appends
 * to the apiserver's flags. etcd logs no command line: it reads `server/db/etcd/config`.
 */
export function k3sServerEtcd(): HostSpec {
  const node = 'k3s-server-1';
  const ip = '10.0.4.11';
  const pid = 1207;
  const tls = `${K3S}/server/tls`;
  const etcdConfig = `${K3S}/server/db/etcd/config`;
  const apiserver = k3sApiserverArgs(ip, [`--admission-control-config-file=${K3S}/server/psa.yaml`])
    .filter((a) => !a.startsWith('--etcd-servers='))
    .concat([`--etcd-cafile=${tls}/etcd/server-ca.crt`, `--etcd-certfile=${tls}/etcd/client.crt`, `--etcd-keyfile=${tls}/etcd/client.key`, '--etcd-servers=https://127.0.0.1:2379']);
  const clock = { t: START_US };
  const lines: Array<[string, string[]]> = [
    ['kube-apiserver', apiserver],
    ['kube-scheduler', K3S_SCHEDULER_ARGS],
    ['kube-controller-manager', K3S_KCM_ARGS],
    ['kubelet', k3sKubeletArgs(node, ip)],
    ['kube-proxy', k3sProxyArgs(node)],
  ];
  const entries = [...noise(BOOT_ID, 30, clock), ...k3sStart({ pid, unit: 'k3s.service', bootId: BOOT_ID, version: K3S_VERSION, agent: false, lines }, clock), ...noise(BOOT_ID, 30, clock)];
  const host = k3sServer();
  const files: Record<string, FileSpec> = { ...host.files, ...journalFiles(entries) };
  delete files[`${K3S}/server/db/state.db`];
  return {
    ...host,
    name: 'k3s-server-etcd',
    processes: [
      SYSTEMD, SSHD,
      k3sProcess(pid, 'server', [
        ...K3S_SERVER_LISTENS,
        { address: '127.0.0.1', port: 2379 }, { address: ip, port: 2379 }, { address: '127.0.0.1', port: 2380 }, { address: ip, port: 2380 }, { address: '127.0.0.1', port: 2381 }, { address: '127.0.0.1', port: 2382 },
      ]),
      k3sContainerd(1230, pid),
    ],
    files: {
      ...files,
      '/etc/rancher/k3s/config.yaml': `cluster-init: true\nprotect-kernel-defaults: true\nkube-apiserver-arg:\n- admission-control-config-file=${K3S}/server/psa.yaml\n`,
      [`${K3S}/server/psa.yaml`]: [
        'apiVersion: apiserver.config.k8s.io/v1', 'kind: AdmissionConfiguration', 'plugins:', '- name: PodSecurity', '  configuration:',
        '    apiVersion: pod-security.admission.config.k8s.io/v1beta1', '    kind: PodSecurityConfiguration', '    defaults:',
        '      enforce: "restricted"', '      enforce-version: "latest"', '      audit: "restricted"', '      audit-version: "latest"',
        '      warn: "restricted"', '      warn-version: "latest"', '    exemptions:', '      usernames: []', '      runtimeClasses: []',
        '      namespaces: [kube-system, cis-operator-system]', '',
      ].join('\n'),
      // The shape of k3s's generated etcd config (k3s-io/k3s:pkg/etcd, executor ETCDConfig).
      [etcdConfig]: [
        `advertise-client-urls: https://${ip}:2379`, 'client-transport-security:', `  cert-file: ${tls}/etcd/server-client.crt`, '  client-cert-auth: true',
        `  key-file: ${tls}/etcd/server-client.key`, `  trusted-ca-file: ${tls}/etcd/server-ca.crt`, `data-dir: ${K3S}/server/db/etcd`,
        'election-timeout: 5000', 'heartbeat-interval: 500', `initial-advertise-peer-urls: https://${ip}:2380`, `initial-cluster: ${node}-5e1a7c33=https://${ip}:2380`,
        'initial-cluster-state: new', 'listen-client-http-urls: https://127.0.0.1:2382', `listen-client-urls: https://127.0.0.1:2379,https://${ip}:2379`,
        'listen-metrics-urls: http://127.0.0.1:2381', `listen-peer-urls: https://127.0.0.1:2380,https://${ip}:2380`, 'log-outputs:', '- stderr', 'logger: zap',
        `name: ${node}-5e1a7c33`, 'peer-transport-security:', `  cert-file: ${tls}/etcd/peer-server-client.crt`, '  client-cert-auth: true',
        `  key-file: ${tls}/etcd/peer-server-client.key`, `  trusted-ca-file: ${tls}/etcd/peer-ca.crt`, 'snapshot-count: 10000', '',
      ].join('\n'),
      [`${tls}/etcd/server-ca.crt`]: cert('rke2-etcd-server-ca.crt'),
      [`${tls}/etcd/peer-ca.crt`]: cert('rke2-etcd-peer-ca.crt'),
      [`${tls}/etcd/client.crt`]: cert('rke2-etcd-client.crt'),
    },
  };
}

const RKE2 = '/var/lib/rancher/rke2';

/** An RKE2 agent: `rke2 agent` starts containerd and the kubelet as children (argv visible); kube-proxy is a static pod. */
export function rke2Agent(): HostSpec {
  const node = 'rke2-agent-1';
  const ip = '10.0.3.21';
  return {
    name: 'rke2-agent',
    hostname: node,
    ipv4: [{ address: ip, prefix: 24, device: 'eth0' }],
    ipv6: [],
    processes: [
      SYSTEMD, SSHD,
      { pid: 950, ppid: 1, argv: ['/usr/local/bin/rke2', 'agent'], comm: 'rke2', startedAfterBootS: 10, threads: 20, listens: [{ address: '127.0.0.1', port: 6443 }, { address: '127.0.0.1', port: 6444 }] },
      { pid: 970, ppid: 950, argv: [`${RKE2}/data/v1.35.1-rke2r1-5f7e3c2a9b1d/bin/containerd`, '-c', `${RKE2}/agent/etc/containerd/config.toml`], startedAfterBootS: 11 },
      {
        pid: 980, ppid: 950, startedAfterBootS: 12, threads: 20,
        argv: [`${RKE2}/data/v1.35.1-rke2r1-5f7e3c2a9b1d/bin/kubelet`, `--config-dir=${RKE2}/agent/etc/kubelet.conf.d`, `--kubeconfig=${RKE2}/agent/kubelet.kubeconfig`,
          '--read-only-port=0', '--cloud-provider=external', `--hostname-override=${node}`, `--node-ip=${ip}`, '--node-labels='],
        listens: [{ address: '127.0.0.1', port: 10248 }, { address: '::', port: 10250 }],
      },
      {
        pid: 1120, ppid: 1, argv: ['kube-proxy', '--cluster-cidr=10.42.0.0/16', '--conntrack-max-per-core=0', '--healthz-bind-address=127.0.0.1', `--hostname-override=${node}`,
          `--kubeconfig=${RKE2}/agent/kubeproxy.kubeconfig`, '--proxy-mode=iptables'],
        exe: '/usr/local/bin/kube-proxy', startedAfterBootS: 40, listens: [{ address: '127.0.0.1', port: 10249 }, { address: '127.0.0.1', port: 10256 }],
      },
    ],
    files: {
      '/usr/local/lib/systemd/system/rke2-agent.service': '[Service]\nExecStart=/usr/local/bin/rke2 agent\n',
      '/etc/rancher/rke2/config.yaml': `server: https://10.0.3.11:9345\ntoken-file: /etc/rancher/rke2/token\n`,
      [`${RKE2}/agent/etc/kubelet.conf.d/00-rke2-defaults.conf`]: [
        'address: 0.0.0.0', 'apiVersion: kubelet.config.k8s.io/v1beta1', 'authentication:', '  anonymous:', '    enabled: false', '  webhook:', '    enabled: true',
        '  x509:', `    clientCAFile: ${RKE2}/agent/client-ca.crt`, 'authorization:', '  mode: Webhook', 'healthzBindAddress: 127.0.0.1', 'kind: KubeletConfiguration', '',
      ].join('\n'),
      [`${RKE2}/agent/client-ca.crt`]: cert('rke2-client-ca.crt'),
      [`${RKE2}/agent/kubelet.kubeconfig`]: kubeconfig({
        server: 'https://127.0.0.1:6443', user: 'user', ca: `certificate-authority: ${RKE2}/agent/server-ca.crt`,
        certLines: [`client-certificate: ${RKE2}/agent/client-kubelet.crt`, `client-key: ${RKE2}/agent/client-kubelet.key`],
      }),
      [`${RKE2}/agent/pod-manifests/kube-proxy.yaml`]: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-proxy\n  namespace: kube-system\nspec:\n  containers:\n  - command:\n    - kube-proxy\n    image: index.docker.io/rancher/hardened-kubernetes:v1.35.1-rke2r1-build20260211\n    name: kube-proxy\n  hostNetwork: true\n',
    },
  };
}

/**
 * A Talos control-plane node: etcd and the kubelet are Talos services (processes with argv), the
 * control plane runs as static pods of that kubelet; secrets under /system/secrets.
 */
export function talosControlPlane(): HostSpec {
  const node = 'talos-cp-1';
  const ip = '10.0.7.11';
  const secrets = '/system/secrets';
  return {
    name: 'talos-control-plane',
    hostname: node,
    ipv4: [{ address: ip, prefix: 24, device: 'eth0' }],
    ipv6: [],
    processes: [
      { pid: 1, ppid: 0, argv: ['/sbin/init'], comm: 'machined', exe: '/sbin/init', startedAfterBootS: 1, listens: [{ address: '::', port: 50000 }] },
      {
        pid: 1510, ppid: 1, startedAfterBootS: 20, uid: 60,
        argv: ['/usr/local/bin/etcd', `--advertise-client-urls=https://${ip}:2379`, '--auto-tls=false', `--cert-file=${secrets}/etcd/peer.crt`, '--client-cert-auth=true',
          '--data-dir=/var/lib/etcd', '--experimental-initial-corrupt-check=true', `--initial-advertise-peer-urls=https://${ip}:2380`, `--key-file=${secrets}/etcd/peer.key`,
          '--listen-client-urls=https://0.0.0.0:2379', '--listen-metrics-urls=http://localhost:2381', '--listen-peer-urls=https://0.0.0.0:2380', `--name=${node}`,
          '--peer-auto-tls=false', `--peer-cert-file=${secrets}/etcd/peer.crt`, '--peer-client-cert-auth=true', `--peer-key-file=${secrets}/etcd/peer.key`,
          `--peer-trusted-ca-file=${secrets}/etcd/ca.crt`, `--trusted-ca-file=${secrets}/etcd/ca.crt`],
        environ: ['PATH=/usr/local/bin'],
        listens: [{ address: '::', port: 2379 }, { address: '::', port: 2380 }, { address: '127.0.0.1', port: 2381 }],
      },
      {
        pid: 1600, ppid: 1, startedAfterBootS: 25,
        argv: ['/usr/local/bin/kubelet', '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubeconfig', '--cert-dir=/var/lib/kubelet/pki', '--config=/etc/kubernetes/kubelet.yaml',
          `--hostname-override=${node}`, '--kubeconfig=/etc/kubernetes/kubeconfig-kubelet', `--node-ip=${ip}`],
        listens: [{ address: '::', port: 10250 }, { address: '127.0.0.1', port: 10248 }],
      },
      {
        pid: 1700, ppid: 1, startedAfterBootS: 40, uid: 65534,
        argv: ['/usr/local/bin/kube-apiserver', '--allow-privileged=true', '--anonymous-auth=false', '--authorization-mode=Node,RBAC', `--client-ca-file=${secrets}/kubernetes/kube-apiserver/ca.crt`,
          '--enable-admission-plugins=NodeRestriction', `--etcd-cafile=${secrets}/kubernetes/kube-apiserver/etcd-client-ca.crt`, `--etcd-certfile=${secrets}/kubernetes/kube-apiserver/etcd-client.crt`,
          `--etcd-keyfile=${secrets}/kubernetes/kube-apiserver/etcd-client.key`, '--etcd-servers=https://localhost:2379', '--profiling=false', '--secure-port=6443',
          `--admission-control-config-file=${secrets}/kubernetes/kube-apiserver/admission-control-config.yaml`, '--service-account-issuer=https://10.0.7.11:6443',
          `--service-account-key-file=${secrets}/kubernetes/kube-apiserver/service-account.pub`, `--service-account-signing-key-file=${secrets}/kubernetes/kube-apiserver/service-account.key`,
          `--tls-cert-file=${secrets}/kubernetes/kube-apiserver/apiserver.crt`, `--tls-private-key-file=${secrets}/kubernetes/kube-apiserver/apiserver.key`],
        listens: [{ address: '::', port: 6443 }],
      },
      {
        pid: 1710, ppid: 1, startedAfterBootS: 42, uid: 65534,
        argv: ['/usr/local/bin/kube-controller-manager', '--bind-address=127.0.0.1', `--kubeconfig=${secrets}/kubernetes/kube-controller-manager/kubeconfig`, '--profiling=false', '--use-service-account-credentials=true'],
        listens: [{ address: '127.0.0.1', port: 10257 }],
      },
      {
        pid: 1720, ppid: 1, startedAfterBootS: 42, uid: 65534,
        argv: ['/usr/local/bin/kube-scheduler', '--bind-address=127.0.0.1', `--kubeconfig=${secrets}/kubernetes/kube-scheduler/kubeconfig`, '--profiling=false'],
        listens: [{ address: '127.0.0.1', port: 10259 }],
      },
    ],
    files: {
      '/etc/os-release': 'NAME="Talos"\nID=talos\nVERSION_ID=v1.11.5\nPRETTY_NAME="Talos (v1.11.5)"\n',
      // The component binaries of the control-plane images (root-owned).
      ...Object.fromEntries(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((name) => [`/usr/local/bin/${name}`, ''])),
      '/etc/kubernetes/kubelet.yaml': [
        'apiVersion: kubelet.config.k8s.io/v1beta1', 'kind: KubeletConfiguration', 'authentication:', '  anonymous:', '    enabled: false', '  webhook:', '    enabled: true',
        '  x509:', '    clientCAFile: /etc/kubernetes/pki/ca.crt', 'authorization:', '  mode: Webhook', 'readOnlyPort: 0', 'healthzBindAddress: 127.0.0.1', '',
      ].join('\n'),
      [`${secrets}/kubernetes/kube-apiserver/admission-control-config.yaml`]: [
        'apiVersion: apiserver.config.k8s.io/v1', 'kind: AdmissionConfiguration', 'plugins:', '- name: PodSecurity', '  configuration:',
        '    apiVersion: pod-security.admission.config.k8s.io/v1', '    kind: PodSecurityConfiguration', '    defaults:', '      audit: restricted',
        '      audit-version: latest', '      enforce: baseline', '      enforce-version: latest', '      warn: restricted', '      warn-version: latest',
        '    exemptions:', '      namespaces: [kube-system]', '      runtimeClasses: []', '      usernames: []', '',
      ].join('\n'),
    },
  };
}
