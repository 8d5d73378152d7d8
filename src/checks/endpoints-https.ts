import { defineCheck } from './define-check.js';
import type { Evidence, Outcome } from './types.js';
import type { ComponentName } from '../collect/types.js';
import { classifyAddress, formatHostPort } from '../resolve/network.js';
import type { ResolvedHost } from '../resolve/index.js';
import { JUDGED_COMPONENTS } from '../resolve/resolved.js';
import { probeEvidence, probeRecords } from './support/probes.js';

/** The standard's port tables; kube-proxy's health and metrics ports are plain HTTP by design and only reported. */
const JUDGED: ReadonlySet<ComponentName> = new Set(JUDGED_COMPONENTS);
/** Components that always serve at least one port; none resolved means their configuration was not understood. */
const ALWAYS_SERVING: ReadonlySet<ComponentName> = new Set(['kube-apiserver', 'etcd', 'kubelet']);

const messages = {
  httpsOnly: 'No component serves plain HTTP beyond loopback; checked: {{endpoints}}.{{reported}}',
  plainHttp: 'Plain HTTP served beyond loopback: {{endpoints}}.{{reported}}',
  unresolved: 'Cannot tell whether plain HTTP is served beyond loopback: {{problems}}.{{reported}}',
  noComponent: 'No kube-apiserver, etcd, kubelet, kube-controller-manager or kube-scheduler on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'endpoints-https',
  title: 'No component serves plain HTTP beyond loopback',
  level: 'MUST',
  component: 'node',
  requirement: { section: 'Standard', quote: 'Endpoints MUST be secured via HTTPS.' },
  remediation:
    'Serve plain-HTTP ports on loopback only or switch them off: etcd `--listen-metrics-urls=http://127.0.0.1:2381` (kubeadm default; kubeadm: `etcd.local.extraArgs`), or an https:// metrics URL with certificates; kubelet `readOnlyPort: 0` (or `--read-only-port=0`); remove kube-controller-manager/kube-scheduler `--port`/`--address` (insecure ports, removed in 1.24).',
  messages,
  evaluate(host): Outcome<MessageId> {
    const detected = new Set(host.snapshot.processes.map((p) => p.component).filter((c) => JUDGED.has(c)));
    if (detected.size === 0) return { status: 'skip', messageId: 'noComponent', evidence: [] };

    const judged = host.endpoints.filter((e) => JUDGED.has(e.component));
    const proxy = host.endpoints.filter((e) => e.component === 'kube-proxy');
    const reported =
      proxy.length > 0
        ? ` kube-proxy (not judged, plain HTTP by design): ${proxy.map((e) => `${e.purpose} ${e.scheme}://${formatHostPort(e.address, e.port)}`).join(', ')}.`
        : '';
    const evidence: Evidence[] = [];
    const plain: string[] = [];
    const problems: string[] = [];
    const checked: string[] = [];
    // A TLS handshake on each non-loopback listener of a component: what the port speaks beats
    // what its configuration says (a stale process, a flag the resolver misread).
    const handshakes = probeRecords(host, 'endpoints-https');
    const probed = new Set<(typeof handshakes)[number]>();
    const handshakeOf = (pid: number, port: number) => {
      const found = handshakes.find((r) => r.pid === pid && r.listener.port === port);
      if (found) probed.add(found);
      return found;
    };
    for (const e of judged) {
      const url = `${e.scheme}://${formatHostPort(e.address, e.port)}`;
      const label = `${e.component} ${e.purpose} ${url}`;
      evidence.push({ ...e.evidence, detail: `${e.evidence.detail} → ${e.component} ${e.purpose} ${url}` });
      checked.push(label);
      const handshake = handshakeOf(e.pid, e.port);
      if (handshake?.outcome === 'plain-http') {
        plain.push(
          e.scheme === 'https'
            ? `${label} (config says https, but ${handshake.target} was answered in plain HTTP)`
            : label,
        );
        continue;
      }
      if (e.scheme === 'https') continue;
      if (handshake?.outcome === 'tls') continue; // configured as http, yet it completed a TLS handshake
      const cls = classifyAddress(e.address);
      if (cls === 'loopback') continue;
      // A host name (other than localhost) may resolve to loopback (Debian maps the node name to
      // 127.0.1.1) or to a routed address: the node's resolver, not its configuration, decides.
      if (cls === undefined) problems.push(`${label} (host name "${e.address}" not resolved)`);
      else plain.push(label);
    }
    // The read-only port is the kubelet's plain-HTTP port; if its value is unknown, so is the verdict.
    if (host.kubelet && !host.kubelet.readOnlyPort.known)
      problems.push(`kubelet read-only port: ${host.kubelet.readOnlyPort.reason}`);
    for (const c of ALWAYS_SERVING) {
      if (detected.has(c) && !judged.some((e) => e.component === c)) {
        const why = unresolvedPortReason(host, c);
        problems.push(`the ports of ${c} could not be resolved from its configuration${why ? ` (${why})` : ''}`);
      }
    }
    // Listeners the configuration does not name (a port resolve did not know about) count too.
    for (const r of handshakes) {
      if (!probed.has(r) && r.outcome === 'plain-http') {
        plain.push(
          `${r.component} (pid ${r.pid}) port ${formatHostPort(r.listener.address, r.listener.port)}, not in its configuration: ${r.target} was answered in plain HTTP`,
        );
      }
    }
    for (const handshake of handshakes) evidence.push(probeEvidence(handshake));
    for (const e of proxy)
      evidence.push({ ...e.evidence, detail: `${e.evidence.detail} → kube-proxy ${e.purpose} (reported, not judged)` });

    if (plain.length > 0)
      return { status: 'fail', messageId: 'plainHttp', data: { endpoints: plain.join(', '), reported }, evidence };
    if (problems.length > 0)
      return {
        status: 'unknown',
        messageId: 'unresolved',
        data: { problems: problems.join('; '), reported },
        evidence,
      };
    if (evidence.length === 0) evidence.push({ source: 'default', detail: 'no component endpoint configured' });
    return {
      status: 'pass',
      messageId: 'httpsOnly',
      data: { endpoints: checked.length > 0 ? checked.join(', ') : 'none', reported },
      evidence,
    };
  },
});

/** Why a component's serving ports are unknown, naming the flag or file, when resolve says so. */
function unresolvedPortReason(host: ResolvedHost, component: ComponentName): string | undefined {
  const port =
    component === 'etcd'
      ? host.etcd?.listenClientUrls
      : component === 'kube-apiserver'
        ? host.apiserver?.securePort
        : component === 'kubelet'
          ? host.kubelet?.port
          : undefined;
  return port && !port.known ? port.reason : undefined;
}
