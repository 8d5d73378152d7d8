// What the distributions seen on a host say must run there, and which of those components the
// audit could not establish. A component that runs (inside `k3s server`, as a child of `k0s`, in
// MicroK8s's `kubelite`) but whose settings are not known is `unknown`, never `skip` (DESIGN §3).
import type { ComponentName, DistributionSign, ProcessInfo } from '../collect/types.js';
import type { JudgedComponent } from './resolved.js';

export interface DistributionFacts {
  signs: DistributionSign[];
  /** Components a distribution runs here whose settings could not be established, each with why. */
  notEstablished: Partial<Record<JudgedComponent, string>>;
  /** Why no etcd runs here although a distribution's control plane does (kine, dqlite, external). */
  etcdAbsent?: string;
}

const CONTROL_PLANE: readonly JudgedComponent[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

function hasFlag(argv: readonly string[] | undefined, name: string): boolean {
  return (argv ?? []).some((a) => a === `--${name}` || a === `--${name}=true` || a.startsWith(`--${name}=t`));
}

/**
 * The components a distribution runs in this role. Sources: k3s `pkg/cli/cmds/server.go`
 * (`--disable-agent`, `--disable-apiserver`, `--disable-scheduler`, `--disable-controller-manager`,
 * `--disable-etcd`); k0s `cmd/controller` (`--enable-worker`, `--single`); MicroK8s kubelite
 * (`--start-control-plane`). An unknown role claims the kubelet: every role of every one runs one,
 * except a k0s controller alone, which is then `unknown` rather than `skip` — the safe side.
 */
export function componentsOf(sign: DistributionSign): JudgedComponent[] {
  const argv = sign.argv;
  const etcd: JudgedComponent[] = sign.datastore === undefined || sign.datastore.kind === 'etcd' ? ['etcd'] : [];
  switch (`${sign.name}/${sign.role ?? ''}`) {
    case 'k3s/server':
    case 'rke2/server': {
      const parts: JudgedComponent[] = [];
      if (!hasFlag(argv, 'disable-apiserver')) parts.push('kube-apiserver');
      if (!hasFlag(argv, 'disable-controller-manager')) parts.push('kube-controller-manager');
      if (!hasFlag(argv, 'disable-scheduler')) parts.push('kube-scheduler');
      if (!hasFlag(argv, 'disable-etcd')) parts.push(...etcd);
      if (!hasFlag(argv, 'disable-agent')) parts.push('kubelet');
      return parts;
    }
    case 'k0s/controller':
      return [
        ...CONTROL_PLANE,
        ...etcd,
        ...(hasFlag(argv, 'enable-worker') || hasFlag(argv, 'single') ? (['kubelet'] as const) : []),
      ];
    case 'microk8s/kubelite':
      return (argv ?? []).includes('--start-control-plane=false') ? ['kubelet'] : [...CONTROL_PLANE, 'kubelet'];
    case 'microk8s/dqlite':
      return [];
    default:
      return ['kubelet'];
  }
}

function describeSign(sign: DistributionSign): string {
  return `${sign.name}${sign.role === undefined ? '' : ` ${sign.role}`}`;
}

function whyNotEstablished(sign: DistributionSign, component: JudgedComponent): string {
  if (sign.pid === undefined) {
    return `${sign.name} is installed here (${sign.shownBy}) but no ${sign.name} process runs, so the settings ${component} would run with could not be established`;
  }
  const why =
    sign.unread?.[component] ??
    `no command line for it was found in the process list, a static pod manifest or ${sign.name}'s own records`;
  return `${describeSign(sign)} (pid ${sign.pid}) runs ${component}, but its effective settings could not be established: ${why}`;
}

/** Which components the distributions say run here and were not audited (`audited` lacks them). */
export function distributionFacts(
  signs: DistributionSign[],
  audited: Partial<Record<ComponentName, ProcessInfo>>,
): DistributionFacts {
  const notEstablished: DistributionFacts['notEstablished'] = {};
  for (const sign of signs) {
    for (const component of componentsOf(sign)) {
      if (audited[component] === undefined && notEstablished[component] === undefined)
        notEstablished[component] = whyNotEstablished(sign, component);
    }
  }
  const without = signs.find((s) => s.datastore !== undefined && s.datastore.kind !== 'etcd');
  const facts: DistributionFacts = { signs, notEstablished };
  if (without?.datastore !== undefined && audited.etcd === undefined)
    facts.etcdAbsent = `${describeSign(without)} keeps the cluster state in ${without.datastore.shownBy}, not in an etcd on this host.`;
  return facts;
}
