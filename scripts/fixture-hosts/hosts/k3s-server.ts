import { SSHD, SYSTEMD } from '../blocks/common.js';
import { BOOT_ID, START_US, journalFiles, noise } from '../blocks/journal.js';
import {
  K3S,
  K3S_KCM_ARGS,
  K3S_SCHEDULER_ARGS,
  K3S_SERVER_LISTENS,
  K3S_SERVICE,
  K3S_VERSION,
  k3sAgentFiles,
  k3sApiserverArgs,
  k3sContainerd,
  k3sKubeletArgs,
  k3sProcess,
  k3sProxyArgs,
  k3sStart,
} from '../blocks/k3s.js';
import { cert } from '../certs.js';
import type { HostSpec } from '../spec.js';

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
