// A k3s host's journal, written by systemd-journal-remote into a temporary fake root:
// /etc/machine-id, /proc/sys/kernel/random/boot_id, and under /var/log/journal/<machine-id>/ an
// archived file of the previous boot plus the active system.journal of this boot, in which an
// earlier k3s process (pid OLD_PID, insecure flags) crashed and the running one (pid K3S_PID,
// hardened flags) started. Noise from other units surrounds the k3s lines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  logrusLine,
  serviceFields,
  writeJournal,
  type ExportEntry,
  type WriterOptions,
} from '../../../scripts/journal-fixture.js';

export const MACHINE_ID = '5f2c4b1a9e8d4c7b8a6f5e4d3c2b1a09';
export const BOOT_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const PREVIOUS_BOOT_ID = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
export const OLD_PID = 811;
export const K3S_PID = 1207;
export const VERSION = 'v1.33.4+k3s1';
const T0 = 1_760_000_000_000_000;

/** What k3s v1.33 logs for a default server (k3s-io/k3s:pkg/daemons/control/server.go), abridged. */
export function apiserverArgs(anonymous: boolean): string[] {
  return [
    '--admission-control-config-file=/var/lib/rancher/k3s/server/psa.yaml',
    '--advertise-address=10.0.0.5',
    '--advertise-port=6443',
    '--allow-privileged=true',
    `--anonymous-auth=${anonymous}`,
    '--api-audiences=https://kubernetes.default.svc.cluster.local,k3s',
    '--authorization-mode=Node,RBAC',
    '--bind-address=127.0.0.1',
    '--cert-dir=/var/lib/rancher/k3s/server/tls/temporary-certs',
    '--client-ca-file=/var/lib/rancher/k3s/server/tls/client-ca.crt',
    '--egress-selector-config-file=/var/lib/rancher/k3s/server/etc/egress-selector-config.yaml',
    '--enable-admission-plugins=NodeRestriction',
    '--enable-aggregator-routing=true',
    '--enable-bootstrap-token-auth=true',
    '--etcd-servers=unix://kine.sock',
    '--kubelet-certificate-authority=/var/lib/rancher/k3s/server/tls/server-ca.crt',
    '--kubelet-client-certificate=/var/lib/rancher/k3s/server/tls/client-kube-apiserver.crt',
    '--kubelet-client-key=/var/lib/rancher/k3s/server/tls/client-kube-apiserver.key',
    '--profiling=false',
    '--proxy-client-cert-file=/var/lib/rancher/k3s/server/tls/client-auth-proxy.crt',
    '--proxy-client-key-file=/var/lib/rancher/k3s/server/tls/client-auth-proxy.key',
    '--requestheader-allowed-names=system:auth-proxy',
    '--requestheader-client-ca-file=/var/lib/rancher/k3s/server/tls/request-header-ca.crt',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-username-headers=X-Remote-User',
    '--secure-port=6444',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    '--service-account-key-file=/var/lib/rancher/k3s/server/tls/service.key',
    '--service-account-signing-key-file=/var/lib/rancher/k3s/server/tls/service.current.key',
    '--service-cluster-ip-range=10.43.0.0/16',
    '--service-node-port-range=30000-32767',
    '--storage-backend=etcd3',
    '--tls-cert-file=/var/lib/rancher/k3s/server/tls/serving-kube-apiserver.crt',
    '--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    '--tls-private-key-file=/var/lib/rancher/k3s/server/tls/serving-kube-apiserver.key',
  ];
}

export function kubeletArgs(anonymous: boolean): string[] {
  return [
    '--address=0.0.0.0',
    `--anonymous-auth=${anonymous}`,
    '--authentication-token-webhook=true',
    '--authorization-mode=Webhook',
    '--client-ca-file=/var/lib/rancher/k3s/agent/client-ca.crt',
    '--config-dir=/var/lib/rancher/k3s/agent/etc/kubelet.conf.d',
    '--hostname-override=node-1',
    '--kubeconfig=/var/lib/rancher/k3s/agent/kubelet.kubeconfig',
    '--node-labels=',
    '--read-only-port=0',
  ];
}

export const SCHEDULER_ARGS = [
  '--authentication-kubeconfig=/var/lib/rancher/k3s/server/cred/scheduler.kubeconfig',
  '--bind-address=127.0.0.1',
  '--profiling=false',
  '--secure-port=10259',
];
export const CONTROLLER_MANAGER_ARGS = [
  '--allocate-node-cidrs=true',
  '--bind-address=127.0.0.1',
  '--profiling=false',
  '--use-service-account-credentials=true',
];
export const CLOUD_CONTROLLER_MANAGER_ARGS = [
  '--allocate-node-cidrs=true',
  '--bind-address=127.0.0.1',
  '--cloud-provider=k3s',
  '--secure-port=10258',
];
export const PROXY_ARGS = [
  '--cluster-cidr=10.42.0.0/16',
  '--conntrack-max-per-core=0',
  '--healthz-bind-address=127.0.0.1',
  '--hostname-override=node-1',
  '--kubeconfig=/var/lib/rancher/k3s/agent/kubeproxy.kubeconfig',
  '--proxy-mode=iptables',
];

export interface K3sStart {
  pid: number;
  bootId: string;
  unit: string;
  role: 'server' | 'agent';
  anonymous: boolean;
  /** Extra chatter of the process after its start lines. */
  chatter: number;
}

let clock = 0;
function next(bootId: string, fields: Array<[string, string]>): ExportEntry {
  clock += 1;
  return { realtime: T0 + clock * 1000, monotonic: clock * 1000, bootId, fields };
}

export function noise(bootId: string, count: number): ExportEntry[] {
  const out: ExportEntry[] = [];
  for (let i = 0; i < count; i++) {
    const unit = i % 3 === 0 ? 'containerd.service' : i % 3 === 1 ? 'cron.service' : 'systemd-networkd.service';
    out.push(
      next(
        bootId,
        serviceFields(unit, 300 + (i % 7), unit.split('.')[0] ?? 'x', `noise line ${i} from ${unit} Running nothing`),
      ),
    );
  }
  return out;
}

/** The lines one k3s process logs: its start, each component's command line, then chatter. */
let invocations = 0;

export function k3sProcess(start: K3sStart): ExportEntry[] {
  // Every start of a unit has its own invocation id (systemd.exec(5) $INVOCATION_ID).
  invocations += 1;
  const invocationId = `${invocations.toString(16).padStart(8, '0')}${start.bootId.slice(8)}`;
  const line = (msg: string): ExportEntry => {
    const entry = next(start.bootId, []);
    entry.fields = serviceFields(start.unit, start.pid, 'k3s', logrusLine(entry.realtime, msg), invocationId);
    return entry;
  };
  const out: ExportEntry[] = [
    line(start.role === 'server' ? `Starting k3s ${VERSION} (8f3b2a1c)` : `Starting k3s agent ${VERSION} (8f3b2a1c)`),
  ];
  if (start.role === 'server') {
    out.push(line(`Running kube-apiserver ${apiserverArgs(start.anonymous).join(' ')}`));
    out.push(line(`Running kube-scheduler ${SCHEDULER_ARGS.join(' ')}`));
    out.push(line(`Running kube-controller-manager ${CONTROLLER_MANAGER_ARGS.join(' ')}`));
    out.push(line(`Running cloud-controller-manager ${CLOUD_CONTROLLER_MANAGER_ARGS.join(' ')}`));
  }
  out.push(line(`Running kubelet ${kubeletArgs(start.anonymous).join(' ')}`));
  out.push(line(`Running kube-proxy ${PROXY_ARGS.join(' ')}`));
  for (let i = 0; i < start.chatter; i++)
    out.push(line(`Tunnel server egress proxy waiting for runtime core to become available ${i}`));
  return out;
}

export interface K3sHost {
  root: string;
  proc: string;
  dir: string;
  active: string;
  archived: string;
}

export function makeTempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-journal-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The standard host: previous boot in an archived file; this boot: old k3s crashed, running k3s started. */
export function makeK3sHost(base: string, options: WriterOptions = {}, role: 'server' | 'agent' = 'server'): K3sHost {
  const root = path.join(base, 'root');
  const proc = path.join(root, 'proc');
  const unit = role === 'server' ? 'k3s.service' : 'k3s-agent.service';
  const dir = path.join(root, 'var/log/journal', MACHINE_ID);
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/machine-id'), `${MACHINE_ID}\n`);
  fs.mkdirSync(path.join(proc, 'sys/kernel/random'), { recursive: true });
  // The kernel prints the boot id as a UUID with dashes.
  fs.writeFileSync(
    path.join(proc, 'sys/kernel/random/boot_id'),
    `${BOOT_ID.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}\n`,
  );

  // Previous boot: the running pid number was already used by a k3s with insecure flags.
  const archived = path.join(dir, `system@0000000000000000000000000000000a-0000000000000001-0006400000000000.journal`);
  writeJournal(
    archived,
    [
      ...noise(PREVIOUS_BOOT_ID, 50),
      ...k3sProcess({ pid: K3S_PID, bootId: PREVIOUS_BOOT_ID, unit, role, anonymous: true, chatter: 5 }),
      ...noise(PREVIOUS_BOOT_ID, 20),
    ],
    options,
  );
  const active = path.join(dir, 'system.journal');
  writeJournal(
    active,
    [
      ...noise(BOOT_ID, 40),
      ...k3sProcess({ pid: OLD_PID, bootId: BOOT_ID, unit, role, anonymous: true, chatter: 3 }),
      ...noise(BOOT_ID, 40),
      ...k3sProcess({ pid: K3S_PID, bootId: BOOT_ID, unit, role, anonymous: false, chatter: 30 }),
      ...noise(BOOT_ID, 40),
    ],
    options,
  );
  return { root, proc, dir, active, archived };
}
