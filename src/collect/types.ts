// The HostSnapshot is everything collect learned about the host, as plain serialisable data.
// It is the only input of resolve; nothing after collect touches the filesystem.

export const COMPONENTS = [
  'kube-apiserver',
  'etcd',
  'kubelet',
  'kube-controller-manager',
  'kube-scheduler',
  'kube-proxy',
] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/** Why a read did not produce content. A closed set: anything else is a bug and propagates. */
export type ReadFailureReason =
  | 'missing'
  | 'permission'
  | 'not-regular'
  | 'too-large'
  | 'outside-root'
  | 'vanished'
  | 'not-utf8'
  | 'loop'
  /** A certificate file with a CERTIFICATE block that is no readable certificate: judged on none. */
  | 'bad-certificate';

export interface ReadFailure {
  ok: false;
  /** The path as the process (or the operator) named it, absolute. */
  path: string;
  reason: ReadFailureReason;
  /** One human sentence, naming the file; never file content. */
  detail: string;
}

export interface CertificateInfo {
  subject: string;
  /** Common name(s) of the subject. */
  commonName: string | undefined;
  /** Organisation(s) of the subject (kubelet client certs carry `system:nodes` here). */
  organizations: string[];
  issuer: string;
  /** SHA-256 of the whole certificate, colon-separated hex as node:crypto prints it. */
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
  isCA: boolean;
}

export interface FileContent {
  ok: true;
  path: string;
  /**
   * UTF-8 text. For files read as `certificate` only the CERTIFICATE PEM blocks are kept
   * (a kubelet-client-current.pem also holds the private key, which never leaves collect);
   * for `kubeconfig` secrets (`client-key-data`, `token`, `password`) are replaced by `<redacted>`.
   */
  content: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  /** Parsed certificates, for files requested as `certificate`. */
  certificates?: CertificateInfo[];
}

export type FileRead = FileContent | ReadFailure;

export interface DirListing {
  ok: true;
  path: string;
  /** Regular files below the directory, recursively, as paths relative to it, sorted. */
  entries: string[];
}
export type DirRead = DirListing | ReadFailure;

/** What a resolver asks collect to read for a process. */
export interface FileRequest {
  /** Absolute, or relative to the process's cwd. */
  path: string;
  kind: 'text' | 'certificate' | 'kubeconfig' | 'dir';
}

/** Where an audited component's command line came from; described in words by collect/origin.ts only. */
export type ComponentSource = 'process' | 'static-pod-manifest' | 'systemd-unit' | 'distribution';

export interface DistributionOrigin {
  distribution: DistributionName;
  /**
   * `journal`: the line the running distribution process logged at start (k3s `Running kube-apiserver …`);
   * `args-file`: the arguments file the distribution process names (MicroK8s `--apiserver-args-file`);
   * `config`: rebuilt from the distribution's command line, config files and its built-in defaults.
   */
  via: 'journal' | 'args-file' | 'config';
  /** The files the command line was read from. */
  paths: string[];
  /** The distribution's own version when its record says (`v1.33.4+k3s1` from `Starting k3s …`). */
  version?: string;
}

export interface ProcessInfo {
  /** 0 when the component was taken from a static pod manifest or a systemd unit. */
  pid: number;
  component: ComponentName;
  /**
   * `process`: a running process; `static-pod-manifest`: no process visible, read from the static
   * pod manifest; `systemd-unit`: no process visible and no live procfs (offline image), the
   * command line the kubelet's systemd unit would start; `distribution`: the component runs inside
   * a distribution's process (k3s, MicroK8s kubelite) and its command line came from that
   * distribution's own record (`origin` says which). The sources are src/collect/sources/.
   */
  source: ComponentSource;
  /** For `distribution`: whose record, how it was read, and the files it came from. */
  origin?: DistributionOrigin;
  /** Full argv, argv[0] included. */
  argv: string[];
  /** The arguments the component parses: argv after the binary (and after `hyperkube <component>`). */
  args: string[];
  /** Environment variables the semantics need (only `ETCD_*` for etcd); never anything else. */
  env: Record<string, string>;
  /** Why `<proc>/<pid>/environ` could not be read, when it was needed (etcd) and was not. */
  environUnreadable?: string;
  /** ISO time the process started, when `<proc>/stat` and boot time were readable. */
  startedAt?: string;
  /** Effective uid (`Uid:` of `<proc>/<pid>/status`, second field). */
  uid?: number;
  /** Real uid (`Uid:` first field): a setuid binary runs with uid 0 but realUid of its caller. */
  realUid?: number;
  /**
   * What the filesystem says about `<proc>/<pid>/exe`: facts an unprivileged user cannot forge,
   * which resolve weighs to tell a component from a process merely named like one.
   */
  executable?: ExecutableFacts;
  /**
   * Why the process could not be read whole (a command line over the read limit): it runs, so it
   * is judged `unknown`, never replaced by its static pod manifest or systemd unit.
   */
  incomplete?: string;
  /** The process's working directory as the process sees it; `/` when unknown. */
  cwd: string;
  /** Basename of `<proc>/<pid>/exe` when readable. */
  exe?: string;
  /** For static pods: the manifest and the container image. */
  manifestPath?: string;
  image?: string;
  /** For `systemd-unit`: the unit file or drop-in whose ExecStart= was reconstructed. */
  unitPath?: string;
  /** Files and directories the component references, keyed by absolute path as the process sees it. */
  files: Record<string, FileRead>;
  dirs: Record<string, DirRead>;
  /** Oddities collect met (non-UTF-8 argv, unreadable environ, …), one sentence each. */
  warnings: string[];
}

/** Owner and mode of a file or directory, as `stat` gives them. */
export interface Ownership {
  path: string;
  uid: number;
  mode: number;
}

/**
 * The executable of a process and the directories above it. `weakDirectory` is the first
 * directory on the way up (the root itself excluded) that is not root-owned or that group or
 * others may write: whoever owns or may write it can swap the binary.
 */
export type ExecutableFacts =
  { ok: true; binary: Ownership; weakDirectory?: Ownership } | { ok: false; path?: string; detail: string };

export interface Listener {
  transport: 'tcp' | 'tcp6';
  /** Bound address in canonical text form: `0.0.0.0`, `::`, `127.0.0.1`, `10.0.0.5`, `::1`. */
  address: string;
  port: number;
  inode: number;
  /** Owning pid, when `<proc>/<pid>/fd` was readable. */
  pid?: number;
}

export interface StaticPodManifest {
  path: string;
  /** Component recognised from the container command, if any. */
  component?: ComponentName;
  image?: string;
  error?: string;
}

/**
 * A live answer to whether etcd's authentication is on, asked on loopback by a probe: AuthStatus
 * (`etcdctl auth status`), or Authenticate on etcd 3.4; the probe's record names the request.
 */
export interface EtcdAuthProbe {
  /** The client URL the probe asked, e.g. `https://127.0.0.1:2379`. */
  endpoint: string;
  authEnabled: boolean;
}

/** The questions the live probes ask; each informs the check of the same id, or the apiserver's version. */
export const PROBE_NAMES = [
  'endpoints-https',
  'kubelet-anonymous-auth',
  'kubelet-read-only-port',
  'etcd-client-cert-auth',
  'etcd-auth-enabled',
  'apiserver-version',
  'apiserver-anonymous',
] as const;
export type ProbeName = (typeof PROBE_NAMES)[number];

/**
 * How a probe's connection ended: `tls` a completed handshake; `plain-http` an HTTP answer to a
 * TLS ClientHello; `response` an HTTP status; `tls-rejected` the server ended the handshake (no
 * client certificate); `refused`/`timeout`/`error` no answer; `not-run` the probe was planned but
 * skipped (`detail` says why: another network namespace, no credentials, budget spent).
 */
export type ProbeOutcome =
  'tls' | 'plain-http' | 'response' | 'tls-rejected' | 'refused' | 'timeout' | 'error' | 'not-run';

/** One live probe and what it saw. Never holds a secret or a response body. */
export interface ProbeRecord {
  probe: ProbeName;
  component: ComponentName;
  /** The process that owns the probed listener. */
  pid: number;
  /** What was asked: `TLS handshake 127.0.0.1:2381`, `GET https://127.0.0.1:10250/pods`. */
  target: string;
  /** The listener as bound (`0.0.0.0`, `10.0.0.5`) and its port; the probe connected to `target`. */
  listener: { address: string; port: number };
  outcome: ProbeOutcome;
  /** The HTTP status, when outcome is `response`. */
  status?: number;
  /** apiserver `/version`: the `gitVersion` it reported. */
  version?: string;
  /** One sentence on what was seen, e.g. `answered 401`; never a secret. */
  detail: string;
}

/** Results of the optional live probes; a probe that did not run or did not answer is absent. */
export interface ProbeResults {
  etcd?: EtcdAuthProbe;
  /** Every planned probe with its outcome, in plan order. */
  records?: ProbeRecord[];
}

/** Distributions that run Kubernetes components in their own process or as their children. */
export type DistributionName = 'k3s' | 'rke2' | 'k0s' | 'microk8s';

/** What a distribution keeps its cluster state in, when that is known. */
export interface Datastore {
  /** `etcd` runs on this host (embedded or as the distribution's child); the others mean no local etcd. */
  kind: 'etcd' | 'sqlite' | 'dqlite' | 'external';
  /** In words, naming the file, flag or process that shows it. */
  shownBy: string;
}

/** A Kubernetes distribution seen on the host. */
export interface DistributionSign {
  name: DistributionName;
  /** `server`, `agent`, `controller`, `worker`, `kubelite`, `dqlite`; absent when only a data directory shows it. */
  role?: string;
  /** The distribution's own process, when it runs. */
  pid?: number;
  /** Its effective uid, when `<proc>/<pid>/status` was readable. */
  uid?: number;
  argv?: string[];
  /** In words: `process 812 (/usr/local/bin/k3s server)`, `/etc/systemd/system/k3s.service exists`. */
  shownBy: string;
  /** The distribution's version, when a record of it says (`v1.33.4+k3s1`). */
  version?: string;
  datastore?: Datastore;
  /** Components it runs whose command line a source could not read, each with why (names the file or record). */
  unread?: Partial<Record<ComponentName, string>>;
}

/** A distribution that runs components as ordinary processes or static pods, known by a file it leaves. */
export interface Platform {
  name: 'talos' | 'minikube' | 'kind' | 'kubespray' | 'kubeadm';
  shownBy: string;
}

export interface HostSnapshot {
  hostname: string;
  root: string;
  proc: string;
  /** True when `<proc>` is a real procfs (statfs magic 0x9fa0). */
  realProc: boolean;
  collectedAt: string;
  processes: ProcessInfo[];
  /** Listening TCP sockets, or why `<proc>/net/tcp` could not be read. */
  listeners: Listener[] | ReadFailure;
  /** The host's interface addresses (IPv4 from fib_trie LOCAL, IPv6 from if_inet6). */
  addresses: string[];
  /** Versions of Kubernetes-related Debian packages from the dpkg status file, by package name. */
  packages: Record<string, string>;
  manifests: StaticPodManifest[];
  /** Kubernetes distributions seen by their processes, units or data directories. */
  distributions: DistributionSign[];
  /** The installer or OS the host was set up with, when a file says (kubeadm, kind, minikube, Talos). */
  platform?: Platform;
  /** Host-level notes for the report ("no Kubernetes component found", "fell back to manifests"). */
  notes: string[];
  /** Live probe answers (absent with `--no-probes`, or when no probe could ask). */
  probes?: ProbeResults;
}
