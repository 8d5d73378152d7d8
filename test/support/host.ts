// Builds a HostSnapshot from a compact description, so that table tests state only what matters
// and still go through the real resolve stage (as RuleTester feeds source through the real parser).
import path from 'node:path/posix';
import type {
  CertificateInfo,
  ComponentName,
  DirRead,
  FileRead,
  HostSnapshot,
  Listener,
  ProbeRecord,
  ProbeResults,
  ProcessInfo,
  ReadFailure,
  StaticPodManifest,
  DistributionSign,
} from '../../src/collect/types.js';

export interface ProcessSpec {
  component: ComponentName;
  /** Arguments after the binary, exactly as argv holds them. */
  args?: string[];
  pid?: number;
  env?: Record<string, string>;
  cwd?: string;
  source?: ProcessInfo['source'];
  image?: string;
  /**
   * Files by absolute (or cwd-relative) path: a string is the content of a readable file;
   * `{certificates}` a certificate file; a ReadFailure-like `{reason}` a failed read.
   */
  files?: Record<string, string | { certificates: Partial<CertificateInfo>[] } | { reason: ReadFailure['reason'] }>;
  /** Directories by path, with the relative paths of the files in them. */
  dirs?: Record<string, string[]>;
  /** Effective (and, unless `realUid`, real) uid; 0 unless given, as components usually run. */
  uid?: number;
  realUid?: number;
  /** What collect found about the executable; absent unless given (a root process needs none to be trusted). */
  executable?: ProcessInfo['executable'];
  /** Why the process could not be read whole. */
  incomplete?: string;
  /** argv[0]; `/usr/bin/<component>` unless given. */
  argv0?: string;
}

export interface HostSpec {
  processes?: ProcessSpec[];
  listeners?: Listener[] | { reason: ReadFailure['reason'] };
  addresses?: string[];
  packages?: Record<string, string>;
  manifests?: StaticPodManifest[];
  /** Distributions seen (k3s, MicroK8s, …), as collect's detection would have recorded them. */
  distributions?: DistributionSign[];
  hostname?: string;
  /** Live probe answers, as collect's probes would have recorded them. */
  probes?: ProbeResults;
}

export function certificate(fields: Partial<CertificateInfo>): CertificateInfo {
  const commonName = fields.commonName;
  return {
    subject: fields.subject ?? `CN=${commonName ?? 'test'}`,
    commonName,
    organizations: fields.organizations ?? [],
    issuer: fields.issuer ?? 'CN=test-ca',
    fingerprint256: fields.fingerprint256 ?? `FP:${commonName ?? 'test'}`,
    notBefore: fields.notBefore ?? '2026-01-01T00:00:00.000Z',
    notAfter: fields.notAfter ?? '2027-01-01T00:00:00.000Z',
    isCA: fields.isCA ?? false,
  };
}

function fileRead(absolute: string, spec: NonNullable<ProcessSpec['files']>[string]): FileRead {
  const stat = { mode: 0o100644, uid: 0, gid: 0, mtimeMs: 0 };
  if (typeof spec === 'string')
    return { ok: true, path: absolute, content: spec, size: Buffer.byteLength(spec), ...stat };
  if ('reason' in spec)
    return { ok: false, path: absolute, reason: spec.reason, detail: `${absolute}: ${spec.reason}` };
  return { ok: true, path: absolute, content: '', size: 0, ...stat, certificates: spec.certificates.map(certificate) };
}

export function processInfo(spec: ProcessSpec, index = 0): ProcessInfo {
  const cwd = spec.cwd ?? '/';
  const files: Record<string, FileRead> = {};
  for (const [p, f] of Object.entries(spec.files ?? {})) {
    const absolute = path.resolve(cwd, p);
    files[absolute] = fileRead(absolute, f);
  }
  const dirs: Record<string, DirRead> = {};
  for (const [p, entries] of Object.entries(spec.dirs ?? {})) {
    const absolute = path.resolve(cwd, p);
    dirs[absolute] = { ok: true, path: absolute, entries: [...entries].sort() };
  }
  const args = spec.args ?? [];
  return {
    pid: spec.pid ?? 1000 + index,
    component: spec.component,
    source: spec.source ?? 'process',
    argv: [spec.argv0 ?? `/usr/bin/${spec.component}`, ...args],
    args,
    uid: spec.uid ?? 0,
    realUid: spec.realUid ?? spec.uid ?? 0,
    ...(spec.executable !== undefined && { executable: spec.executable }),
    ...(spec.incomplete !== undefined && { incomplete: spec.incomplete }),
    env: spec.env ?? {},
    cwd,
    files,
    dirs,
    warnings: [],
    ...(spec.image !== undefined && { image: spec.image }),
  };
}

export function hostSnapshot(spec: HostSpec = {}): HostSnapshot {
  const listeners = spec.listeners ?? [];
  return {
    hostname: spec.hostname ?? 'test-node',
    root: '/',
    proc: '/proc',
    realProc: false,
    collectedAt: '2026-11-29T10:00:00.000Z',
    processes: (spec.processes ?? []).map(processInfo),
    listeners: Array.isArray(listeners)
      ? listeners
      : { ok: false, path: '/proc/net/tcp', reason: listeners.reason, detail: `/proc/net/tcp: ${listeners.reason}` },
    addresses: spec.addresses ?? ['127.0.0.1', '::1', '10.0.0.10'],
    packages: spec.packages ?? {},
    manifests: spec.manifests ?? [],
    distributions: spec.distributions ?? [],
    notes: [],
    ...(spec.probes !== undefined && { probes: spec.probes }),
  };
}

/** A listening socket, owned by the given pid. */
export function listener(address: string, port: number, pid?: number): Listener {
  return {
    transport: address.includes(':') ? 'tcp6' : 'tcp',
    address,
    port,
    inode: port * 10,
    ...(pid !== undefined && { pid }),
  };
}

/** A live probe's record, as collect/probes would have written it (pid 1000: the first process of a HostSpec). */
export function probeRecord(
  fields: Pick<ProbeRecord, 'probe' | 'outcome' | 'target'> & Partial<ProbeRecord>,
): ProbeRecord {
  const port = Number(/:(\d+)(\/|$)/.exec(fields.target)?.[1] ?? 0);
  return {
    component: 'kubelet',
    pid: 1000,
    listener: { address: '0.0.0.0', port },
    detail: fields.outcome === 'response' ? `answered ${fields.status ?? 200}` : fields.outcome,
    ...fields,
  };
}
