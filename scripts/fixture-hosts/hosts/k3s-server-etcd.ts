import { SSHD, SYSTEMD } from '../blocks/common.js';
import { BOOT_ID, START_US, journalFiles, noise } from '../blocks/journal.js';
import {
  K3S,
  K3S_KCM_ARGS,
  K3S_SCHEDULER_ARGS,
  K3S_SERVER_LISTENS,
  K3S_VERSION,
  k3sApiserverArgs,
  k3sContainerd,
  k3sEtcdConfig,
  k3sKubeletArgs,
  k3sProcess,
  k3sProxyArgs,
  k3sStart,
} from '../blocks/k3s.js';
import { cert } from '../certs.js';
import { k3sServer } from './k3s-server.js';
import type { FileSpec, HostSpec } from '../spec.js';

/**
 * A hardened k3s server with embedded etcd (`--cluster-init`), as the k3s CIS hardening guide
 * sets it up: a PodSecurity admission config passed with `--kube-apiserver-arg`, which k3s appends
 * to the apiserver's flags. etcd logs no command line: it reads `server/db/etcd/config`.
 */
export function k3sServerEtcd(): HostSpec {
  const node = 'k3s-server-1';
  const ip = '10.0.4.11';
  const pid = 1207;
  const tls = `${K3S}/server/tls`;
  const etcdConfig = `${K3S}/server/db/etcd/config`;
  const apiserver = k3sApiserverArgs(ip, [`--admission-control-config-file=${K3S}/server/psa.yaml`])
    .filter((a) => !a.startsWith('--etcd-servers='))
    .concat([
      `--etcd-cafile=${tls}/etcd/server-ca.crt`,
      `--etcd-certfile=${tls}/etcd/client.crt`,
      `--etcd-keyfile=${tls}/etcd/client.key`,
      '--etcd-servers=https://127.0.0.1:2379',
    ]);
  const clock = { t: START_US };
  const lines: Array<[string, string[]]> = [
    ['kube-apiserver', apiserver],
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
  const host = k3sServer();
  // Without kine's SQLite database: this server runs embedded etcd instead.
  const files: Record<string, FileSpec> = Object.fromEntries(
    Object.entries({ ...host.files, ...journalFiles(entries) }).filter(
      ([file]) => file !== `${K3S}/server/db/state.db`,
    ),
  );
  return {
    ...host,
    name: 'k3s-server-etcd',
    processes: [
      SYSTEMD,
      SSHD,
      k3sProcess(pid, 'server', [
        ...K3S_SERVER_LISTENS,
        { address: '127.0.0.1', port: 2379 },
        { address: ip, port: 2379 },
        { address: '127.0.0.1', port: 2380 },
        { address: ip, port: 2380 },
        { address: '127.0.0.1', port: 2381 },
        { address: '127.0.0.1', port: 2382 },
      ]),
      k3sContainerd(1230, pid),
    ],
    files: {
      ...files,
      '/etc/rancher/k3s/config.yaml': `cluster-init: true\nprotect-kernel-defaults: true\nkube-apiserver-arg:\n- admission-control-config-file=${K3S}/server/psa.yaml\n`,
      [`${K3S}/server/psa.yaml`]: [
        'apiVersion: apiserver.config.k8s.io/v1',
        'kind: AdmissionConfiguration',
        'plugins:',
        '- name: PodSecurity',
        '  configuration:',
        '    apiVersion: pod-security.admission.config.k8s.io/v1beta1',
        '    kind: PodSecurityConfiguration',
        '    defaults:',
        '      enforce: "restricted"',
        '      enforce-version: "latest"',
        '      audit: "restricted"',
        '      audit-version: "latest"',
        '      warn: "restricted"',
        '      warn-version: "latest"',
        '    exemptions:',
        '      usernames: []',
        '      runtimeClasses: []',
        '      namespaces: [kube-system, cis-operator-system]',
        '',
      ].join('\n'),
      [etcdConfig]: k3sEtcdConfig({ dataDir: `${K3S}/server/db/etcd`, tls, ip, name: `${node}-5e1a7c33` }),
      [`${tls}/etcd/server-ca.crt`]: cert('rke2-etcd-server-ca.crt'),
      [`${tls}/etcd/peer-ca.crt`]: cert('rke2-etcd-peer-ca.crt'),
      [`${tls}/etcd/client.crt`]: cert('rke2-etcd-client.crt'),
    },
  };
}
