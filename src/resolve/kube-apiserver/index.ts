// kube-apiserver: the effective configuration of the running process, from its argv (pflag
// grammar), its structured configuration files and its defaults. ResolvedApiserver cannot see the
// version (that is versions.ts's business), so defaults are those of a supported release (1.25 or
// later); flags removed earlier (`--insecure-port`) are still honoured when present, because old
// hand-rolled clusters run them.
import type { CertificateInfo, FileRequest, ProcessInfo } from '../../collect/types.js';
import type { Evidence } from '../evidence.js';
import { intFlag, listFlag, stringFlag, type ParsedFlags } from '../flags.js';
import {
  absolutePath,
  caCertificates,
  defaultDetail,
  defaultEvidence,
  fileOf,
  known,
  unknown,
  type Endpoint,
  type Resolved,
} from '../resolved.js';
import {
  admissionPluginPaths,
  resolveAdmissionPlugins,
  resolvePodSecurity,
  type AdmissionPlugins,
  type ApiserverRelease,
  type PodSecurity,
} from './admission.js';
import {
  readAuthenticationConfig,
  resolveAnonymousAuth,
  resolveAuthentication,
  type ApiserverAuthentication,
} from './authentication.js';
import { resolveAuthorizationModes } from './authorization.js';
import { flagEvidence, flagsOf, latest, setValue } from './command-line.js';

export type { AdmissionPlugins, ApiserverRelease, PodSecurity } from './admission.js';
export type {
  ApiserverAuthentication,
  AuthenticationMethod,
  AuthenticationMethodKind,
  ServiceAccountAuthentication,
} from './authentication.js';
export { APISERVER_BOOLEAN_FLAGS } from './command-line.js';

export interface PortRange {
  first: number;
  last: number;
}

export interface ResolvedApiserver {
  proc: ProcessInfo;
  flags: ParsedFlags;
  /** Ordered authorizer chain: `--authorization-mode` (default AlwaysAllow) or `--authorization-config` authorizers[].type. */
  authorizationModes: Resolved<string[]>;
  authentication: ApiserverAuthentication;
  anonymousAuth: Resolved<boolean>;
  admissionPlugins: Resolved<AdmissionPlugins>;
  podSecurity: Resolved<PodSecurity>;
  etcdServers: Resolved<string[]>;
  /** Servers named in `--etcd-servers-overrides` (`group/resource#url;url`), which the apiserver also dials. */
  etcdServerOverrides: { servers: string[]; evidence: Evidence[] };
  etcdCAFile: Resolved<string | undefined>;
  etcdCertFile: Resolved<string | undefined>;
  etcdKeyFile: Resolved<string | undefined>;
  /** Certificates of `--etcd-certfile`, when it is set. */
  etcdClientCertificate: Resolved<CertificateInfo[]> | undefined;
  /** Certificates of `--client-ca-file` (the cluster CA), when it is set. */
  clusterCA: Resolved<CertificateInfo[]> | undefined;
  securePort: Resolved<number>;
  bindAddress: Resolved<string>;
  endpoints: Endpoint[];
  serviceNodePortRange: Resolved<PortRange>;
  /**
   * Set when the command line itself proves a release older than 1.20 (a non-zero `--insecure-port`,
   * which 1.20 refuses): there, defaults differ (no PodSecurity plugin, service account tokens
   * without an issuer). Otherwise defaults are those of a supported release.
   */
  legacyRelease?: Evidence;
  /** Odd things met while resolving (flags the apiserver would reject, …), one sentence each. */
  warnings: string[];
}

const FILES: readonly [string, FileRequest['kind']][] = [
  ['authorization-config', 'text'],
  ['authentication-config', 'text'],
  ['admission-control-config-file', 'text'],
  ['client-ca-file', 'certificate'],
  ['etcd-certfile', 'certificate'],
  ['etcd-cafile', 'certificate'],
];

/**
 * Files collect must read for the apiserver. Never key files, nor `--token-auth-file` (it holds
 * tokens): the checks only need to know those flags are set.
 */
export function referencedFiles(proc: ProcessInfo): FileRequest[] {
  const flags = flagsOf(proc);
  const requests: FileRequest[] = [];
  const seen = new Set<string>();
  const add = (path: string, kind: FileRequest['kind']) => {
    const key = absolutePath(proc.cwd, path);
    if (!seen.has(key)) requests.push({ path, kind });
    seen.add(key);
  };
  for (const [name, kind] of FILES) {
    const o = setValue(flags, name);
    if (o) add(o.value!, kind);
  }
  for (const path of admissionPluginPaths(proc, flags)) add(path, 'text');
  return requests;
}

/**
 * `version`: what the version stage found for this apiserver (image tag, package or its own
 * /version); version-dependent defaults (PodSecurity) are unknown without it.
 */
export function resolveApiserver(
  proc: ProcessInfo,
  version?: { minor?: string; version?: string; evidence?: Evidence; reason?: string },
): ResolvedApiserver {
  const flags = flagsOf(proc);
  const warnings = [...flags.warnings];
  const authenticationConfig = readAuthenticationConfig(proc, flags);
  const securePort = resolveSecurePort(flags);
  const bindAddress = resolveBindAddress(flags);
  const legacyRelease = legacyReleaseEvidence(flags);
  return {
    proc,
    flags,
    authorizationModes: resolveAuthorizationModes(proc, flags, warnings),
    authentication: resolveAuthentication(proc, flags, authenticationConfig),
    anonymousAuth: resolveAnonymousAuth(flags, authenticationConfig),
    admissionPlugins: resolveAdmissionPlugins(flags, apiserverRelease(legacyRelease, version)),
    podSecurity: resolvePodSecurity(proc, flags),
    etcdServers: resolveEtcdServers(flags),
    etcdServerOverrides: resolveEtcdOverrides(flags),
    etcdCAFile: optionalPath(flags, 'etcd-cafile'),
    etcdCertFile: optionalPath(flags, 'etcd-certfile'),
    etcdKeyFile: optionalPath(flags, 'etcd-keyfile'),
    etcdClientCertificate: certificatesOf(proc, flags, 'etcd-certfile'),
    clusterCA: certificatesOf(proc, flags, 'client-ca-file'),
    securePort,
    bindAddress,
    endpoints: resolveEndpoints(proc, flags, securePort, bindAddress, warnings),
    serviceNodePortRange: resolveNodePortRange(flags),
    ...(legacyRelease && { legacyRelease }),
    warnings,
  };
}

function resolveEtcdServers(flags: ParsedFlags): Resolved<string[]> {
  const servers = listFlag(flags, 'etcd-servers');
  if (servers.occurrences.length === 0) return known([], defaultEvidence('--etcd-servers'));
  return known(
    servers.values.filter((s) => s !== ''),
    flagEvidence(servers.occurrences),
  );
}

function resolveEtcdOverrides(flags: ParsedFlags): { servers: string[]; evidence: Evidence[] } {
  const overrides = listFlag(flags, 'etcd-servers-overrides');
  const servers = overrides.values.flatMap((entry) => (entry.split('#')[1] ?? '').split(';')).filter((s) => s !== '');
  return { servers, evidence: overrides.occurrences.map((o) => flagEvidence(o)) };
}

function optionalPath(flags: ParsedFlags, name: string): Resolved<string | undefined> {
  const o = setValue(flags, name);
  return o ? known(o.value!, flagEvidence(o)) : known(undefined, defaultEvidence(`--${name}`));
}

function certificatesOf(proc: ProcessInfo, flags: ParsedFlags, name: string): Resolved<CertificateInfo[]> | undefined {
  const o = setValue(flags, name);
  if (!o) return undefined;
  const file = absolutePath(proc.cwd, o.value!);
  return caCertificates(fileOf(proc, o.value!), `${file} (--${name})`, file);
}

function resolveSecurePort(flags: ParsedFlags): Resolved<number> {
  const port = intFlag(flags, 'secure-port');
  if (!port) return known(6443, defaultEvidence('--secure-port', '6443'));
  return port.ok ? known(port.value, flagEvidence(port.occurrence)) : unknown(port.problem);
}

function resolveBindAddress(flags: ParsedFlags): Resolved<string> {
  const o = stringFlag(flags, 'bind-address');
  if (!o) return known('0.0.0.0', defaultEvidence('--bind-address', '0.0.0.0', 'not set: all interfaces'));
  // A blank address means all interfaces.
  return known(o.value === '' ? '0.0.0.0' : o.value!, flagEvidence(o));
}

/**
 * The secure port (https) on the bind address; `--secure-port=0` serves nothing. Releases before
 * 1.24 also had a plain-HTTP `--insecure-port` (deprecated alias `--port`) on
 * `--insecure-bind-address` (alias `--address`, default 127.0.0.1); only an explicit non-zero
 * value is reported, since its pre-1.20 default (8080) belongs to releases long past end of life.
 */
function resolveEndpoints(
  proc: ProcessInfo,
  flags: ParsedFlags,
  port: Resolved<number>,
  address: Resolved<string>,
  warnings: string[],
): Endpoint[] {
  const endpoints: Endpoint[] = [];
  const base = { component: proc.component, pid: proc.pid };
  if (port.known && address.known && port.value > 0) {
    const evidence = {
      source: port.evidence.source === 'default' && address.evidence.source === 'default' ? 'default' : 'flag',
      detail: `${port.evidence.detail}; ${address.evidence.detail}`,
    } as const;
    endpoints.push({
      ...base,
      purpose: 'secure-port',
      address: address.value,
      port: port.value,
      scheme: 'https',
      evidence,
    });
  }
  const insecure = latest(flags, ['insecure-port', 'port']);
  if (insecure) {
    const value = intFlag(flags, insecure.name);
    if (value && !value.ok) warnings.push(value.problem);
    else if (value && value.value > 0) {
      const bind = latest(flags, ['insecure-bind-address', 'address']);
      const bindAddress = bind?.value ? bind.value : '127.0.0.1';
      const evidence = {
        source: 'flag',
        detail: `${insecure.written}${bind ? ` ${bind.written}` : `; ${defaultDetail('--insecure-bind-address', '127.0.0.1')}`}`,
      } as const;
      endpoints.push({
        ...base,
        purpose: 'insecure-port',
        address: bindAddress,
        port: value.value,
        scheme: 'http',
        evidence,
      });
    }
  }
  return endpoints;
}

function apiserverRelease(
  legacy: Evidence | undefined,
  version: { minor?: string; version?: string; evidence?: Evidence; reason?: string } | undefined,
): ApiserverRelease {
  if (legacy) return { kind: 'legacy', evidence: legacy };
  const minor = /^1\.(\d+)$/.exec(version?.minor ?? '')?.[1];
  if (minor !== undefined && version?.version !== undefined && version.evidence !== undefined)
    return { kind: 'known', minor: Number(minor), version: version.version, evidence: version.evidence };
  return { kind: 'unknown', reason: version?.reason ?? 'no version was found for it' };
}

/** A non-zero insecure port: 1.20 accepts only 0 and 1.24 removed the flag, so this apiserver predates 1.20. */
function legacyReleaseEvidence(flags: ParsedFlags): Evidence | undefined {
  const insecure = latest(flags, ['insecure-port', 'port']);
  const value = insecure && intFlag(flags, insecure.name);
  return value?.ok && value.value !== 0
    ? { source: 'flag', detail: `${insecure!.written} (only releases before 1.20 accept a non-zero insecure port)` }
    : undefined;
}

/** `--service-node-port-range`: `first-last`, `base+size` or one port (k8s.io/apimachinery net.PortRange). */
function resolveNodePortRange(flags: ParsedFlags): Resolved<PortRange> {
  const o = stringFlag(flags, 'service-node-port-range');
  if (!o) return known({ first: 30000, last: 32767 }, defaultEvidence('--service-node-port-range', '30000-32767'));
  const text = o.value!.trim();
  const range = /^(\d+)-(\d+)$/.exec(text);
  const sized = /^(\d+)\+(\d+)$/.exec(text);
  const single = /^\d+$/.test(text) ? Number(text) : NaN;
  const first = range || sized ? Number((range ?? sized)![1]) : single;
  const last = range ? Number(range[2]) : sized ? first + Number(sized[2]) : single;
  if (!Number.isInteger(first) || !Number.isInteger(last) || first > last || last > 65535)
    return unknown(`${o.written} is not a port range`);
  return known({ first, last }, flagEvidence(o));
}
