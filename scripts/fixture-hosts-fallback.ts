// Fake roots where a component's command line is not on record and must be rebuilt (issue 8):
// k3s servers whose journal holds no `Running <component>` line of the running process, and a
// minikube node (kubeadm underneath). Built on the k3s hosts of fixture-hosts-distributions.ts;
// facts and their sources are listed in each fixture's README.md.
import type { ExportEntry } from './journal-fixture.js';
import { k3sServer, k3sServerEtcd, k3sServerNoJournal } from './fixture-hosts-distributions.js';
import { cert, kubeadmHost, type FileSpec, type HostSpec } from './make-fixture-hosts.js';

const K3S = '/var/lib/rancher/k3s';

/**
 * Stands in for the k3s executable: the audit looks for the version k3s's build stamps into it
 * (`-X github.com/k3s-io/k3s/pkg/version.Version=v1.33.4+k3s1`, k3s-io/k3s:scripts/build); a real
 * binary holds it among ~70 MiB of code, and Kubernetes' own `v1.33.4-k3s1` beside it.
 */
function k3sBinary(version: string): string {
  return `\u007fELF (fixture stand-in for the k3s executable)\u0000github.com/k3s-io/k3s/pkg/version.Version\u0000${version}\u0000gitVersion\u0000v1.33.4-k3s1\u0000`;
}

/** `k3s-server-no-journal`: as before, plus the k3s executable, from which the version is read. */
export function k3sServerNoJournalRebuilt(): HostSpec {
  const host = k3sServerNoJournal();
  return { ...host, files: { ...host.files, '/usr/local/bin/k3s': k3sBinary('v1.33.4+k3s1') } };
}

function isJournal(spec: FileSpec | undefined): spec is { journal: ExportEntry[] } {
  return typeof spec === 'object' && 'journal' in spec;
}

/** The message of a journal entry. */
function messageOf(entry: ExportEntry): string {
  return entry.fields.find(([name]) => name === 'MESSAGE')?.[1] ?? '';
}

/**
 * A hardened k3s server configured only through its config files, whose `Running …` lines were
 * dropped by journald's rate limit (journald.conf(5) `RateLimitBurst=`: it logs "Suppressed N
 * messages from <unit>" instead): the `Starting k3s` line of the running pid is there, the
 * component lines are not. One insecure setting, added in a drop-in with `kubelet-arg+:`.
 */
export function k3sServerConfigOnly(): HostSpec {
  const host = k3sServer();
  const journalPath = Object.keys(host.files).find((p) => isJournal(host.files[p]))!;
  const journal = host.files[journalPath] as { journal: ExportEntry[] };
  const kept = journal.journal.filter((e) => !/msg="Running /.test(messageOf(e)));
  const starting = kept.findIndex((e) => /msg="Starting k3s /.test(messageOf(e)));
  const at = kept[starting]!;
  const suppressed: ExportEntry = {
    realtime: at.realtime + 500,
    monotonic: at.monotonic + 500,
    bootId: at.bootId,
    fields: [
      ['_TRANSPORT', 'driver'], ['PRIORITY', '4'], ['SYSLOG_IDENTIFIER', 'systemd-journald'], ['_PID', '312'], ['_COMM', 'systemd-journald'],
      ['_SYSTEMD_UNIT', 'systemd-journald.service'], ['MESSAGE', 'Suppressed 4213 messages from k3s.service'],
    ],
  };
  const entries = [...kept.slice(0, starting + 1), suppressed, ...kept.slice(starting + 1)];
  return {
    ...host,
    name: 'k3s-server-config-only',
    files: {
      ...host.files,
      [journalPath]: { journal: entries },
      '/usr/local/bin/k3s': k3sBinary('v1.33.4+k3s1'),
      // install.sh writes the flags given to it after `server` (https://docs.k3s.io/installation/configuration).
      '/etc/systemd/system/k3s.service': [
        '[Unit]', 'Description=Lightweight Kubernetes', 'Documentation=https://k3s.io', '[Service]', 'Type=notify',
        'EnvironmentFile=-/etc/systemd/system/k3s.service.env', 'ExecStart=/usr/local/bin/k3s \\', '    server \\', "    '--secrets-encryption' \\", '',
      ].join('\n'),
      '/etc/rancher/k3s/config.yaml': [
        '# CIS hardening, as https://docs.k3s.io/security/hardening-guide sets it up',
        'protect-kernel-defaults: true',
        'kube-apiserver-arg:',
        `  - admission-control-config-file=${K3S}/server/psa.yaml`,
        '  - audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log',
        'kubelet-arg:',
        '  - streaming-connection-idle-timeout=5m',
        '',
      ].join('\n'),
      // Lexically after config.yaml: `+` appends to the list above instead of replacing it.
      '/etc/rancher/k3s/config.yaml.d/50-metrics.yaml': ['# added later for an old metrics scraper', 'kubelet-arg+:', '  - read-only-port=10255', ''].join('\n'),
      // The PodSecurity admission config of the hardened k3s host (k3s hardening guide).
      [`${K3S}/server/psa.yaml`]: k3sServerEtcd().files[`${K3S}/server/psa.yaml`]!,
    },
  };
}

/** minikube's default `enable-admission-plugins` (kubernetes/minikube:pkg/minikube/bootstrapper/bsutil/testdata/v1.35/containerd.yaml). */
const MINIKUBE_ADMISSION = 'NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,DefaultTolerationSeconds,NodeRestriction,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ResourceQuota';
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
    name: 'minikube', hostname: 'minikube', ip, prefix: 24, version, etcdImage: '3.6.6-0', pauseImage: 'registry.k8s.io/pause:3.10.1',
    apiserverExtra: { 'enable-admission-plugins': MINIKUBE_ADMISSION, 'secure-port': '8443' },
    controllerManagerExtra: { 'allocate-node-cidrs': 'true', 'leader-elect': 'false', 'cluster-cidr': '10.244.0.0/16' },
    schedulerExtra: { 'leader-elect': 'false' },
    etcdExtra: { 'data-dir': '/var/lib/minikube/etcd' },
    kubeadmFlags: [],
    kubeletExtraArgs: ['--hostname-override=minikube', `--node-ip=${ip}`],
    kubeletConfigOptions: { runtimeEndpoint: 'unix:///run/containerd/containerd.sock', drop: ['failSwapOn'] },
    kubeletConfigExtra: ['hairpinMode: hairpin-veth', 'imageGCHighThresholdPercent: 100', 'evictionHard:', '  imagefs.available: 0%', '  nodefs.available: 0%', '  nodefs.inodesFree: 0%', 'failSwapOn: false'],
  });
  const kubelet = `/var/lib/minikube/binaries/${version}/kubelet`;
  const processes = base.processes.map((p) => ({
    ...p,
    argv: p.argv.map((a, i) => (i === 0 && a === '/usr/bin/kubelet' ? kubelet : minikubePaths(a))),
    ...(p.argv[0] === '/usr/bin/kubelet' && { exe: kubelet }),
    ...(p.listens && { listens: p.listens.map((l) => (l.port === 6443 ? { ...l, port: 8443 } : l)) }),
  }));
  const files: Record<string, FileSpec> = {};
  for (const [file, spec] of Object.entries(base.files)) files[minikubePaths(file)] = typeof spec === 'string' ? minikubePaths(spec) : spec;
  // minikube replaces kubeadm's drop-in with its own, one ExecStart= holding every flag (ktmpl.KubeletSystemdTemplate).
  files['/etc/systemd/system/kubelet.service.d/10-kubeadm.conf'] = [
    '[Unit]', 'Wants=containerd.service', '', '[Service]', 'ExecStart=',
    `ExecStart=${kubelet} --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --config=/var/lib/kubelet/config.yaml --hostname-override=minikube --kubeconfig=/etc/kubernetes/kubelet.conf --node-ip=${ip}`,
    '', '[Install]', '',
  ].join('\n');
  files['/lib/systemd/system/kubelet.service'] = [
    '[Unit]', 'Description=kubelet: The Kubernetes Node Agent', 'Documentation=http://kubernetes.io/docs/', 'StartLimitIntervalSec=0', '',
    '[Service]', `ExecStart=${kubelet}`, 'Restart=always', 'RestartSec=600ms', '', '[Install]', 'WantedBy=multi-user.target', '',
  ].join('\n');
  files[`${MINIKUBE_CERTS}/ca.crt`] = cert('minikube-ca.crt');
  files[kubelet] = 'kubelet binary stand-in\n';
  // The kubeadm config minikube generated and ran `kubeadm init` with (excerpt; see README).
  files['/var/tmp/minikube/kubeadm.yaml'] = [
    'apiVersion: kubeadm.k8s.io/v1beta4', 'kind: ClusterConfiguration', 'apiServer:', '  certSANs: ["127.0.0.1", "localhost", "192.168.49.2"]', '  extraArgs:',
    '    - name: "enable-admission-plugins"', `      value: "${MINIKUBE_ADMISSION}"`, `certificatesDir: ${MINIKUBE_CERTS}`, 'clusterName: mk',
    'controlPlaneEndpoint: control-plane.minikube.internal:8443', 'etcd:', '  local:', '    dataDir: /var/lib/minikube/etcd', `kubernetesVersion: ${version}`, '',
  ].join('\n');
  return { ...base, processes, files };
}

export const FALLBACK_FIXTURES: ReadonlyArray<() => HostSpec> = [k3sServerConfigOnly, minikubeNode];
