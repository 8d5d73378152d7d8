// k3s runs kube-apiserver, kube-controller-manager, kube-scheduler, the kubelet and kube-proxy
// inside its own process and logs each one's full command line once per start
// (`Running kube-apiserver --…`, k3s-io/k3s:pkg/daemons/control/server.go,
// pkg/daemons/agent/agent.go). The lines of the *running* k3s (its pid, this boot) are read from
// the binary journal (../journal). Its embedded etcd logs no command line: it reads the config file
// k3s writes at `<data-dir>/server/db/etcd/config` (k3s-io/k3s:pkg/daemons/executor/executor.go
// `ETCDConfig.ToConfigFile`), which the etcd resolver reads like any `--config-file`.
import { argValue } from '../distribution.js';
import { readK3sCommandLines, type K3sJournalRead } from '../journal/index.js';
import type { ComponentName, DistributionSign, ProcessInfo } from '../types.js';
import { alreadyFound, distributionComponent, trustedRunning, type ComponentSourceModule, type SourceContext } from './types.js';

const LOGGED: readonly ComponentName[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy'];
/** k3s's default `--data-dir` when run as root (k3s-io/k3s:pkg/cli/cmds/server.go, https://docs.k3s.io/cli/server). */
const DEFAULT_DATA_DIR = '/var/lib/rancher/k3s';

function k3sComponent(sign: DistributionSign, component: ComponentName, args: string[], via: 'journal' | 'config', paths: string[], warnings: string[]): ProcessInfo {
  return distributionComponent(sign.pid!, component, args, { distribution: 'k3s', via, paths, ...(sign.version !== undefined && { version: sign.version }) }, warnings);
}

function whyNoLine(component: ComponentName, sign: DistributionSign, read: K3sJournalRead): string {
  const where = read.files.length > 0 ? `the journal of this boot (${read.files.join(', ')})` : 'the journal (no journal file of this boot was found)';
  return `no "Running ${component}" line of k3s pid ${sign.pid} in ${where}, and rebuilding the command line from k3s's config files and built-in defaults is not supported for this k3s version${sign.version === undefined ? ' (its version is unknown too)' : ` (${sign.version})`}`;
}

function componentsOfK3s(context: SourceContext, sign: DistributionSign): ProcessInfo[] {
  const units = sign.role === 'agent' ? ['k3s-agent.service'] : ['k3s.service'];
  const read = readK3sCommandLines({ root: context.root.dir, proc: context.tree.dir, units, pid: sign.pid! });
  if (read.version !== undefined) sign.version = read.version;
  for (const note of read.notes) context.notes.push(`k3s (pid ${sign.pid}) journal: ${note}`);
  const found: ProcessInfo[] = [];
  for (const component of LOGGED) {
    if (alreadyFound(context, component)) continue;
    const line = read.commandLines[component as keyof K3sJournalRead['commandLines']];
    if (line === undefined) {
      sign.unread = { ...sign.unread, [component]: whyNoLine(component, sign, read) };
      continue;
    }
    const warnings = line.ambiguous.length > 0 ? [`the journal line cannot show where the value of ${line.ambiguous.join(', ')} ends (it holds a space)`] : [];
    found.push(k3sComponent(sign, component, line.argv, 'journal', [line.file], warnings));
  }
  if (sign.datastore?.kind === 'etcd' && !alreadyFound(context, 'etcd')) {
    const config = `${argValue(sign.argv ?? [], 'data-dir') ?? DEFAULT_DATA_DIR}/server/db/etcd/config`;
    found.push(k3sComponent(sign, 'etcd', [`--config-file=${config}`], 'config', [config], []));
  }
  return found;
}

export const k3s: ComponentSourceModule = {
  name: 'k3s',
  find(context) {
    return trustedRunning(context, 'k3s').flatMap((sign) => componentsOfK3s(context, sign));
  },
};
