// Which Kubernetes distribution a host runs, from its own processes, systemd units and data
// directories. Some distributions run the components inside their own process (k3s, MicroK8s's
// kubelite), where no component process is visible: knowing the distribution is what keeps such a
// host from reading as "no Kubernetes here" (DESIGN §3: `skip` only when a component does not run).
import path from 'node:path/posix';
import { locate, readTextFile, type FileRoot } from './files.js';
import { binaryName } from './proc.js';
import type { Datastore, DistributionName, DistributionSign, Platform } from './types.js';

/** A distribution's own process, recognised from argv (k3s rewrites its title, so argv[0] may hold a space). */
export interface DistributionProcess {
  name: DistributionName;
  /** `server`, `agent`, `controller`, `worker`, `kubelite`, `dqlite`. */
  role: string;
}

/** Sub-commands that run a node (not `k3s kubectl`, `k0s token create`, …). */
const ROLES: Record<'k3s' | 'rke2' | 'k0s', readonly string[]> = {
  k3s: ['server', 'agent'],
  rke2: ['server', 'agent'],
  k0s: ['controller', 'worker'],
};

export function distributionProcess(argv: readonly string[], exe?: string): DistributionProcess | undefined {
  const first = argv[0];
  if (first === undefined) return undefined;
  const words = [...binaryName(first).split(' '), ...argv.slice(1)];
  const names = [words[0], exe === undefined ? undefined : binaryName(exe)];
  for (const name of ['k3s', 'rke2', 'k0s'] as const) {
    const role = words[1];
    if (names.includes(name) && role !== undefined && ROLES[name].includes(role)) return { name, role };
  }
  // MicroK8s runs every Kubernetes component in one `kubelite` process and its datastore in
  // `k8s-dqlite` (https://microk8s.io/docs/configuring-services).
  if (names.includes('kubelite')) return { name: 'microk8s', role: 'kubelite' };
  if (names.includes('k8s-dqlite')) return { name: 'microk8s', role: 'dqlite' };
  return undefined;
}

/**
 * Installed but not (visibly) running: the systemd units and data directories each distribution's
 * installer creates. A unit says the role; a data directory alone says only the distribution.
 * Sources: k3s install.sh (`k3s.service`, `k3s-agent.service`, https://get.k3s.io); RKE2 install
 * (`rke2-server.service`, `rke2-agent.service`, https://docs.rke2.io/install/methods); k0s
 * `k0s install controller|worker` (`k0scontroller.service`, `k0sworker.service`,
 * https://docs.k0sproject.io/stable/install/); the microk8s snap (`snap.microk8s.daemon-kubelite.service`).
 */
const INSTALLED: ReadonlyArray<{ name: DistributionName; role?: string; paths: readonly string[] }> = [
  { name: 'k3s', role: 'server', paths: ['/etc/systemd/system/k3s.service', '/var/lib/rancher/k3s/server'] },
  { name: 'k3s', role: 'agent', paths: ['/etc/systemd/system/k3s-agent.service'] },
  { name: 'k3s', paths: ['/var/lib/rancher/k3s', '/etc/rancher/k3s'] },
  {
    name: 'rke2',
    role: 'server',
    paths: [
      '/usr/local/lib/systemd/system/rke2-server.service',
      '/usr/lib/systemd/system/rke2-server.service',
      '/var/lib/rancher/rke2/server',
    ],
  },
  {
    name: 'rke2',
    role: 'agent',
    paths: ['/usr/local/lib/systemd/system/rke2-agent.service', '/usr/lib/systemd/system/rke2-agent.service'],
  },
  { name: 'rke2', paths: ['/var/lib/rancher/rke2', '/etc/rancher/rke2'] },
  { name: 'k0s', role: 'controller', paths: ['/etc/systemd/system/k0scontroller.service'] },
  { name: 'k0s', role: 'worker', paths: ['/etc/systemd/system/k0sworker.service'] },
  { name: 'k0s', paths: ['/var/lib/k0s', '/etc/k0s'] },
  {
    name: 'microk8s',
    role: 'kubelite',
    paths: ['/etc/systemd/system/snap.microk8s.daemon-kubelite.service', '/var/snap/microk8s/current/args/kubelite'],
  },
  { name: 'microk8s', paths: ['/var/snap/microk8s'] },
];

function exists(root: FileRoot, p: string): boolean {
  return locate(root, p).ok;
}

/** The value of `--name=value` or `--name value` in argv, the last one winning as in Go's flag packages. */
export function argValue(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg.startsWith(`--${name}=`)) value = arg.slice(name.length + 3);
    else if (arg === `--${name}` && i + 1 < argv.length) value = argv[i + 1];
  }
  return value;
}

/** kine's scheme → the database behind it (https://github.com/k3s-io/kine, endpoint formats). */
function externalDatastore(endpoint: string): Datastore {
  const scheme = /^([a-z0-9+]+):\/\//i.exec(endpoint)?.[1]?.toLowerCase();
  if (scheme === 'https' || scheme === 'http')
    return {
      kind: 'external',
      shownBy: `an external etcd (--datastore-endpoint ${endpoint.replace(/\/\/[^@/]*@/, '//')})`,
    };
  const name =
    scheme === 'mysql'
      ? 'MySQL'
      : scheme === 'postgres' || scheme === 'postgresql'
        ? 'PostgreSQL'
        : scheme === 'sqlite'
          ? 'SQLite'
          : (scheme ?? 'an external database');
  // Credentials in the endpoint (user:password@) never reach a report.
  return {
    kind: scheme === 'sqlite' ? 'sqlite' : 'external',
    shownBy: `${name} through kine (--datastore-endpoint with scheme ${scheme ?? 'unknown'})`,
  };
}

/**
 * Where a server keeps the cluster state. k3s/RKE2: `--datastore-endpoint` names kine's database;
 * else embedded etcd under `server/db/etcd` (`--cluster-init`), else SQLite in `server/db/state.db`
 * (k3s `pkg/cli/cmds/server.go`, https://docs.k3s.io/datastore). k0s: etcd under `/var/lib/k0s/etcd`
 * unless `spec.storage.type: kine` (https://docs.k0sproject.io/stable/configuration/). MicroK8s:
 * k8s-dqlite under `var/kubernetes/backend` (https://microk8s.io/docs/high-availability).
 * Undefined when nothing says: then etcd counts as possibly running (unknown, not skip).
 */
function datastoreOf(root: FileRoot, sign: DistributionSign, dqliteRuns: boolean): Datastore | undefined {
  const argv = sign.argv ?? [];
  if (sign.name === 'k3s' || sign.name === 'rke2') {
    if (sign.role === 'agent') return undefined;
    const endpoint = argValue(argv, 'datastore-endpoint');
    if (endpoint !== undefined && endpoint !== '') return externalDatastore(endpoint);
    const db = `/var/lib/rancher/${sign.name}/server/db`;
    if (argv.includes('--cluster-init') || exists(root, `${db}/etcd`))
      return { kind: 'etcd', shownBy: `embedded etcd (${db}/etcd)` };
    if (exists(root, `${db}/state.db`)) return { kind: 'sqlite', shownBy: `SQLite through kine (${db}/state.db)` };
    return undefined;
  }
  if (sign.name === 'k0s') {
    if (exists(root, '/var/lib/k0s/etcd')) return { kind: 'etcd', shownBy: 'etcd (/var/lib/k0s/etcd)' };
    if (exists(root, '/var/lib/k0s/db/state.db'))
      return { kind: 'sqlite', shownBy: 'SQLite through kine (/var/lib/k0s/db/state.db)' };
    return undefined;
  }
  const backend = '/var/snap/microk8s/current/var/kubernetes/backend';
  if (dqliteRuns || exists(root, backend)) return { kind: 'dqlite', shownBy: `dqlite through k8s-dqlite (${backend})` };
  return undefined;
}

/**
 * Every distribution seen: one sign per running distribution process, then one per distribution
 * that is installed but has no process (its most specific unit or directory).
 */
export function detectDistributions(
  root: FileRoot,
  processes: ReadonlyArray<{ pid: number; argv: string[]; found: DistributionProcess; uid?: number }>,
): DistributionSign[] {
  const signs: DistributionSign[] = processes.map(({ pid, argv, found, uid }) => ({
    name: found.name,
    role: found.role,
    pid,
    ...(uid !== undefined && { uid }),
    argv: [...argv],
    shownBy: `process ${pid} (${argv.join(' ').slice(0, 120)})`,
  }));
  for (const entry of INSTALLED) {
    if (signs.some((s) => s.name === entry.name)) continue;
    const shown = entry.paths.find((p) => exists(root, p));
    if (shown === undefined) continue;
    signs.push({
      name: entry.name,
      ...(entry.role !== undefined && { role: entry.role }),
      shownBy: `${path.normalize(shown)} exists`,
    });
  }
  const dqliteRuns = signs.some((s) => s.name === 'microk8s' && s.role === 'dqlite' && s.pid !== undefined);
  for (const sign of signs) {
    const datastore = sign.role === 'dqlite' ? undefined : datastoreOf(root, sign, dqliteRuns);
    if (datastore !== undefined) sign.datastore = datastore;
  }
  return signs;
}

/**
 * Distributions whose components run as ordinary processes or static pods, known by a file only
 * they leave: Talos (`ID=talos` in /etc/os-release, https://www.talos.dev/), minikube
 * (`/var/lib/minikube`, its data directory inside the node), kind (`/kind/kubeadm.conf`, which
 * kind writes into every node container: kubernetes-sigs/kind `pkg/cluster/internal/create`),
 * Kubespray (`/etc/kubernetes/kubelet.env`, kubernetes-sigs/kubespray
 * `roles/kubernetes/node/templates/kubelet.env.v1beta1.j2`; Kubespray runs kubeadm underneath),
 * kubeadm (`/var/lib/kubelet/kubeadm-flags.env`, written by `kubeadm init/join`,
 * https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/kubelet-integration/).
 */
export function detectPlatform(root: FileRoot): Platform | undefined {
  const osRelease = readTextFile(root, '/etc/os-release', 64 * 1024);
  if (osRelease.ok && /^ID="?talos"?$/m.test(osRelease.content))
    return { name: 'talos', shownBy: '/etc/os-release says ID=talos' };
  for (const [name, marker] of [
    ['minikube', '/var/lib/minikube'],
    ['kind', '/kind/kubeadm.conf'],
    ['kubespray', '/etc/kubernetes/kubelet.env'],
    ['kubeadm', '/var/lib/kubelet/kubeadm-flags.env'],
  ] as const) {
    if (exists(root, marker)) return { name, shownBy: `${marker} exists` };
  }
  return undefined;
}
