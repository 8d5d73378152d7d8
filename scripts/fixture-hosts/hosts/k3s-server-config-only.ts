import type { ExportEntry } from '../../journal-fixture.js';
import { K3S, k3sBinary } from '../blocks/k3s.js';
import type { FileSpec, HostSpec } from '../spec.js';
import { k3sServer } from './k3s-server.js';
import { k3sServerEtcd } from './k3s-server-etcd.js';

function isJournal(spec: FileSpec | undefined): spec is { journal: ExportEntry[] } {
  return typeof spec === 'object' && 'journal' in spec;
}

/** The message of a journal entry. */
function messageOf(entry: ExportEntry): string {
  return entry.fields.find(([name]) => name === 'MESSAGE')?.[1] ?? '';
}

/**
 * A hardened k3s server configured only through its config files, whose `Running …` lines were
 * dropped by journald's rate limit (journald.conf(5) `RateLimitBurst=`: it logs "Suppressed N
 * messages from <unit>" instead): the `Starting k3s` line of the running pid is there, the
 * component lines are not. One insecure setting, added in a drop-in with `kubelet-arg+:`.
 */
export function k3sServerConfigOnly(): HostSpec {
  const host = k3sServer();
  const journalPath = Object.keys(host.files).find((p) => isJournal(host.files[p]))!;
  const journal = host.files[journalPath] as { journal: ExportEntry[] };
  const kept = journal.journal.filter((e) => !/msg="Running /.test(messageOf(e)));
  const starting = kept.findIndex((e) => /msg="Starting k3s /.test(messageOf(e)));
  const at = kept[starting]!;
  const suppressed: ExportEntry = {
    realtime: at.realtime + 500,
    monotonic: at.monotonic + 500,
    bootId: at.bootId,
    fields: [
      ['_TRANSPORT', 'driver'],
      ['PRIORITY', '4'],
      ['SYSLOG_IDENTIFIER', 'systemd-journald'],
      ['_PID', '312'],
      ['_COMM', 'systemd-journald'],
      ['_SYSTEMD_UNIT', 'systemd-journald.service'],
      ['MESSAGE', 'Suppressed 4213 messages from k3s.service'],
    ],
  };
  const entries = [...kept.slice(0, starting + 1), suppressed, ...kept.slice(starting + 1)];
  return {
    ...host,
    name: 'k3s-server-config-only',
    files: {
      ...host.files,
      [journalPath]: { journal: entries },
      '/usr/local/bin/k3s': k3sBinary('v1.33.4+k3s1'),
      // install.sh writes the flags given to it after `server` (https://docs.k3s.io/installation/configuration).
      '/etc/systemd/system/k3s.service': [
        '[Unit]',
        'Description=Lightweight Kubernetes',
        'Documentation=https://k3s.io',
        '[Service]',
        'Type=notify',
        'EnvironmentFile=-/etc/systemd/system/k3s.service.env',
        'ExecStart=/usr/local/bin/k3s \\',
        '    server \\',
        "    '--secrets-encryption' \\",
        '',
      ].join('\n'),
      '/etc/rancher/k3s/config.yaml': [
        '# CIS hardening, as https://docs.k3s.io/security/hardening-guide sets it up',
        'protect-kernel-defaults: true',
        'kube-apiserver-arg:',
        `  - admission-control-config-file=${K3S}/server/psa.yaml`,
        '  - audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log',
        'kubelet-arg:',
        '  - streaming-connection-idle-timeout=5m',
        '',
      ].join('\n'),
      // Lexically after config.yaml: `+` appends to the list above instead of replacing it.
      '/etc/rancher/k3s/config.yaml.d/50-metrics.yaml': [
        '# added later for an old metrics scraper',
        'kubelet-arg+:',
        '  - read-only-port=10255',
        '',
      ].join('\n'),
      // The PodSecurity admission config of the hardened k3s host (k3s hardening guide).
      [`${K3S}/server/psa.yaml`]: k3sServerEtcd().files[`${K3S}/server/psa.yaml`]!,
    },
  };
}
