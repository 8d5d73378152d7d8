// kube-apiserver: the effective configuration of the running process, from its argv (pflag
// grammar), its structured configuration files and its defaults. ResolvedApiserver cannot see the
// version (that is versions.ts's business), so defaults are those of a supported release (1.25 or
// later); flags removed earlier (`--insecure-port`) are still honoured when present, because old
// hand-rolled clusters run them.
import type { Evidence } from './evidence.js';
import type { CertificateInfo, FileRequest, ProcessInfo } from '../collect/types.js';
import { arrayFlag, boolFlag, booleansOf, intFlag, lastOccurrence, listFlag, parseFlags, stringFlag, tookFlagAsValue, type FlagOccurrence, type ParsedFlags } from './flags.js';
import { KUBE_APISERVER_FLAGS } from './flag-tables/kube-apiserver.js';
import { admissionPluginPaths, resolveAdmissionPlugins, resolvePodSecurity, type AdmissionPlugins, type ApiserverRelease, type PodSecurity } from './apiserver-admission.js';
import { parseAuthenticationConfig, parseAuthorizationConfig, readText, type AuthenticationConfig, type Parsed } from './apiserver-config-files.js';
import { absolutePath, fileOf, known, unknown, type Endpoint, type Resolved } from './resolved.js';

export type { AdmissionPlugins, ApiserverRelease, PodSecurity } from './apiserver-admission.js';
export { admissionEvidence } from './apiserver-admission.js';

/**
 * Boolean flags of kube-apiserver (pflag NoOptDefVal): they never take the next argument as
 * their value, so `--profiling --authorization-mode Node,RBAC` is two flags. Derived from the
 * complete table in flag-tables/kube-apiserver.ts.
 */
export const APISERVER_BOOLEAN_FLAGS: ReadonlySet<string> = new Set(booleansOf(KUBE_APISERVER_FLAGS));

export type AuthenticationMethodKind = 'x509' | 'oidc' | 'jwt' | 'webhook' | 'request-header' | 'static-token' | 'bootstrap-token';

export interface AuthenticationMethod {
  kind: AuthenticationMethodKind;
  /** Human name for messages: `x509 client certificates (--client-ca-file)`. */
  label: string;
  evidence: Evidence;
}

export interface ServiceAccountAuthentication {
  issuers: string[];
  keyFiles: string[];
  signingKeyFile?: string;
  /** `--service-account-signing-endpoint` (external signer), which stands in for the key files. */
  signingEndpoint?: string;
  /** Flags the apiserver requires for service account tokens that are missing. */
  missing: string[];
  /** Why the pre-1.20 rules apply (no issuer on a running apiserver), when they do. */
  legacy?: string;
  /** Pre-1.20 without a key file: tokens are verified with the serving key (this file, or a generated one) if it is an RSA/ECDSA key, which is not checked. */
  tlsKeyFallback?: string;
  /**
   * Service account flags written without a value (`--service-account-issuer --service-account-key-file=/k`):
   * the apiserver took the next argument as the value, so what it runs with is not what the flags seem to say.
   */
  valueless: string[];
  evidence: Evidence[];
}

export interface ApiserverAuthentication {
  serviceAccount: ServiceAccountAuthentication;
  /** Methods besides service account tokens, each with the flag or file that enables it. */
  methods: AuthenticationMethod[];
  /** Set when part of the inventory could not be read (`--authentication-config`): more methods may exist. */
  incomplete?: string;
}

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

function flagsOf(proc: ProcessInfo): ParsedFlags {
  return parseFlags(proc.args, 'pflag', KUBE_APISERVER_FLAGS);
}

// An array, not a rest parameter: a process may repeat a flag 100,000 times, and spreading that
// many arguments into a call overflows the stack.
function flagEvidence(occurrences: FlagOccurrence | readonly FlagOccurrence[]): Evidence {
  const list = Array.isArray(occurrences) ? (occurrences as readonly FlagOccurrence[]) : [occurrences as FlagOccurrence];
  return { source: 'flag', detail: list.map((o) => o.written).join(' ') };
}

/** A string flag's value when set and non-empty (Go treats `--flag=` as unset for paths). */
function setValue(flags: ParsedFlags, name: string): FlagOccurrence | undefined {
  const o = stringFlag(flags, name);
  return o && o.value !== '' ? o : undefined;
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
export function resolveApiserver(proc: ProcessInfo, version?: { minor?: string; version?: string; evidence?: Evidence; reason?: string }): ResolvedApiserver {
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

const VALID_MODES = ['AlwaysAllow', 'AlwaysDeny', 'ABAC', 'Webhook', 'RBAC', 'Node'];
const LEGACY_AUTHZ_FLAGS = ['authorization-mode', 'authorization-webhook-config-file', 'authorization-webhook-version', 'authorization-webhook-cache-authorized-ttl', 'authorization-webhook-cache-unauthorized-ttl'];

/**
 * `--authorization-config` and the legacy flags are mutually exclusive (the apiserver refuses to
 * start with both); without either, or with an empty `--authorization-mode=`, the chain is AlwaysAllow.
 * Modes are kept as written: `"Node, RBAC"` yields `" RBAC"`, which is not RBAC.
 */
function resolveAuthorizationModes(proc: ProcessInfo, flags: ParsedFlags, warnings: string[]): Resolved<string[]> {
  const configFlag = setValue(flags, 'authorization-config');
  const legacy = flags.occurrences.filter((o) => LEGACY_AUTHZ_FLAGS.includes(o.name));
  if (configFlag) {
    if (legacy.length > 0) {
      return unknown(`${configFlag.written} and ${legacy.map((o) => o.written).join(' ')} are both set; the apiserver refuses to start with both, so this command line is not the one it runs with`);
    }
    const text = readText(proc, configFlag.value!, 'authorization configuration');
    const types = text.ok ? parseAuthorizationConfig(text.value.content, text.value.path) : text;
    if (!types.ok) return unknown(types.reason);
    return known(types.value, { source: 'config-file', detail: `${absolutePath(proc.cwd, configFlag.value!)}: authorizers[].type=${types.value.join(',')}` });
  }
  const modes = listFlag(flags, 'authorization-mode');
  if (modes.occurrences.length === 0) return known(['AlwaysAllow'], { source: 'default', detail: 'default (no --authorization-mode, no --authorization-config): AlwaysAllow' });
  if (modes.values.length === 0) return known(['AlwaysAllow'], { source: 'flag', detail: `${flagEvidence(modes.occurrences).detail} is empty: AlwaysAllow` });
  const invalid = modes.values.filter((m) => !VALID_MODES.includes(m));
  if (invalid.length > 0) warnings.push(`--authorization-mode names ${invalid.map((m) => JSON.stringify(m)).join(', ')}, which the apiserver rejects`);
  return known(modes.values, flagEvidence(modes.occurrences));
}

function readAuthenticationConfig(proc: ProcessInfo, flags: ParsedFlags): { flag: FlagOccurrence; config: Parsed<AuthenticationConfig> } | undefined {
  const flag = setValue(flags, 'authentication-config');
  if (!flag) return undefined;
  const text = readText(proc, flag.value!, 'authentication configuration');
  return { flag, config: text.ok ? parseAuthenticationConfig(text.value.content, text.value.path) : text };
}

const SECOND_METHOD_FLAGS: readonly [string, AuthenticationMethodKind, string][] = [
  ['client-ca-file', 'x509', 'x509 client certificates'],
  ['oidc-issuer-url', 'oidc', 'OIDC'],
  ['authentication-token-webhook-config-file', 'webhook', 'webhook token authentication'],
  ['requestheader-client-ca-file', 'request-header', 'request-header (authenticating proxy)'],
  ['token-auth-file', 'static-token', 'static token file'],
];

/** Service account tokens (always on, but only work with issuer and keys) and every other method. */
function resolveAuthentication(proc: ProcessInfo, flags: ParsedFlags, authn: ReturnType<typeof readAuthenticationConfig>): ApiserverAuthentication {
  const issuers = arrayFlag(flags, 'service-account-issuer');
  const keyFiles = arrayFlag(flags, 'service-account-key-file');
  const signingKey = setValue(flags, 'service-account-signing-key-file');
  const signingEndpoint = setValue(flags, 'service-account-signing-endpoint');
  const tlsKey = setValue(flags, 'tls-private-key-file');
  const hasIssuer = issuers.values.some((v) => v !== '');
  const hasKeyFile = keyFiles.values.some((v) => v !== '');
  const missing: string[] = [];
  let legacy: string | undefined;
  if (!hasIssuer && proc.source === 'process') {
    // Since 1.20 the apiserver refuses to start without an issuer, so a running one without it is
    // older; there the key file alone enables service account tokens, falling back to the TLS key.
    legacy = 'no --service-account-issuer, which releases from 1.20 on require, so this running apiserver is older than 1.20';
  } else {
    if (!hasIssuer) missing.push('--service-account-issuer');
    if (!signingEndpoint) {
      if (!hasKeyFile) missing.push('--service-account-key-file');
      if (!signingKey) missing.push('--service-account-signing-key-file');
    }
  }
  const present = [...issuers.occurrences, ...keyFiles.occurrences, signingKey, signingEndpoint].filter((o): o is FlagOccurrence => o !== undefined).sort((a, b) => a.index - b.index);
  const serviceAccount: ServiceAccountAuthentication = {
    issuers: issuers.values,
    keyFiles: keyFiles.values,
    ...(signingKey && { signingKeyFile: signingKey.value! }),
    ...(signingEndpoint && { signingEndpoint: signingEndpoint.value! }),
    missing,
    ...(legacy !== undefined && { legacy }),
    ...(legacy !== undefined && !hasKeyFile && { tlsKeyFallback: tlsKey?.value ?? 'the self-signed key it generates in --cert-dir' }),
    // A service-account flag with no value, or one that swallowed the next flag as its value (the
    // exact grammar says which, but a running apiserver with such a command line is not what it
    // seems: a key file taken as the issuer would have stopped it from starting).
    valueless: flags.occurrences
      .filter((o) => o.name.startsWith('service-account-') && !APISERVER_BOOLEAN_FLAGS.has(o.name) && (o.value === undefined || tookFlagAsValue(o)))
      .map((o) => o.written),
    evidence: present.map((o) => flagEvidence(o)),
  };

  const methods: AuthenticationMethod[] = [];
  for (const [name, kind, label] of SECOND_METHOD_FLAGS) {
    const o = setValue(flags, name);
    if (o) methods.push({ kind, label: `${label} (--${name})`, evidence: flagEvidence(o) });
  }
  const bootstrap = boolFlag(flags, 'enable-bootstrap-token-auth');
  if (bootstrap?.ok && bootstrap.value) methods.push({ kind: 'bootstrap-token', label: 'bootstrap tokens (--enable-bootstrap-token-auth)', evidence: flagEvidence(bootstrap.occurrence) });
  let incomplete: string | undefined;
  if (authn) {
    if (!authn.config.ok) incomplete = authn.config.reason;
    else {
      const file = authn.flag.value!;
      for (const issuer of authn.config.value.jwtIssuers) {
        methods.push({ kind: 'jwt', label: `JWT authenticator ${issuer} (--authentication-config)`, evidence: { source: 'config-file', detail: `${file}: jwt[].issuer.url=${issuer}` } });
      }
    }
  }
  return { serviceAccount, methods, ...(incomplete !== undefined && { incomplete }) };
}

/** `--anonymous-auth` (default true), or `anonymous.enabled` of `--authentication-config` (the two conflict). */
function resolveAnonymousAuth(flags: ParsedFlags, authn: ReturnType<typeof readAuthenticationConfig>): Resolved<boolean> {
  const flag = boolFlag(flags, 'anonymous-auth');
  if (flag && !flag.ok) return unknown(flag.problem);
  if (authn && !authn.config.ok) return unknown(authn.config.reason);
  const fromFile = authn?.config.ok ? authn.config.value.anonymousEnabled : undefined;
  if (fromFile !== undefined) {
    if (flag) return unknown(`${flag.occurrence.written} and anonymous in ${authn!.flag.value} are both set; the apiserver refuses to start with both`);
    return known(fromFile, { source: 'config-file', detail: `${authn!.flag.value}: anonymous.enabled=${fromFile}` });
  }
  if (flag) return known(flag.value, flagEvidence(flag.occurrence));
  return known(true, { source: 'default', detail: 'default (no --anonymous-auth): anonymous requests allowed' });
}

function resolveEtcdServers(flags: ParsedFlags): Resolved<string[]> {
  const servers = listFlag(flags, 'etcd-servers');
  if (servers.occurrences.length === 0) return known([], { source: 'default', detail: 'no --etcd-servers' });
  return known(servers.values.filter((s) => s !== ''), flagEvidence(servers.occurrences));
}

function resolveEtcdOverrides(flags: ParsedFlags): { servers: string[]; evidence: Evidence[] } {
  const overrides = listFlag(flags, 'etcd-servers-overrides');
  const servers = overrides.values.flatMap((entry) => (entry.split('#')[1] ?? '').split(';')).filter((s) => s !== '');
  return { servers, evidence: overrides.occurrences.map((o) => flagEvidence(o)) };
}

function optionalPath(flags: ParsedFlags, name: string): Resolved<string | undefined> {
  const o = setValue(flags, name);
  return o ? known(o.value!, flagEvidence(o)) : known(undefined, { source: 'default', detail: `--${name} not set` });
}

function certificatesOf(proc: ProcessInfo, flags: ParsedFlags, name: string): Resolved<CertificateInfo[]> | undefined {
  const o = setValue(flags, name);
  if (!o) return undefined;
  const file = absolutePath(proc.cwd, o.value!);
  const read = fileOf(proc, o.value!);
  if (read === undefined) return unknown(`${file} (--${name}) was not read`);
  if (!read.ok) return unknown(`${file} (--${name}) could not be read (${read.reason}): ${read.detail}`);
  const certificates = read.certificates ?? [];
  if (certificates.length === 0) return unknown(`${file} (--${name}) holds no certificate`);
  return known(certificates, { source: 'certificate', detail: `${file}: ${certificates.map((c) => c.subject).join('; ')}` });
}

function resolveSecurePort(flags: ParsedFlags): Resolved<number> {
  const port = intFlag(flags, 'secure-port');
  if (!port) return known(6443, { source: 'default', detail: 'default --secure-port 6443' });
  return port.ok ? known(port.value, flagEvidence(port.occurrence)) : unknown(port.problem);
}

function resolveBindAddress(flags: ParsedFlags): Resolved<string> {
  const o = stringFlag(flags, 'bind-address');
  if (!o) return known('0.0.0.0', { source: 'default', detail: 'default --bind-address 0.0.0.0 (all interfaces)' });
  // A blank address means all interfaces.
  return known(o.value === '' ? '0.0.0.0' : o.value!, flagEvidence(o));
}

/**
 * The secure port (https) on the bind address; `--secure-port=0` serves nothing. Releases before
 * 1.24 also had a plain-HTTP `--insecure-port` (deprecated alias `--port`) on
 * `--insecure-bind-address` (alias `--address`, default 127.0.0.1); only an explicit non-zero
 * value is reported, since its pre-1.20 default (8080) belongs to releases long past end of life.
 */
function resolveEndpoints(proc: ProcessInfo, flags: ParsedFlags, port: Resolved<number>, address: Resolved<string>, warnings: string[]): Endpoint[] {
  const endpoints: Endpoint[] = [];
  const base = { component: proc.component, pid: proc.pid };
  if (port.known && address.known && port.value > 0) {
    const evidence = { source: port.evidence.source === 'default' && address.evidence.source === 'default' ? 'default' : 'flag', detail: `${port.evidence.detail}; ${address.evidence.detail}` } as const;
    endpoints.push({ ...base, purpose: 'secure-port', address: address.value, port: port.value, scheme: 'https', evidence });
  }
  const insecure = latest(flags, ['insecure-port', 'port']);
  if (insecure) {
    const value = intFlag(flags, insecure.name);
    if (value && !value.ok) warnings.push(value.problem);
    else if (value && value.value > 0) {
      const bind = latest(flags, ['insecure-bind-address', 'address']);
      const bindAddress = bind?.value ? bind.value : '127.0.0.1';
      const evidence = { source: 'flag', detail: `${insecure.written}${bind ? ` ${bind.written}` : ' (default --insecure-bind-address 127.0.0.1)'}` } as const;
      endpoints.push({ ...base, purpose: 'insecure-port', address: bindAddress, port: value.value, scheme: 'http', evidence });
    }
  }
  return endpoints;
}

function apiserverRelease(legacy: Evidence | undefined, version: { minor?: string; version?: string; evidence?: Evidence; reason?: string } | undefined): ApiserverRelease {
  if (legacy) return { kind: 'legacy', evidence: legacy };
  const minor = /^1\.(\d+)$/.exec(version?.minor ?? '')?.[1];
  if (minor !== undefined && version?.version !== undefined && version.evidence !== undefined) return { kind: 'known', minor: Number(minor), version: version.version, evidence: version.evidence };
  return { kind: 'unknown', reason: version?.reason ?? 'no version was found for it' };
}

/** A non-zero insecure port: 1.20 accepts only 0 and 1.24 removed the flag, so this apiserver predates 1.20. */
function legacyReleaseEvidence(flags: ParsedFlags): Evidence | undefined {
  const insecure = latest(flags, ['insecure-port', 'port']);
  const value = insecure && intFlag(flags, insecure.name);
  return value?.ok && value.value !== 0 ? { source: 'flag', detail: `${insecure!.written} (only releases before 1.20 accept a non-zero insecure port)` } : undefined;
}

/** The last occurrence among a flag and its deprecated alias. */
function latest(flags: ParsedFlags, names: string[]): FlagOccurrence | undefined {
  return names.map((n) => lastOccurrence(flags, n)).filter((o): o is FlagOccurrence => o !== undefined).sort((a, b) => b.index - a.index)[0];
}

/** `--service-node-port-range`: `first-last`, `base+size` or one port (k8s.io/apimachinery net.PortRange). */
function resolveNodePortRange(flags: ParsedFlags): Resolved<PortRange> {
  const o = stringFlag(flags, 'service-node-port-range');
  if (!o) return known({ first: 30000, last: 32767 }, { source: 'default', detail: 'default --service-node-port-range 30000-32767' });
  const text = o.value!.trim();
  const range = /^(\d+)-(\d+)$/.exec(text);
  const sized = /^(\d+)\+(\d+)$/.exec(text);
  const single = /^\d+$/.test(text) ? Number(text) : NaN;
  const first = range || sized ? Number((range ?? sized)![1]) : single;
  const last = range ? Number(range[2]) : sized ? first + Number(sized[2]) : single;
  if (!Number.isInteger(first) || !Number.isInteger(last) || first > last || last > 65535) return unknown(`${o.written} is not a port range`);
  return known({ first, last }, flagEvidence(o));
}
