import { describeOrigin } from '../collect/origin.js';
import type { ComponentName, ProcessInfo } from '../collect/types.js';
import type { ResolvedHost } from '../resolve/index.js';
import { classifyAddress, splitHostPort } from '../resolve/network.js';
import { defineCheck } from './define-check.js';
import type { Evidence, Outcome } from './types.js';

/** Where a component was seen, for evidence: its pid, the static pod manifest, unit or distribution record it comes from. */
function seen(proc: ProcessInfo, name: string): Evidence {
  const source = proc.source === 'distribution' ? 'process' : proc.source;
  return {
    source,
    detail: `${name}: ${describeOrigin(proc)}${proc.source === 'process' ? ` (${proc.argv[0] ?? name})` : ''}`,
  };
}

function kubeletSigns(packages: Record<string, string>, manifests: string[]): Evidence[] {
  const signs: Evidence[] = [];
  const version = packages.kubelet;
  if (version !== undefined) signs.push({ source: 'package', detail: `package kubelet ${version} is installed` });
  if (manifests.length > 0)
    signs.push({
      source: 'static-pod-manifest',
      detail: `static pod manifests (run only by a kubelet): ${manifests.join(', ')}`,
    });
  return signs;
}

const CONTROL_PLANE = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
] as const satisfies readonly ComponentName[];

/** The control-plane components on this host: audited ones by where they were seen, the rest by why they count. */
function controlPlaneHere(host: ResolvedHost): Evidence[] {
  return CONTROL_PLANE.flatMap((component): Evidence[] => {
    const proc = host.audited[component];
    if (proc) return [seen(proc, component)];
    const reason = host.distribution.notEstablished[component];
    return reason === undefined ? [] : [{ source: 'process', detail: reason }];
  });
}

type EtcdPlace =
  { kind: 'remote'; host: string } | { kind: 'local'; host: string } | { kind: 'socket' } | { kind: 'unclear' };

/** Where one `--etcd-servers` URL points: this host (loopback, one of its addresses, its name), a unix socket, or another host. */
function placeOf(url: string, host: ResolvedHost): EtcdPlace {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)/i.exec(url.trim());
  if (!match) return { kind: 'unclear' };
  const scheme = match[1]!.toLowerCase();
  if (scheme === 'unix' || scheme === 'unixs') return { kind: 'socket' };
  const hostPort = splitHostPort(match[2]!);
  if (!hostPort || hostPort.host === '') return { kind: 'unclear' };
  const name = hostPort.host;
  const own = host.snapshot.addresses.includes(name) || name.toLowerCase() === host.snapshot.hostname.toLowerCase();
  const cls = classifyAddress(name);
  if (own || cls === 'loopback' || cls === 'wildcard') return { kind: 'local', host: name };
  return { kind: 'remote', host: name };
}

const messages = {
  dedicatedHost:
    'etcd runs on this host and no kubelet and no other control-plane component does: this is a dedicated etcd host.',
  sharesHostWithControlPlane:
    'etcd shares this host with the Kubernetes control plane ({{components}}): the standard asks for etcd on machines separate from the cluster, and a control-plane machine is part of it.',
  remoteEtcd:
    'No etcd runs on this host, and the apiserver reaches etcd only on other hosts ({{servers}}): etcd is hosted separately.',
  localEtcdNotSeen:
    'The apiserver reaches etcd at {{servers}}, on this host or at an address that cannot be placed, but no etcd process is visible here: where etcd runs cannot be judged.',
  socketDatastore:
    'No etcd runs on this host: the apiserver reaches its datastore through a local unix socket ({{servers}}), a kine or dqlite shim that is local-only, not an etcd.',
  sharesHostWithKubelet:
    'etcd shares this host with a kubelet that is a cluster node (stacked etcd): pods scheduled here run next to the cluster datastore.',
  standaloneKubelet:
    "etcd runs on this host next to a standalone kubelet only (no --kubeconfig: it is not a node of any cluster), as in kubeadm's external etcd topology.",
  stackedStaticPods:
    'etcd and kube-apiserver are static pods of the same kubelet on this host ({{manifests}}): etcd shares the host with the Kubernetes control plane (stacked etcd).',
  kubeletNotRunning:
    'No kubelet process runs on this host, but {{signs}}: whether etcd shares this host with a cluster node is decided once the kubelet runs (or is removed).',
  noEtcd: 'No etcd runs on this host.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'etcd-isolated',
  title: 'etcd runs on hosts separate from the Kubernetes nodes',
  level: 'SHOULD',
  component: 'etcd',
  requirement: {
    section: 'Standard',
    quote: 'etcd SHOULD be isolated from the Kubernetes cluster by being hosted on separate (virtual) machines.',
  },
  remediation:
    'Run etcd on dedicated (virtual) machines without a kubelet ("external etcd" in kubeadm: ClusterConfiguration etcd.external with endpoints, caFile, certFile, keyFile) instead of stacked etcd static pods on the control-plane nodes, and allow only the API servers to reach ports 2379-2380.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const etcd = host.etcd;
    if (!etcd) return withoutLocalEtcd(host);
    const etcdSeen = seen(etcd.proc, 'etcd');
    const controlPlane = controlPlaneHere(host);
    if (controlPlane.length > 0) {
      const components = CONTROL_PLANE.filter(
        (c) => host.audited[c] !== undefined || host.distribution.notEstablished[c] !== undefined,
      );
      return {
        status: 'fail',
        messageId: 'sharesHostWithControlPlane',
        data: { components: components.join(', ') },
        evidence: [etcdSeen, ...controlPlane],
      };
    }
    const kubelet = host.kubelet;
    if (kubelet && kubelet.kubeconfig !== undefined) {
      return {
        status: 'fail',
        messageId: 'sharesHostWithKubelet',
        evidence: [
          etcdSeen,
          seen(kubelet.proc, 'kubelet'),
          { source: 'flag', detail: `kubelet --kubeconfig=${kubelet.kubeconfig}` },
        ],
      };
    }
    if (kubelet) {
      // kubeadm's external etcd topology runs etcd as static pods of a standalone kubelet (no
      // --kubeconfig): that kubelet never joins the cluster, so no workload is scheduled here.
      return {
        status: 'pass',
        messageId: 'standaloneKubelet',
        evidence: [
          etcdSeen,
          seen(kubelet.proc, 'kubelet'),
          { source: 'flag', detail: 'kubelet without --kubeconfig (standalone, not registered with an API server)' },
        ],
      };
    }
    // No kubelet process (stopped, or /proc unreadable), but etcd and kube-apiserver are static
    // pods here: the kubelet that runs them makes this a stacked control-plane node.
    const staticPods = host.snapshot.manifests.flatMap(({ path, component }) =>
      component === 'etcd' || component === 'kube-apiserver' ? [{ path, component }] : [],
    );
    if (staticPods.some((m) => m.component === 'etcd') && staticPods.some((m) => m.component === 'kube-apiserver')) {
      return {
        status: 'fail',
        messageId: 'stackedStaticPods',
        data: { manifests: staticPods.map((m) => m.path).join(', ') },
        evidence: [
          etcdSeen,
          ...staticPods.map((m): Evidence => ({
            source: 'static-pod-manifest',
            detail: `static pod manifest ${m.path} (${m.component})`,
          })),
        ],
      };
    }
    // No kubelet process, but a kubelet is installed or has static pods here: a kubelet that is
    // merely stopped or restarting right now could be a cluster node's, so this is not a pass.
    const signs = kubeletSigns(
      host.snapshot.packages,
      host.snapshot.manifests.map((m) => m.path),
    );
    if (signs.length > 0) {
      return {
        status: 'unknown',
        messageId: 'kubeletNotRunning',
        data: { signs: signs.map((e) => e.detail).join('; ') },
        evidence: [etcdSeen, ...signs],
      };
    }
    return {
      status: 'pass',
      messageId: 'dedicatedHost',
      evidence: [etcdSeen, { source: 'process', detail: 'no kubelet process on this host' }],
    };
  },
});

/**
 * No etcd here. An apiserver whose --etcd-servers all name other hosts is the evidence that etcd is
 * hosted separately (DESIGN §3); one that names this host without a visible etcd cannot be judged;
 * a unix socket is a local shim (k3s kine, MicroK8s dqlite), not etcd. Without an apiserver: skip.
 */
function withoutLocalEtcd(host: ResolvedHost): Outcome<MessageId> {
  const api = host.apiserver;
  if (!api || !api.etcdServers.known || api.etcdServers.value.length === 0)
    return { status: 'skip', messageId: 'noEtcd', evidence: [] };
  const servers = [...api.etcdServers.value, ...api.etcdServerOverrides.servers];
  const evidence = [api.etcdServers.evidence, ...api.etcdServerOverrides.evidence];
  const places = servers.map((url) => ({ url, place: placeOf(url, host) }));
  const local = places.filter((p) => p.place.kind === 'local' || p.place.kind === 'unclear');
  if (local.length > 0)
    return {
      status: 'unknown',
      messageId: 'localEtcdNotSeen',
      data: { servers: local.map((p) => p.url).join(', ') },
      evidence,
    };
  if (places.some((p) => p.place.kind === 'socket'))
    return { status: 'skip', messageId: 'socketDatastore', data: { servers: servers.join(', ') }, evidence };
  return { status: 'pass', messageId: 'remoteEtcd', data: { servers: servers.join(', ') }, evidence };
}
