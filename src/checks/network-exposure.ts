import { defineCheck } from './define-check.js';
import type { Evidence, Outcome } from './types.js';
import type { ComponentName } from '../collect/types.js';
import {
  cidrContains,
  exposureOf,
  formatHostPort,
  parseCidrs,
  publicAddressIn,
  type Cidr,
  type Exposure,
} from '../resolve/network.js';
import { JUDGED_COMPONENTS } from '../resolve/resolved.js';
import type { Socket } from '../resolve/served-ports.js';

/** The standard's port tables; kube-proxy's ports are reported, not judged (DESIGN §3). */
const JUDGED: ReadonlySet<ComponentName> = new Set(JUDGED_COMPONENTS);

const messages = {
  notExposed: 'Component ports are bound only to loopback or declared internal addresses: {{sockets}}.',
  publicListener: 'Component ports are reachable on public addresses: {{sockets}}.',
  undeclared:
    'Component ports listen on addresses not declared internal ({{sockets}}); this node cannot see firewalls, security groups or NAT in front of it. Declare the internal networks in network.internalCIDRs.',
  noComponent: 'No kube-apiserver, etcd, kubelet, kube-controller-manager or kube-scheduler on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'network-exposure',
  title: 'Component ports other than the API server listen only on loopback or declared internal addresses',
  level: 'MUST',
  component: 'node',
  requirement: {
    section: 'Standard',
    quote:
      'It MUST NOT be possible to access Kubernetes ports from outside the internal network hosting the Kubernetes cluster except for the ports of the API server (default 6443) and the NodePort Services (default 30000-32767).',
  },
  remediation:
    "Bind component ports to loopback or to the node's internal address: etcd `--listen-client-urls`/`--listen-peer-urls`/`--listen-metrics-urls`, kubelet `address` (KubeletConfiguration) or `--address`, kube-controller-manager and kube-scheduler `--bind-address` (kubeadm: `controllerManager.extraArgs`/`scheduler.extraArgs`, `etcd.local.extraArgs`). Declare the internal networks in the scs-node-audit config (`network.internalCIDRs`), and block the ports at the firewall or security group.",
  messages,
  evaluate(host, context): Outcome<MessageId> {
    const judgedProcs = host.snapshot.processes.filter((p) => JUDGED.has(p.component));
    if (judgedProcs.length === 0) return { status: 'skip', messageId: 'noComponent', evidence: [] };

    const notes: Evidence[] = [];
    const cidrs = [
      ...declaredRanges('network.internalCIDRs', context.internalCIDRs, notes),
      ...declaredRanges('network.publicCIDRsDeclaredInternal', context.publicCIDRsDeclaredInternal ?? [], notes),
    ];
    const { sockets, reported } = host.servedPorts;
    for (const note of host.servedPorts.notes) notes.push(note);
    const addresses = host.snapshot.addresses;

    const publicOnes: string[] = [];
    const undeclared: string[] = [];
    const fine: string[] = [];
    const evidence: Evidence[] = [];
    for (const s of sockets) {
      // The API server's own port is meant to be reachable from outside (the standard's exception).
      if (s.component === 'kube-apiserver' && s.purpose === 'secure-port') {
        evidence.push({ ...s.evidence, detail: `${s.evidence.detail} (kube-apiserver secure port, allowed)` });
        continue;
      }
      const exposure = exposureOf(s.address, s.family, addresses, cidrs);
      const declared = exposure.kind === 'internal' ? declaredBy(exposure.addresses, cidrs) : '';
      const label = `${describe(s, exposure)}${declared}`;
      evidence.push({
        ...s.evidence,
        detail: `${s.evidence.detail}: ${exposure.kind}${'addresses' in exposure ? ` (${exposure.addresses.join(', ')})` : ''}${declared}`,
      });
      if (exposure.kind === 'public') publicOnes.push(label);
      else if (exposure.kind === 'undeclared') undeclared.push(label);
      else fine.push(label);
    }
    for (const r of reported)
      evidence.push({ ...r.evidence, detail: `${r.evidence.detail} (kube-proxy, reported, not judged)` });
    for (const note of notes) evidence.push(note);
    if (evidence.length === 0) evidence.push({ source: 'socket', detail: 'no component listener found' });

    if (publicOnes.length > 0)
      return { status: 'fail', messageId: 'publicListener', data: { sockets: publicOnes.join(', ') }, evidence };
    // Not a fail: a private address may well be internal, but only the operator can say so, and
    // filtering in front of the node is invisible from here.
    if (undeclared.length > 0)
      return { status: 'unknown', messageId: 'undeclared', data: { sockets: undeclared.join(', ') }, evidence };
    return {
      status: 'pass',
      messageId: 'notExposed',
      data: { sockets: fine.length > 0 ? fine.join(', ') : 'none besides the kube-apiserver secure port' },
      evidence,
    };
  },
});

/** A declared range with the key that declared it, so a pass can say which declaration made it one. */
type DeclaredCidr = Cidr & { key: string };

/**
 * The operator's ranges under one key. Entries that do not parse, and public ranges under
 * internalCIDRs (config validation refuses both; a caller that skipped it must not get a pass
 * from them), are left out with a note.
 */
function declaredRanges(key: string, texts: readonly string[], notes: Evidence[]): DeclaredCidr[] {
  const { cidrs, invalid } = parseCidrs(texts);
  if (invalid.length > 0)
    notes.push({ source: 'config', detail: `${key} entries ignored (not CIDRs): ${invalid.join(', ')}` });
  const kept: DeclaredCidr[] = [];
  for (const cidr of cidrs) {
    const publicAddress = key === 'network.internalCIDRs' ? publicAddressIn(cidr) : undefined;
    if (publicAddress === undefined) kept.push({ ...cidr, key });
    else
      notes.push({
        source: 'config',
        detail: `${key} entry ${cidr.text} ignored: it covers public addresses (e.g. ${publicAddress})`,
      });
  }
  return kept;
}

/** ` (declared internal by network.internalCIDRs 10.0.0.0/16)` for the ranges that hold `addresses`. */
function declaredBy(addresses: readonly string[], cidrs: readonly DeclaredCidr[]): string {
  const used = new Set<string>();
  for (const address of addresses) {
    const cidr = cidrs.find((c) => cidrContains(c, address));
    if (cidr) used.add(`${cidr.key} ${cidr.text}`);
  }
  return used.size === 0 ? '' : ` (declared internal by ${[...used].join(', ')})`;
}

function describe(s: Socket, exposure: Exposure): string {
  const where = formatHostPort(s.address, s.port);
  const reach =
    'addresses' in exposure && exposure.addresses.join(',') !== s.address ? ` → ${exposure.addresses.join(', ')}` : '';
  return `${s.component}${s.purpose ? ` ${s.purpose}` : ''} ${where}${reach}`;
}
