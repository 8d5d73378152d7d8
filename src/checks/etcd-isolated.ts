import type { ProcessInfo } from '../collect/types.js';
import { defineCheck } from './define-check.js';
import type { Evidence, Outcome } from './types.js';

/** Where a component was seen, for evidence: its pid, or the static pod manifest it comes from. */
function seen(proc: ProcessInfo, name: string): Evidence {
  switch (proc.source) {
    case 'static-pod-manifest':
      return { source: 'static-pod-manifest', detail: `${name} static pod manifest ${proc.manifestPath ?? '(unknown path)'}` };
    case 'systemd-unit':
      return { source: 'systemd-unit', detail: `${name} systemd unit ${proc.unitPath ?? '(unknown path)'} (no process visible; the command line it would start)` };
    case 'process':
      return { source: 'process', detail: `${name} running as pid ${proc.pid} (${proc.argv[0] ?? name})` };
  }
}

function kubeletSigns(packages: Record<string, string>, manifests: string[]): Evidence[] {
  const signs: Evidence[] = [];
  const version = packages.kubelet;
  if (version !== undefined) signs.push({ source: 'package', detail: `package kubelet ${version} is installed` });
  if (manifests.length > 0) signs.push({ source: 'static-pod-manifest', detail: `static pod manifests (run only by a kubelet): ${manifests.join(', ')}` });
  return signs;
}

const messages = {
  dedicatedHost: 'etcd runs on this host and no kubelet does: this is a dedicated etcd host.',
  sharesHostWithKubelet: 'etcd shares this host with a kubelet that is a cluster node (stacked etcd): pods scheduled here run next to the cluster datastore.',
  standaloneKubelet: 'etcd runs on this host next to a standalone kubelet only (no --kubeconfig: it is not a node of any cluster), as in kubeadm\'s external etcd topology.',
  stackedStaticPods:
    'etcd and kube-apiserver are static pods of the same kubelet on this host ({{manifests}}): etcd shares the host with the Kubernetes control plane (stacked etcd).',
  kubeletNotRunning: 'No kubelet process runs on this host, but {{signs}}: whether etcd shares this host with a cluster node is decided once the kubelet runs (or is removed).',
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
    if (!etcd) return { status: 'skip', messageId: 'noEtcd', evidence: [] };
    const etcdSeen = seen(etcd.proc, 'etcd');
    const kubelet = host.kubelet;
    if (kubelet && kubelet.kubeconfig !== undefined) {
      return {
        status: 'fail',
        messageId: 'sharesHostWithKubelet',
        evidence: [etcdSeen, seen(kubelet.proc, 'kubelet'), { source: 'flag', detail: `kubelet --kubeconfig=${kubelet.kubeconfig}` }],
      };
    }
    if (kubelet) {
      // kubeadm's external etcd topology runs etcd as static pods of a standalone kubelet (no
      // --kubeconfig): that kubelet never joins the cluster, so no workload is scheduled here.
      return {
        status: 'pass',
        messageId: 'standaloneKubelet',
        evidence: [etcdSeen, seen(kubelet.proc, 'kubelet'), { source: 'flag', detail: 'kubelet without --kubeconfig (standalone, not registered with an API server)' }],
      };
    }
    // No kubelet process (stopped, or /proc unreadable), but etcd and kube-apiserver are static
    // pods here: the kubelet that runs them makes this a stacked control-plane node.
    const staticPods = host.snapshot.manifests.filter((m) => m.component === 'etcd' || m.component === 'kube-apiserver');
    if (staticPods.some((m) => m.component === 'etcd') && staticPods.some((m) => m.component === 'kube-apiserver')) {
      return {
        status: 'fail',
        messageId: 'stackedStaticPods',
        data: { manifests: staticPods.map((m) => m.path).join(', ') },
        evidence: [etcdSeen, ...staticPods.map((m): Evidence => ({ source: 'static-pod-manifest', detail: `static pod manifest ${m.path} (${m.component})` }))],
      };
    }
    // No kubelet process, but a kubelet is installed or has static pods here: a kubelet that is
    // merely stopped or restarting right now could be a cluster node's, so this is not a pass.
    const signs = kubeletSigns(host.snapshot.packages, host.snapshot.manifests.map((m) => m.path));
    if (signs.length > 0) {
      return { status: 'unknown', messageId: 'kubeletNotRunning', data: { signs: signs.map((e) => e.detail).join('; ') }, evidence: [etcdSeen, ...signs] };
    }
    return { status: 'pass', messageId: 'dedicatedHost', evidence: [etcdSeen, { source: 'process', detail: 'no kubelet process on this host' }] };
  },
});
