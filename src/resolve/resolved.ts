import { absolutePath } from '../formats/paths.js';
import type { Evidence } from './evidence.js';
import type {
  CertificateInfo,
  ComponentName,
  DirListing,
  FileContent,
  FileRead,
  ProcessInfo,
  ReadFailure,
} from '../collect/types.js';

/** A value the component really uses, with where it came from. */
export interface Known<T> {
  known: true;
  value: T;
  evidence: Evidence;
}

/** A value that cannot be determined from this node; `reason` names the file or flag. */
export interface Unknown {
  known: false;
  reason: string;
}

export type Resolved<T> = Known<T> | Unknown;

export function known<T>(value: T, evidence: Evidence): Known<T> {
  return { known: true, value, evidence };
}

export function unknown(reason: string): Unknown {
  return { known: false, reason };
}

/** The first of `settings` that cannot be determined, if any. */
export function firstUnknown(settings: readonly Resolved<unknown>[]): Unknown | undefined {
  for (const s of settings) if (!s.known) return s;
  return undefined;
}

/**
 * The components of the standard's port tables: the ones the checks judge, and whose absence a
 * check may report. kube-proxy's ports are reported, not judged (plain HTTP by design).
 */
export const JUDGED_COMPONENTS = [
  'kube-apiserver',
  'etcd',
  'kubelet',
  'kube-controller-manager',
  'kube-scheduler',
] as const satisfies readonly ComponentName[];
export type JudgedComponent = (typeof JUDGED_COMPONENTS)[number];

/** A port a component serves, as its configuration says. */
export interface Endpoint {
  component: ComponentName;
  pid: number;
  /** What the port is for: `secure-port`, `read-only-port`, `healthz`, `metrics`, `client`, `peer`, … */
  purpose: string;
  /** Bind address as configured: `0.0.0.0`, `::`, `127.0.0.1`, a host address, or `localhost`. */
  address: string;
  port: number;
  scheme: 'https' | 'http';
  evidence: Evidence;
}

export { absolutePath } from '../formats/paths.js';

/** The collected read of a file a process references, or undefined if collect never asked for it. */
export function fileOf(proc: ProcessInfo, p: string): FileRead | undefined {
  return proc.files[absolutePath(proc.cwd, p)];
}

// ---------------------------------------------------------------------------------------------
// One vocabulary for what every resolver says about files and defaults.

/**
 * What collect read for a file or directory, or why a resolver cannot use it: never asked for
 * (`… was not read`) or failed (`… could not be read (reason): detail`). `what` names the file
 * and its role, e.g. `etcd config file /etc/etcd.yaml`; the reason becomes an `unknown`.
 */
export function fileContent<T extends FileContent | DirListing>(
  read: T | ReadFailure | undefined,
  what: string,
): { ok: true; file: T } | { ok: false; reason: string } {
  if (read === undefined) return { ok: false, reason: `${what} was not read` };
  if (!read.ok) return { ok: false, reason: `${what} could not be read (${read.reason}): ${read.detail}` };
  return { ok: true, file: read };
}

/**
 * The certificates of a CA file a component is configured with: known with their subjects, or
 * unknown when the file was not read or holds none (every component refuses to start with an
 * empty CA file, so an empty one is not what the running process uses). `what` names the file
 * and its setting for reasons; `shown` starts the evidence line.
 */
export function caCertificates(read: FileRead | undefined, what: string, shown: string): Resolved<CertificateInfo[]> {
  const file = fileContent(read, what);
  if (!file.ok) return unknown(file.reason);
  const certificates = file.file.certificates ?? [];
  if (certificates.length === 0) return unknown(`${what} holds no certificate`);
  return known(certificates, {
    source: 'certificate',
    detail: `${shown}: ${certificates.map((c) => c.subject).join('; ')}`,
  });
}

/**
 * How a value nobody set reads: `<setting>=<value>, <why>`, `why` being `not set` unless said
 * otherwise (`readOnlyPort=0, not set in --config /var/lib/kubelet/config.yaml`); a setting whose
 * default is nothing reads `<setting> not set`. Never the word "default": that is the evidence's
 * source, which every renderer prints first (`default: --secure-port=6443, not set`), so saying it
 * again read `default: default: …`. No parentheses: messages quote the detail inside their own.
 */
export function defaultDetail(setting: string, value?: string, why = 'not set'): string {
  return value === undefined ? `${setting} ${why}` : `${setting}=${value}, ${why}`;
}

/** Evidence for a value a component takes because nothing sets it; the detail as defaultDetail(). */
export function defaultEvidence(setting: string, value?: string, why?: string): Evidence {
  return { source: 'default', detail: defaultDetail(setting, value, why) };
}
