import { SSHD, SYSTEMD } from '../blocks/common.js';
import { BOOT_ID, START_US, journalFiles, noise } from '../blocks/journal.js';
import {
  K3S_SERVICE,
  K3S_VERSION,
  k3sAgentFiles,
  k3sContainerd,
  k3sKubeletArgs,
  k3sProcess,
  k3sProxyArgs,
  k3sStart,
} from '../blocks/k3s.js';
import type { HostSpec } from '../spec.js';

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
  const entries = [
    ...noise(BOOT_ID, 25, clock),
    ...k3sStart({ pid, unit: 'k3s-agent.service', bootId: BOOT_ID, version: K3S_VERSION, agent: true, lines }, clock),
    ...noise(BOOT_ID, 25, clock),
  ];
  return {
    name: 'k3s-agent',
    hostname: node,
    ipv4: [{ address: ip, prefix: 24, device: 'eth0' }],
    ipv6: [],
    processes: [
      SYSTEMD,
      SSHD,
      k3sProcess(pid, 'agent', [
        { address: '::', port: 10250 },
        { address: '127.0.0.1', port: 10248 },
        { address: '127.0.0.1', port: 10249 },
        { address: '::', port: 10256 },
        { address: '127.0.0.1', port: 6444 },
      ]),
      k3sContainerd(1330, pid),
    ],
    files: {
      '/etc/systemd/system/k3s-agent.service': K3S_SERVICE.replace('server', 'agent'),
      '/etc/rancher/k3s/config.yaml': 'server: https://10.0.4.11:6443\nkubelet-arg:\n- anonymous-auth=true\n',
      ...k3sAgentFiles(node),
      ...journalFiles(entries),
    },
  };
}
