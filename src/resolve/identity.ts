// Is a process that looks like a component the component, or something an unprivileged user
// started under its name? Decided from facts such a user cannot forge (collect's `uid`,
// `realUid`, `executable`), never from argv or comm, which they choose. A process that fails is
// "suspicious": it is still judged (it can make a verdict worse), but it is never the only ground
// for a pass (checks/run.ts). Pure: data in, data out.
import { isWeak } from '../collect/identity.js';
import { binaryName } from '../collect/proc.js';
import type { ComponentName, Ownership, ProcessInfo } from '../collect/types.js';

/**
 * Binaries that run a component under another name. hyperkube dispatches on its subcommand or on
 * the name it was called by (kubernetes/kubernetes:cmd/hyperkube, removed in 1.19 but still in
 * old images); k3s, k0s and MicroK8s' kubelite run components from one multi-call binary.
 */
const MULTI_CALL_BINARIES: ReadonlySet<string> = new Set(['hyperkube', 'k3s', 'k0s', 'kubelite']);

/**
 * Highest uid of a system account: Debian's and most distributions' SYS_UID_MAX in
 * /etc/login.defs (shadow-utils `useradd --system`). Non-root components run under such accounts:
 * Debian's etcd package creates the system user `etcd`; kubeadm's RootlessControlPlane creates
 * `kubeadm-etcd`, `kubeadm-kas`, … with `useradd --system`-style ids
 * (kubernetes/kubernetes:cmd/kubeadm/app/util/users/users_linux.go). Login users start at 1000,
 * and `nobody` is 65534.
 */
export const SYSTEM_UID_MAX = 999;

export interface ProcessIdentity {
  pid: number;
  component: ComponentName;
  /** No fact speaks against it, and one a user cannot forge speaks for it. */
  trusted: boolean;
  /** Why it is suspicious, one clause each (empty when trusted). */
  reasons: string[];
  /** The facts, for evidence: `uid 0, /usr/bin/kubelet (root, 0755)`. */
  facts: string;
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

function describeOwner(owner: Ownership): string {
  return `${owner.path} (${owner.uid === 0 ? 'root' : `uid ${owner.uid}`}, ${octal(owner.mode)})`;
}

function weakness(owner: Ownership, what: string): string {
  return owner.uid !== 0
    ? `${what} ${owner.path} is owned by uid ${owner.uid}, not root`
    : `${what} ${owner.path} is writable by group or others (mode ${octal(owner.mode)})`;
}

/**
 * The rules (each a fact an unprivileged user cannot change for a process they start):
 * 1. its executable must be a binary of the component (or a multi-call binary), whatever argv[0]
 *    says: `exec -a kubelet python3` runs python3;
 * 2. that binary, and every directory above it, must be root-owned and not writable by group or
 *    others: else a non-root user could have put their own program there (a home, /tmp);
 * 3. it must run as root (real and effective uid 0), or as a system account (uid 1–999) with rules
 *    1 and 2 verified: components do run as `etcd` or kubeadm's rootless users, while a login
 *    user or `nobody` can start even the genuine binary with a configuration of their own.
 * A root process whose executable cannot be examined is trusted: only root can start one.
 */
export function judgeIdentity(proc: ProcessInfo): ProcessIdentity {
  const base = { pid: proc.pid, component: proc.component };
  if (proc.source !== 'process') {
    // A static pod manifest or a systemd unit lives in root's directories, not in a user's hands.
    return { ...base, trusted: true, reasons: [], facts: proc.manifestPath ?? proc.unitPath ?? proc.source };
  }
  const reasons: string[] = [];
  const executable = proc.executable;
  const uid = proc.uid;
  const realUid = proc.realUid ?? uid;
  const uidText =
    uid === undefined
      ? 'uid unknown'
      : realUid !== undefined && realUid !== uid
        ? `uid ${realUid} (effective ${uid})`
        : `uid ${uid}`;

  if (executable?.ok) {
    const name = binaryName(executable.binary.path);
    if (name !== proc.component && !MULTI_CALL_BINARIES.has(name)) {
      reasons.push(`it is named ${proc.component} but runs ${executable.binary.path}`);
    }
    if (isWeak(executable.binary)) reasons.push(weakness(executable.binary, 'its executable'));
    if (executable.weakDirectory) reasons.push(weakness(executable.weakDirectory, 'the directory'));
  }
  const verified = executable?.ok === true && reasons.length === 0;
  const root = uid === 0 && realUid === 0;
  if (uid === undefined) reasons.push('its uid could not be read');
  else if (!root) {
    const system =
      uid > 0 && uid <= SYSTEM_UID_MAX && realUid !== undefined && realUid > 0 && realUid <= SYSTEM_UID_MAX;
    if (!system) reasons.push(`it runs as ${uidText}, neither root nor a system account (uid 1-${SYSTEM_UID_MAX})`);
    else if (executable && !executable.ok)
      reasons.push(`it runs as ${uidText} and its executable could not be examined`);
    else if (!executable) reasons.push(`it runs as ${uidText} and its executable is unknown`);
  }
  const exeFacts =
    executable === undefined
      ? 'executable unknown'
      : executable.ok
        ? describeOwner(executable.binary)
        : executable.detail;
  const dirFacts =
    executable?.ok && executable.weakDirectory ? `, directory ${describeOwner(executable.weakDirectory)}` : '';
  return {
    ...base,
    trusted: reasons.length === 0 && (root || verified),
    reasons,
    facts: `${uidText}, ${exeFacts}${dirFacts}`,
  };
}

/** `kubelet pid 812 (uid 65534, …): it is named kubelet but runs /usr/bin/python3.11` */
export function describeSuspicious(identity: ProcessIdentity): string {
  return `${identity.component} pid ${identity.pid} (${identity.facts}): ${identity.reasons.join('; ')}`;
}
