import { MACHINE_ID, PREVIOUS_BOOT_ID, START_US, noise } from '../blocks/journal.js';
import { K3S_VERSION, k3sApiserverArgs, k3sBinary, k3sStart } from '../blocks/k3s.js';
import { k3sServer } from './k3s-server.js';
import type { HostSpec } from '../spec.js';

/**
 * The same server after a reboot with a volatile journal: no line of the running k3s anywhere, so
 * its command lines are rebuilt from its settings and the version read from the k3s executable.
 */
export function k3sServerNoJournal(): HostSpec {
  const host = k3sServer();
  const clock = { t: START_US };
  // Only the previous boot's lines survive (an archived file): they must not decide a verdict.
  const previous = [
    ...noise(PREVIOUS_BOOT_ID, 20, clock),
    ...k3sStart(
      {
        pid: 1207,
        unit: 'k3s.service',
        bootId: PREVIOUS_BOOT_ID,
        version: K3S_VERSION,
        agent: false,
        lines: [['kube-apiserver', k3sApiserverArgs('10.0.4.11', ['--authorization-mode=AlwaysAllow'])]],
      },
      clock,
    ),
  ];
  const files = Object.fromEntries(
    Object.entries(host.files).filter(([file]) => file !== `/var/log/journal/${MACHINE_ID}/system.journal`),
  );
  files[
    `/var/log/journal/${MACHINE_ID}/system@00000000000000000000000000000001-0000000000000001-0006400000000000.journal`
  ] = { journal: previous };
  files['/usr/local/bin/k3s'] = k3sBinary(K3S_VERSION);
  return { ...host, name: 'k3s-server-no-journal', files };
}
