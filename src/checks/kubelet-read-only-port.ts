import type { Listener } from '../collect/types.js';
import { probeEvidence, probeRecords, probeUrl } from './support/probes.js';
import { defineCheck } from './define-check.js';
import type { Evidence, Outcome } from './types.js';

/** The kubelet's read-only port when it was on by default; where a stale listener would sit. */
const CLASSIC_READ_ONLY_PORT = 10255;

function socketEvidence(listener: Listener): Evidence {
  const address = listener.address.includes(':') ? `[${listener.address}]` : listener.address;
  const owner = listener.pid === undefined ? 'owner unknown' : `owned by pid ${listener.pid}`;
  return { source: 'socket', detail: `${address}:${listener.port} listening (${owner})` };
}

const messages = {
  disabled: 'The kubelet read-only port is disabled ({{detail}}) and no kubelet socket listens on port 10255.',
  disabledConfigOnly:
    'The kubelet read-only port is disabled by configuration ({{detail}}); listening sockets could not be read ({{sockets}}), so only the configuration decided.',
  enabled: 'The kubelet serves its unauthenticated plain-HTTP read-only API on port {{port}} ({{detail}}).',
  listeningDespiteConfig:
    'The configuration disables the read-only port ({{detail}}), yet the kubelet (pid {{pid}}) listens on port 10255: it probably still runs with an older configuration and needs a restart.',
  answeringDespiteConfig:
    'Config says the read-only port is disabled ({{detail}}), but the kubelet (pid {{pid}}) listens on port 10255 and {{url}} answered {{status}} in plain HTTP: it probably still runs with an older configuration and needs a restart.',
  listeningUnknownConfig:
    'The kubelet (pid {{pid}}) listens on port 10255, the read-only port, while its configuration could not be determined: {{reason}}.',
  unownedListener:
    'The configuration disables the read-only port ({{detail}}), but a socket listens on port 10255 whose owner could not be read; reading /proc/<pid>/fd of the kubelet would decide.',
  undetermined: 'Cannot tell the kubelet read-only port: {{reason}}.',
  noKubelet: 'No kubelet runs on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'kubelet-read-only-port',
  title: 'Kubelet read-only port is disabled',
  level: 'SHOULD',
  component: 'kubelet',
  requirement: {
    section: 'Standard',
    quote:
      'The read-only Kubelet API port (default 10255), which is mostly used for monitoring, ' +
      "SHOULD be disabled altogether if it isn't in use, mainly because the port is HTTP-only " +
      'and can deliver sensitive information to the outside.',
  },
  remediation:
    'Set `readOnlyPort: 0` in the KubeletConfiguration file named by --config (kubeadm: /var/lib/kubelet/config.yaml; ' +
    'leaving the key out also means 0) and in no --config-dir drop-in, and drop any --read-only-port flag other than ' +
    '--read-only-port=0; then restart the kubelet. A kubelet started without --config serves port 10255 by default.',
  messages,
  evaluate(host): Outcome<MessageId> {
    const kubelet = host.kubelet;
    if (!kubelet) return { status: 'skip', messageId: 'noKubelet', evidence: [] };
    const { readOnlyPort, proc } = kubelet;
    const listeners = host.snapshot.listeners;
    const sockets = Array.isArray(listeners) ? listeners : undefined;
    const ownedByKubelet = (port: number): Listener[] =>
      (sockets ?? []).filter((l) => l.port === port && proc.pid !== 0 && l.pid === proc.pid);
    // A live answer on the port is evidence in every outcome; it never passes a port configured open.
    const records = probeRecords(host, 'kubelet-read-only-port');
    const probes = records.map(probeEvidence);
    const answered = records.find((r) => r.outcome === 'response');

    if (!readOnlyPort.known) {
      // What the kubelet listens on is a fact even when its configuration cannot be read.
      const observed = ownedByKubelet(CLASSIC_READ_ONLY_PORT);
      if (observed.length > 0) {
        return {
          status: 'fail',
          messageId: 'listeningUnknownConfig',
          data: { pid: proc.pid, reason: readOnlyPort.reason },
          evidence: [...observed.map(socketEvidence), ...probes],
        };
      }
      // The configuration might set any port; without it there is nothing to judge.
      return { status: 'unknown', messageId: 'undetermined', data: { reason: readOnlyPort.reason }, evidence: probes };
    }

    const detail = readOnlyPort.evidence.detail;
    if (readOnlyPort.value !== 0) {
      // Any non-zero port is an open plain-HTTP API, not only 10255 (SCS's own test only warns on 10255).
      const observed = ownedByKubelet(readOnlyPort.value).map(socketEvidence);
      return {
        status: 'fail',
        messageId: 'enabled',
        data: { port: readOnlyPort.value, detail },
        evidence: [readOnlyPort.evidence, ...observed, ...probes],
      };
    }
    if (!Array.isArray(listeners)) {
      // The standard asks for a disabled port; the configuration alone says so, and the message admits it.
      return {
        status: 'pass',
        messageId: 'disabledConfigOnly',
        data: { detail, sockets: listeners.detail },
        evidence: [readOnlyPort.evidence],
      };
    }
    const stale = ownedByKubelet(CLASSIC_READ_ONLY_PORT);
    if (stale.length > 0 && answered?.status !== undefined) {
      return {
        status: 'fail',
        messageId: 'answeringDespiteConfig',
        data: { detail, pid: proc.pid, url: probeUrl(answered), status: answered.status },
        evidence: [readOnlyPort.evidence, ...stale.map(socketEvidence), ...probes],
      };
    }
    if (stale.length > 0) {
      return {
        status: 'fail',
        messageId: 'listeningDespiteConfig',
        data: { detail, pid: proc.pid },
        evidence: [readOnlyPort.evidence, ...stale.map(socketEvidence), ...probes],
      };
    }
    // A listener on 10255 whose owner is unreadable may be the kubelet or anything else.
    const unowned = listeners.filter((l) => l.port === CLASSIC_READ_ONLY_PORT && l.pid === undefined);
    if (unowned.length > 0)
      return {
        status: 'unknown',
        messageId: 'unownedListener',
        data: { detail },
        evidence: [readOnlyPort.evidence, ...unowned.map(socketEvidence), ...probes],
      };
    return { status: 'pass', messageId: 'disabled', data: { detail }, evidence: [readOnlyPort.evidence] };
  },
});
