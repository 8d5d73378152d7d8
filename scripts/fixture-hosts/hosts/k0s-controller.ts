import { SSHD, SYSTEMD } from '../blocks/common.js';
import { K0S, K0S_BINARIES, K0S_YAML, k0sControlPlane } from '../blocks/k0s.js';
import type { HostSpec } from '../spec.js';

/** A k0s controller (issue 8): etcd, kube-apiserver, controller-manager and scheduler are children of `k0s controller`, no kubelet. */
export function k0sController(): HostSpec {
  const ip = '10.0.5.11';
  return {
    name: 'k0s-controller',
    hostname: 'k0s-cp-1',
    ipv4: [{ address: ip, prefix: 24, device: 'eth0' }],
    ipv6: [],
    processes: [
      SYSTEMD,
      SSHD,
      {
        pid: 1400,
        ppid: 1,
        argv: ['/usr/local/bin/k0s', 'controller', '--config=/etc/k0s/k0s.yaml'],
        startedAfterBootS: 18,
        listens: [
          { address: '::', port: 9443 },
          { address: '::', port: 8132 },
        ],
      },
      ...k0sControlPlane(ip),
    ],
    files: {
      '/etc/systemd/system/k0scontroller.service':
        '[Service]\nExecStart=/usr/local/bin/k0s controller --config=/etc/k0s/k0s.yaml\n',
      '/etc/k0s/k0s.yaml': K0S_YAML,
      [`${K0S}/etcd/member/snap/db`]: '',
      // The binaries k0s unpacks and runs its children from (root-owned, as the identity rules of
      // src/resolve/identity.ts need for the system uids k0s gives them).
      ...K0S_BINARIES,
    },
  };
}
