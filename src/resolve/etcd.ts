// etcd's effective configuration, the way etcd itself computes it (server/etcdmain/config.go,
// server/embed/config.go, pkg/flags/flag.go; etcd.io op-guide "Configuration flags"):
//
// - The command line uses Go's `flag` package: `-flag` and `--flag`, `-flag value` for non-boolean
//   flags, booleans only as `-flag` or `-flag=false`, last occurrence wins, no `_` normalisation.
// - Every flag not on the command line can come from `ETCD_<FLAG_UPPER_SNAKE>`; an empty variable
//   counts as unset.
// - `--config-file` (or, when the flag is empty, `ETCD_CONFIG_FILE`) replaces everything: etcd then
//   reads only the YAML file and ignores all other flags and variables. The file is read with
//   go-yaml v2 (YAML 1.1) into JSON-tagged structs: keys match case-insensitively, unknown keys are
//   silently ignored, TLS settings live under `client-transport-security` / `peer-transport-security`,
//   and URL lists are comma-separated strings.
import type { CertificateInfo, FileRequest, ProbeResults, ProcessInfo } from '../collect/types.js';
import type { Evidence } from './evidence.js';
import { ETCD_FLAGS } from './flag-tables/etcd.js';
import { boolFlag, lastOccurrence, parseFlags, parseGoBool, type ParsedFlags } from './flags.js';
import { absolutePath, fileOf, known, unknown, type Endpoint, type Known, type Resolved } from './resolved.js';
import { readYaml } from '../formats/yaml.js';

export interface ResolvedEtcd {
  proc: ProcessInfo;
  /** `config-file` when `--config-file`/`ETCD_CONFIG_FILE` is set: then flags and env are ignored. */
  configSource: 'flags-and-env' | 'config-file';
  /** Absolute path of the config file, when one is used. */
  configFile?: string;
  listenClientUrls: Resolved<string[]>;
  /** `--listen-client-http-urls` (etcd ≥ 3.5): extra HTTP-only client listeners; empty by default. */
  listenClientHttpUrls: Resolved<string[]>;
  advertiseClientUrls: Resolved<string[]>;
  listenPeerUrls: Resolved<string[]>;
  initialAdvertisePeerUrls: Resolved<string[]>;
  /**
   * Peer URLs of every member `--initial-cluster` names (this one included). Without it etcd
   * bootstraps this member alone at its initial-advertise-peer-urls (embed.Config
   * InitialClusterFromName); with discovery the members are not known here. Members added after
   * bootstrap (etcdctl member add) live only in the data directory and are not seen.
   */
  initialCluster: Resolved<string[]>;
  /** Empty by default: metrics are then served on the client URLs only. */
  listenMetricsUrls: Resolved<string[]>;
  certFile: Resolved<string | undefined>;
  keyFile: Resolved<string | undefined>;
  trustedCAFile: Resolved<string | undefined>;
  peerCertFile: Resolved<string | undefined>;
  peerKeyFile: Resolved<string | undefined>;
  peerTrustedCAFile: Resolved<string | undefined>;
  clientCertAuth: Resolved<boolean>;
  peerClientCertAuth: Resolved<boolean>;
  autoTls: Resolved<boolean>;
  peerAutoTls: Resolved<boolean>;
  /** Certificates of `trusted-ca-file`; undefined when no trusted CA file is configured. */
  trustedCA: Resolved<CertificateInfo[]> | undefined;
  /** Certificates of `peer-trusted-ca-file`; undefined when none is configured. */
  peerTrustedCA: Resolved<CertificateInfo[]> | undefined;
  /** Whether etcd's authentication (ACL) is on; runtime state only a probe can see. */
  authStatus?: Resolved<boolean>;
  endpoints: Endpoint[];
  warnings: string[];
}


/** Defaults of etcd's NewConfig(); the same for flags and config file. */
const DEFAULTS = {
  'listen-client-urls': ['http://localhost:2379'],
  'advertise-client-urls': ['http://localhost:2379'],
  'listen-peer-urls': ['http://localhost:2380'],
  'initial-advertise-peer-urls': ['http://localhost:2380'],
  'listen-client-http-urls': [],
  'listen-metrics-urls': [],
} as const satisfies Record<string, readonly string[]>;
type UrlSetting = keyof typeof DEFAULTS;

const STRING_SETTINGS = ['cert-file', 'key-file', 'trusted-ca-file', 'peer-cert-file', 'peer-key-file', 'peer-trusted-ca-file'] as const;
type StringSetting = (typeof STRING_SETTINGS)[number];
const BOOL_SETTINGS = ['client-cert-auth', 'peer-client-cert-auth', 'auto-tls', 'peer-auto-tls'] as const;
type BoolSetting = (typeof BOOL_SETTINGS)[number];

/** Where each TLS flag lives in the YAML config file. */
const FILE_PATHS: Record<StringSetting | BoolSetting, readonly [string, string]> = {
  'cert-file': ['client-transport-security', 'cert-file'],
  'key-file': ['client-transport-security', 'key-file'],
  'trusted-ca-file': ['client-transport-security', 'trusted-ca-file'],
  'client-cert-auth': ['client-transport-security', 'client-cert-auth'],
  'auto-tls': ['client-transport-security', 'auto-tls'],
  'peer-cert-file': ['peer-transport-security', 'cert-file'],
  'peer-key-file': ['peer-transport-security', 'key-file'],
  'peer-trusted-ca-file': ['peer-transport-security', 'trusted-ca-file'],
  'peer-client-cert-auth': ['peer-transport-security', 'client-cert-auth'],
  'peer-auto-tls': ['peer-transport-security', 'auto-tls'],
};

/** Bounds alias expansion in config files (billion-laughs); etcd's own files never need aliases. */
const MAX_ALIAS_COUNT = 100;

// ---------------------------------------------------------------------------------------------
// Where the configuration comes from

interface ConfigFileChoice {
  /** As written (flag or env), before making it absolute. */
  path: string;
  evidence: Evidence;
}

/** The config file etcd uses, if any: `--config-file`, else `ETCD_CONFIG_FILE` (etcdmain `parse`). */
function configFileOf(flags: ParsedFlags, env: Record<string, string>): ConfigFileChoice | undefined {
  const flag = lastOccurrence(flags, 'config-file');
  if (flag?.value) return { path: flag.value, evidence: { source: 'flag', detail: flag.written } };
  const fromEnv = env.ETCD_CONFIG_FILE;
  if (fromEnv) return { path: fromEnv, evidence: { source: 'env', detail: `env ETCD_CONFIG_FILE=${fromEnv}` } };
  return undefined;
}

export function envName(flag: string): string {
  return `ETCD_${flag.toUpperCase().replaceAll('-', '_')}`;
}

// ---------------------------------------------------------------------------------------------
// Files to read

export function referencedFiles(proc: ProcessInfo): FileRequest[] {
  const flags = parseFlags(proc.args, 'goflag', ETCD_FLAGS);
  const requests: FileRequest[] = [];
  const configFile = configFileOf(flags, proc.env);
  let caFiles: (string | undefined)[];
  if (configFile) {
    requests.push({ path: configFile.path, kind: 'text' });
    const parsed = readConfigFile(proc, configFile.path);
    caFiles = parsed.ok ? [stringInFile(parsed.root, 'trusted-ca-file'), stringInFile(parsed.root, 'peer-trusted-ca-file')] : [];
  } else {
    caFiles = ['trusted-ca-file', 'peer-trusted-ca-file'].map((name) => lastOccurrence(flags, name)?.value || proc.env[envName(name)] || undefined);
  }
  for (const ca of new Set(caFiles)) if (ca) requests.push({ path: ca, kind: 'certificate' });
  return requests;
}

function stringInFile(root: ConfigMap, setting: StringSetting): string | undefined {
  const [section, key] = FILE_PATHS[setting];
  const value = fieldOf(asMap(fieldOf(root, section)), key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Config file

type ConfigMap = ReadonlyMap<string, unknown>;
type ConfigRead = { ok: true; root: ConfigMap; path: string } | { ok: false; reason: string };

function readConfigFile(proc: ProcessInfo, written: string): ConfigRead {
  const path = absolutePath(proc.cwd, written);
  const file = fileOf(proc, written);
  if (!file) return { ok: false, reason: `etcd config file ${path} was not read` };
  if (!file.ok) return { ok: false, reason: `etcd config file ${path} could not be read (${file.reason}): ${file.detail}` };
  // Maps keep order so that, as in Go's encoding/json, a later case-variant of a key wins.
  const read = readYaml(file.content, { schema: 'yaml-1.1', duplicateKeys: 'last-wins', maxAliases: MAX_ALIAS_COUNT, mapAsMap: true });
  if (!read.ok) return { ok: false, reason: `etcd config file ${path} ${read.problem}` };
  const value = read.value;
  // An empty file is JSON null to etcd: every setting keeps its default.
  if (value === null) return { ok: true, root: new Map(), path };
  if (!(value instanceof Map)) return { ok: false, reason: `etcd config file ${path} is not a YAML mapping (etcd would refuse it)` };
  return { ok: true, root: value, path };
}

/** Go's encoding/json matches keys case-insensitively and the last match wins. */
function fieldOf(map: ConfigMap | undefined, name: string): unknown {
  let found: unknown;
  if (!map) return undefined;
  for (const [key, value] of map) if (typeof key === 'string' && key.toLowerCase() === name) found = value;
  return found;
}

function asMap(value: unknown): ConfigMap | undefined {
  return value instanceof Map ? value : undefined;
}

interface FileSettings {
  strings: Record<StringSetting, Resolved<string | undefined>>;
  bools: Record<BoolSetting, Resolved<boolean>>;
  urls: Record<UrlSetting, Resolved<string[]>>;
  initialCluster: Resolved<string[]>;
  warnings: string[];
}

/** Settings that make etcd find its members elsewhere (etcdmain: they disable the default initial-cluster). */
const DISCOVERY_SETTINGS = ['discovery', 'discovery-srv', 'discovery-endpoints'] as const;

/**
 * The members' peer URLs from `initial-cluster` (`name=url,name=url`, a name may repeat for
 * several URLs), else from discovery (unknown here), else this member alone.
 * `discovery` names the setting only: a discovery URL carries a token.
 */
function initialClusterOf(written: { text: string; evidence: Evidence } | undefined, discovery: string | undefined, advertise: Resolved<string[]>): Resolved<string[]> {
  if (written) return known(splitUrls(written.text).map((member) => member.slice(member.indexOf('=') + 1)), written.evidence);
  if (discovery !== undefined) return unknown(`etcd finds its members by ${discovery}, so which members exist cannot be told from this host`);
  if (!advertise.known) return advertise;
  return known(advertise.value, { source: 'default', detail: `initial-cluster not set: this member alone, at ${advertise.value.join(',')}` });
}

/** Settings from the YAML file, or why the whole file is unusable (etcd would refuse to start). */
function settingsFromFile(root: ConfigMap, path: string): FileSettings | { problem: string } {
  const warnings: string[] = [];
  const sections: Record<string, ConfigMap | undefined> = {};
  for (const section of ['client-transport-security', 'peer-transport-security']) {
    const value = fieldOf(root, section);
    if (value !== undefined && value !== null && !(value instanceof Map)) return { problem: `${path}: ${section} is not a mapping` };
    sections[section] = asMap(value);
  }

  const describe = (setting: StringSetting | BoolSetting) => FILE_PATHS[setting].join('.');
  const missing = (setting: StringSetting | BoolSetting, shown: string): Evidence => {
    const hint = misplacedKeyHint(root, sections, setting);
    return { source: 'default', detail: `default (not set in ${path}${hint}): ${describe(setting)}=${shown}` };
  };

  const strings = {} as FileSettings['strings'];
  for (const setting of STRING_SETTINGS) {
    const [section, key] = FILE_PATHS[setting];
    const value = fieldOf(sections[section], key);
    if (value === undefined || value === null || value === '') strings[setting] = known(undefined, missing(setting, '""'));
    else if (typeof value !== 'string') return { problem: `${path}: ${describe(setting)} must be a string` };
    else strings[setting] = known(value, { source: 'config-file', detail: `${path}: ${describe(setting)}=${value}` });
  }

  const bools = {} as FileSettings['bools'];
  for (const setting of BOOL_SETTINGS) {
    const [section, key] = FILE_PATHS[setting];
    const value = fieldOf(sections[section], key);
    if (value === undefined || value === null) bools[setting] = known(false, missing(setting, 'false'));
    // A quoted "true" is a JSON string to etcd, which then refuses to load a bool from it.
    else if (typeof value !== 'boolean') return { problem: `${path}: ${describe(setting)} must be a boolean, not ${JSON.stringify(value)}` };
    else bools[setting] = known(value, { source: 'config-file', detail: `${path}: ${describe(setting)}=${value}` });
  }

  const urls = {} as FileSettings['urls'];
  for (const setting of Object.keys(DEFAULTS) as UrlSetting[]) {
    const value = fieldOf(root, setting);
    if (value === undefined || value === null || value === '') {
      urls[setting] = known([...DEFAULTS[setting]], {
        source: 'default',
        detail: `default (not set in ${path}): ${setting}=${DEFAULTS[setting].join(',') || '(none)'}`,
      });
    } else if (typeof value !== 'string') {
      return { problem: `${path}: ${setting} must be a comma-separated string` };
    } else {
      urls[setting] = known(splitUrls(value), { source: 'config-file', detail: `${path}: ${setting}=${value}` });
    }
  }
  const cluster = fieldOf(root, 'initial-cluster');
  if (cluster !== undefined && cluster !== null && typeof cluster !== 'string') return { problem: `${path}: initial-cluster must be a comma-separated string` };
  const discovery = DISCOVERY_SETTINGS.find((name) => { const v = fieldOf(root, name); return v !== undefined && v !== null && v !== ''; });
  const initialCluster = initialClusterOf(
    typeof cluster === 'string' && cluster !== '' ? { text: cluster, evidence: { source: 'config-file', detail: `${path}: initial-cluster=${cluster}` } } : undefined,
    discovery === undefined ? undefined : `${discovery} in ${path}`,
    urls['initial-advertise-peer-urls'],
  );
  for (const key of root.keys()) {
    if (typeof key === 'string' && (BOOL_SETTINGS as readonly string[]).concat(STRING_SETTINGS).includes(key.toLowerCase())) {
      warnings.push(`${path}: top-level key "${key}" is ignored by etcd; TLS settings belong under client-transport-security or peer-transport-security`);
    }
  }
  const peer = sections['peer-transport-security'];
  if (peer) {
    for (const key of peer.keys()) {
      if (typeof key === 'string' && key.toLowerCase().startsWith('peer-')) {
        warnings.push(`${path}: peer-transport-security.${key} is ignored by etcd (keys inside peer-transport-security have no "peer-" prefix)`);
      }
    }
  }
  return { strings, bools, urls, initialCluster, warnings };
}

/** Names a key etcd silently ignores but the operator surely meant for `setting`. */
function misplacedKeyHint(root: ConfigMap, sections: Record<string, ConfigMap | undefined>, setting: StringSetting | BoolSetting): string {
  const [section, key] = FILE_PATHS[setting];
  const inSection = section === 'peer-transport-security' && fieldOf(sections[section], `peer-${key}`) !== undefined;
  if (inSection) return `; ${section}.peer-${key} is not an etcd key and is ignored`;
  if (fieldOf(root, setting) !== undefined) return `; top-level ${setting} is ignored in a config file`;
  return '';
}

// ---------------------------------------------------------------------------------------------
// Flags and environment

interface FlagEnvContext {
  flags: ParsedFlags;
  env: Record<string, string>;
}

type RawValue = { text: string | undefined; evidence: Evidence } | undefined;

/** A flag's raw value: the command line wins, then `ETCD_*`, else undefined (default). */
function rawValue(ctx: FlagEnvContext, name: string): RawValue {
  const flag = lastOccurrence(ctx.flags, name);
  if (flag) return { text: flag.value, evidence: { source: 'flag', detail: flag.value === undefined ? `${flag.written} (bare flag: true)` : flag.written } };
  const key = envName(name);
  const fromEnv = ctx.env[key];
  if (fromEnv) return { text: fromEnv, evidence: { source: 'env', detail: `env ${key}=${fromEnv}` } };
  return undefined;
}

function stringFromFlags(ctx: FlagEnvContext, name: StringSetting): Resolved<string | undefined> {
  const raw = rawValue(ctx, name);
  if (!raw || raw.text === undefined || raw.text === '') {
    return known(undefined, raw?.evidence ?? { source: 'default', detail: `default: ${name} not set` });
  }
  return known(raw.text, raw.evidence);
}

function boolFromFlags(ctx: FlagEnvContext, name: BoolSetting): Resolved<boolean> {
  const flag = boolFlag(ctx.flags, name);
  if (flag && !flag.ok) return unknown(`${flag.problem}: etcd refuses to start with it`);
  const raw = rawValue(ctx, name);
  if (!raw) return known(false, { source: 'default', detail: `default: ${name}=false` });
  if (flag?.ok) return known(flag.value, raw.evidence);
  const value = parseGoBool(raw.text ?? '');
  return value === undefined ? unknown(`${raw.evidence.detail}: "${raw.text}" is not a boolean; etcd refuses to start with it`) : known(value, raw.evidence);
}

function urlsFromFlags(ctx: FlagEnvContext, name: UrlSetting, listenClientSet: boolean): Resolved<string[]> {
  const raw = rawValue(ctx, name);
  if (raw && raw.text !== undefined && raw.text !== '') return known(splitUrls(raw.text), raw.evidence);
  // etcdmain drops the default advertise URL when only listen-client-urls is given (etcd then refuses to start).
  if (name === 'advertise-client-urls' && listenClientSet) {
    return known([], { source: 'default', detail: 'advertise-client-urls not set although listen-client-urls is (etcd requires it)' });
  }
  return known([...DEFAULTS[name]], { source: 'default', detail: `default: ${name}=${DEFAULTS[name].join(',') || '(none)'}` });
}

function splitUrls(text: string): string[] {
  return text
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
}

// ---------------------------------------------------------------------------------------------
// Endpoints

interface ParsedUrl {
  scheme: string;
  host: string;
  port: number | undefined;
}

function parseUrl(text: string): ParsedUrl | undefined {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(text);
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  const authority = match[2]!.replace(/^.*@/, '');
  const bracketed = /^\[([^\]]*)\](?::(\d*))?$/.exec(authority);
  const [host, portText] = bracketed ? [bracketed[1]!, bracketed[2]] : splitHostPort(authority);
  const port = portText !== undefined && /^\d+$/.test(portText) ? Number(portText) : undefined;
  return { scheme, host, port: port !== undefined && port <= 65535 ? port : undefined };
}

function splitHostPort(authority: string): [string, string | undefined] {
  const colon = authority.lastIndexOf(':');
  return colon === -1 ? [authority, undefined] : [authority.slice(0, colon), authority.slice(colon + 1)];
}

function bindAddress(host: string): string {
  if (host === '' || host === '0.0.0.0') return '0.0.0.0';
  return host.toLowerCase();
}

function endpointsOf(proc: ProcessInfo, urls: Resolved<string[]>, purpose: string, warnings: string[]): Endpoint[] {
  if (!urls.known) return [];
  const endpoints: Endpoint[] = [];
  for (const text of urls.value) {
    const url = parseUrl(text);
    // unix:// and unixs:// sockets are not TCP ports; etcd refuses URLs without a port.
    if (url && (url.scheme === 'unix' || url.scheme === 'unixs')) continue;
    if (!url || (url.scheme !== 'http' && url.scheme !== 'https') || url.port === undefined) {
      warnings.push(`${purpose} URL "${text}" is not a valid http(s)://host:port URL (${urls.evidence.detail})`);
      continue;
    }
    endpoints.push({
      component: 'etcd',
      pid: proc.pid,
      purpose,
      address: bindAddress(url.host),
      port: url.port,
      scheme: url.scheme,
      evidence: urls.evidence,
    });
  }
  return endpoints;
}

/** Whether a URL is served with TLS: `https://`, or `unixs://` for a unix socket. */
export function isTlsUrl(url: string): boolean {
  return /^(https|unixs):\/\//i.test(url);
}

/** The URLs served without TLS among the known `settings`, and the settings that name them. */
export function plainUrls(settings: readonly Resolved<string[]>[]): { urls: string[]; settings: Known<string[]>[] } {
  const named = settings.filter((s): s is Known<string[]> => s.known && s.value.some((u) => !isTlsUrl(u)));
  return { urls: named.flatMap((s) => s.value.filter((u) => !isTlsUrl(u))), settings: named };
}

/** The names of the file settings known to be unset, in the order given (`cert-file`, `key-file`). */
export function unsetFiles(files: Readonly<Record<string, Resolved<string | undefined>>>): string[] {
  return Object.entries(files).flatMap(([name, s]) => (s.known && s.value === undefined ? [name] : []));
}

/** Loopback binds (`localhost`, 127.0.0.0/8, ::1), as etcd's single-member defaults are. */
export function isLoopbackUrl(url: string): boolean {
  const host = parseUrl(url)?.host.toLowerCase();
  return host !== undefined && (host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host));
}

/**
 * When no peer traffic can leave this host: etcd listens for peers on loopback only, advertises
 * only loopback peer URLs, and every member of its initial cluster is on loopback (a
 * single-member etcd, as etcd's own defaults and many test and edge setups are). A peer on
 * another host could neither reach this member nor be reached by it. Undefined otherwise, or when
 * any of the three is not known.
 */
export function peerTrafficStaysLocal(etcd: Pick<ResolvedEtcd, 'listenPeerUrls' | 'initialAdvertisePeerUrls' | 'initialCluster'>): { urls: string[]; evidence: Evidence[] } | undefined {
  const settings = [etcd.listenPeerUrls, etcd.initialAdvertisePeerUrls, etcd.initialCluster];
  if (!settings.every((s): s is Known<string[]> => s.known && s.value.length > 0 && s.value.every(isLoopbackUrl))) return undefined;
  return { urls: [...new Set(settings.flatMap((s) => (s as Known<string[]>).value))], evidence: knownEvidence(settings) };
}

/** The evidence of the known values among `settings`, first occurrence first, without repeats. */
export function knownEvidence(settings: readonly (Resolved<unknown> | undefined)[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const s of settings) {
    if (s?.known && !seen.has(s.evidence.detail)) {
      seen.add(s.evidence.detail);
      out.push(s.evidence);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Certificates

function caOf(proc: ProcessInfo, file: Resolved<string | undefined>, setting: string): Resolved<CertificateInfo[]> | undefined {
  if (!file.known) return unknown(file.reason);
  if (file.value === undefined) return undefined;
  const path = absolutePath(proc.cwd, file.value);
  const read = fileOf(proc, file.value);
  if (!read) return unknown(`${setting} ${path} was not read`);
  if (!read.ok) return unknown(`${setting} ${path} could not be read (${read.reason}): ${read.detail}`);
  const certificates = read.certificates ?? [];
  // etcd refuses to start with a CA file holding no certificate, so this is not the running state.
  if (certificates.length === 0) return unknown(`${setting} ${path} contains no certificate`);
  return known(certificates, { source: 'certificate', detail: `${path} (${setting}): ${certificates.map((c) => c.subject).join('; ')}` });
}

// ---------------------------------------------------------------------------------------------
// The resolver

export function resolveEtcd(proc: ProcessInfo, probes?: ProbeResults): ResolvedEtcd {
  const flags = parseFlags(proc.args, 'goflag', ETCD_FLAGS);
  const warnings = [...flags.warnings];
  const configFile = configFileOf(flags, proc.env);
  const authStatus = authStatusOf(probes);

  let settings: FileSettings | { problem: string };
  let configPath: string | undefined;
  if (configFile) {
    const read = readConfigFile(proc, configFile.path);
    configPath = absolutePath(proc.cwd, configFile.path);
    settings = read.ok ? settingsFromFile(read.root, read.path) : { problem: read.reason };
    // Names only: values of ignored flags (--discovery-password, tokens) never reach a report.
    const ignored = [...new Set(flags.occurrences.filter((o) => o.name !== 'config-file').map((o) => `--${o.name}`))];
    const ignoredEnv = Object.keys(proc.env).filter((k) => k.startsWith('ETCD_') && k !== 'ETCD_CONFIG_FILE');
    if (ignored.length > 0 || ignoredEnv.length > 0) {
      warnings.push(
        `etcd uses ${configPath} (${configFile.evidence.detail}) and ignores every other flag and ETCD_* variable: ${[...ignored, ...ignoredEnv].join(' ')}`,
      );
    }
  } else if (proc.environUnreadable !== undefined) {
    // An ETCD_CONFIG_FILE there would make etcd ignore the whole command line, and any ETCD_*
    // variable could set what the command line leaves out: nothing can be decided.
    settings = {
      problem: `the environment of etcd pid ${proc.pid} could not be read (${proc.environUnreadable}): ETCD_* variables (ETCD_CONFIG_FILE among them) may change every setting`,
    };
  } else if (flags.positionals.length > 0) {
    // etcdmain rejects any non-flag argument ("%q is not a valid flag") and exits, so a process
    // with this argv does not run with what its argv says (a wrapper, or a stale manifest).
    settings = {
      problem: `etcd refuses to start with the non-flag argument "${flags.positionals[0]}" (Go flag parsing stops there; a boolean takes its value only as -flag=value), so pid ${proc.pid}'s argv is not etcd's effective configuration`,
    };
  } else {
    settings = settingsFromFlags(proc, flags, warnings);
  }

  if ('problem' in settings) {
    return unresolved(proc, settings.problem, configFile ? 'config-file' : 'flags-and-env', configPath, warnings, authStatus);
  }
  for (const warning of settings.warnings) warnings.push(warning);

  const { strings, bools, urls } = settings;
  const endpoints = [
    ...endpointsOf(proc, urls['listen-client-urls'], 'client', warnings),
    ...endpointsOf(proc, urls['listen-client-http-urls'], 'client', warnings),
    ...endpointsOf(proc, urls['listen-peer-urls'], 'peer', warnings),
    ...endpointsOf(proc, urls['listen-metrics-urls'], 'metrics', warnings),
  ];
  return {
    proc,
    configSource: configFile ? 'config-file' : 'flags-and-env',
    ...(configPath !== undefined && { configFile: configPath }),
    listenClientUrls: urls['listen-client-urls'],
    listenClientHttpUrls: urls['listen-client-http-urls'],
    advertiseClientUrls: urls['advertise-client-urls'],
    listenPeerUrls: urls['listen-peer-urls'],
    initialAdvertisePeerUrls: urls['initial-advertise-peer-urls'],
    initialCluster: settings.initialCluster,
    listenMetricsUrls: urls['listen-metrics-urls'],
    certFile: strings['cert-file'],
    keyFile: strings['key-file'],
    trustedCAFile: strings['trusted-ca-file'],
    peerCertFile: strings['peer-cert-file'],
    peerKeyFile: strings['peer-key-file'],
    peerTrustedCAFile: strings['peer-trusted-ca-file'],
    clientCertAuth: bools['client-cert-auth'],
    peerClientCertAuth: bools['peer-client-cert-auth'],
    autoTls: bools['auto-tls'],
    peerAutoTls: bools['peer-auto-tls'],
    trustedCA: caOf(proc, strings['trusted-ca-file'], 'trusted-ca-file'),
    peerTrustedCA: caOf(proc, strings['peer-trusted-ca-file'], 'peer-trusted-ca-file'),
    ...(authStatus && { authStatus }),
    endpoints,
    warnings,
  };
}

function settingsFromFlags(proc: ProcessInfo, flags: ParsedFlags, warnings: string[]): FileSettings {
  const ctx: FlagEnvContext = { flags, env: proc.env };
  for (const o of flags.occurrences) {
    const key = envName(o.name);
    // pkg/flags verifyEnv: etcd 3.x exits when a variable shadows a flag given on the command line.
    if (key in proc.env) warnings.push(`--${o.name} and env ${key} are both set; the flag wins, but etcd 3.4+ refuses to start with both`);
  }
  const strings = Object.fromEntries(STRING_SETTINGS.map((s) => [s, stringFromFlags(ctx, s)])) as FileSettings['strings'];
  const bools = Object.fromEntries(BOOL_SETTINGS.map((s) => [s, boolFromFlags(ctx, s)])) as FileSettings['bools'];
  const listenClientSet = rawValue(ctx, 'listen-client-urls') !== undefined;
  const urls = Object.fromEntries(
    (Object.keys(DEFAULTS) as UrlSetting[]).map((s) => [s, urlsFromFlags(ctx, s, listenClientSet)]),
  ) as FileSettings['urls'];
  const cluster = rawValue(ctx, 'initial-cluster');
  const discovery = DISCOVERY_SETTINGS.find((name) => rawValue(ctx, name)?.text);
  const initialCluster = initialClusterOf(
    cluster?.text ? { text: cluster.text, evidence: cluster.evidence } : undefined,
    discovery === undefined ? undefined : `--${discovery} (or ${envName(discovery)})`,
    urls['initial-advertise-peer-urls'],
  );
  return { strings, bools, urls, initialCluster, warnings: [] };
}

/**
 * The auth probe's answer, worded after the request that gave it (its record's target): etcd 3.5
 * and later answer AuthStatus, etcd 3.4 only Authenticate, over its HTTP gateway or gRPC.
 */
function authStatusOf(probes: ProbeResults | undefined): Known<boolean> | undefined {
  const answer = probes?.etcd;
  if (!answer) return undefined;
  const record = probes.records?.find((r) => r.probe === 'etcd-auth-enabled' && r.outcome === 'response');
  const asked = record?.target ?? `AuthStatus at ${answer.endpoint}`;
  return known(answer.authEnabled, { source: 'probe', detail: `${asked}: enabled=${answer.authEnabled}` });
}

/** Everything Unknown for one reason (config file unreadable or malformed, argv etcd rejects). */
function unresolved(
  proc: ProcessInfo,
  reason: string,
  configSource: ResolvedEtcd['configSource'],
  configPath: string | undefined,
  warnings: string[],
  authStatus: Known<boolean> | undefined,
): ResolvedEtcd {
  const u = unknown(reason);
  return {
    proc,
    configSource,
    ...(configPath !== undefined && { configFile: configPath }),
    listenClientUrls: u,
    listenClientHttpUrls: u,
    advertiseClientUrls: u,
    listenPeerUrls: u,
    initialAdvertisePeerUrls: u,
    initialCluster: u,
    listenMetricsUrls: u,
    certFile: u,
    keyFile: u,
    trustedCAFile: u,
    peerCertFile: u,
    peerKeyFile: u,
    peerTrustedCAFile: u,
    clientCertAuth: u,
    peerClientCertAuth: u,
    autoTls: u,
    peerAutoTls: u,
    trustedCA: u,
    peerTrustedCA: u,
    // The probe asks etcd itself, so its answer stands even when the configuration cannot be read.
    ...(authStatus && { authStatus }),
    endpoints: [],
    warnings: [...warnings, reason],
  };
}
