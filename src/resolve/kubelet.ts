// The kubelet's effective configuration, computed the way kubernetes/kubernetes:cmd/kubelet/app/server.go
// does: flags are parsed onto the legacy command-line defaults; `--config` replaces them with the
// file plus the v1beta1 defaults; `--config-dir` drop-ins are merged on top as JSON merge patches;
// then the explicitly given flags are applied again and win (research/anchors-node-audit.md §4.2).
import path from 'node:path/posix';
import type { Evidence } from './evidence.js';
import { parseCertificates } from '../collect/certs.js';
import type { CertificateInfo, FileRead, FileRequest, ProcessInfo } from '../collect/types.js';
import { booleansOf, lastOccurrence, parseFlags, parseGoBool, parseGoInt, type FlagOccurrence, type ParsedFlags } from './flags.js';
import { KUBELET_FLAGS } from './flag-tables/kubelet.js';
import { isJsonObject, mergePatch, type JsonObject, type JsonValue } from './json-merge-patch.js';
import { absolutePath, known, unknown, type Endpoint, type Known, type Resolved, type Unknown } from './resolved.js';
import { readYaml } from '../formats/yaml.js';

/**
 * Kubelet flags that take no separate value token (`--anonymous-auth false` is the bare flag
 * followed by a stray argument), derived from the complete table in flag-tables/kubelet.ts.
 */
export const KUBELET_BOOLEAN_FLAGS: ReadonlySet<string> = new Set(booleansOf(KUBELET_FLAGS));

export interface ResolvedKubelet {
  proc: ProcessInfo;
  flags: ParsedFlags;
  /** Absolute path of `--config`, when given. */
  configFile: string | undefined;
  /** Absolute path of `--config-dir`, when given. */
  configDir: string | undefined;
  anonymousAuth: Resolved<boolean>;
  authorizationMode: Resolved<string>;
  webhookAuthentication: Resolved<boolean>;
  /** Absolute path of the x509 client CA file; `undefined` when x509 client authentication is off. */
  x509ClientCAFile: Resolved<string | undefined>;
  /** The certificates in that client CA file (the cluster CA on kubeadm nodes); undefined when none is set. */
  clusterCA: Resolved<CertificateInfo[]> | undefined;
  readOnlyPort: Resolved<number>;
  address: Resolved<string>;
  port: Resolved<number>;
  healthzBindAddress: Resolved<string>;
  healthzPort: Resolved<number>;
  /** Absolute path of `--kubeconfig`; undefined for a standalone kubelet. */
  kubeconfig: string | undefined;
  /** The certificate the kubelet presents to the API server (the kubeconfig user's). */
  clientCertificate: Resolved<CertificateInfo>;
  /** `--hostname-override` as the kubelet uses it; undefined when the node name is the host name. */
  nodeName: Resolved<string> | undefined;
  endpoints: Endpoint[];
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------
// Settings: each a KubeletConfiguration (v1beta1) key, its flag, its type and both defaults.

type SettingValue = boolean | string | number;

interface ValueKind<T extends SettingValue> {
  describe: string;
  fromConfig(value: JsonValue): T | undefined;
  fromFlag(occurrence: FlagOccurrence): T | undefined;
}

const BOOLEAN: ValueKind<boolean> = {
  describe: 'a boolean',
  fromConfig: (v) => (typeof v === 'boolean' ? v : undefined),
  // A bare boolean flag means true; `--flag=value` is read with Go's strconv.ParseBool.
  fromFlag: (o) => (o.value === undefined ? true : parseGoBool(o.value)),
};

const STRING: ValueKind<string> = {
  describe: 'a string',
  fromConfig: (v) => (typeof v === 'string' ? v : undefined),
  fromFlag: (o) => o.value,
};

const PORT: ValueKind<number> = {
  describe: 'a port number (0-65535)',
  fromConfig: (v) => (typeof v === 'number' && isPort(v) ? v : undefined),
  fromFlag: (o) => {
    const value = o.value === undefined ? undefined : parseGoInt(o.value, 32);
    return value !== undefined && isPort(value) ? value : undefined;
  },
};

interface Setting<T extends SettingValue> {
  /** Dotted path in a KubeletConfiguration file. */
  key: string;
  flag: string;
  kind: ValueKind<T>;
  /** Without `--config` (`applyLegacyDefaults` in cmd/kubelet/app/options/options.go). */
  legacyDefault: T;
  /** With `--config`, for keys the file leaves unset (pkg/kubelet/apis/config/v1beta1/defaults.go). */
  fileDefault: T;
  /** The v1beta1 defaulting also replaces an explicit zero value (`address: ""`, `port: 0`). */
  zeroIsUnset?: boolean;
}

const SETTINGS = {
  anonymousAuth: { key: 'authentication.anonymous.enabled', flag: 'anonymous-auth', kind: BOOLEAN, legacyDefault: true, fileDefault: false },
  webhookAuthentication: {
    key: 'authentication.webhook.enabled',
    flag: 'authentication-token-webhook',
    kind: BOOLEAN,
    legacyDefault: false,
    fileDefault: true,
  },
  authorizationMode: {
    key: 'authorization.mode',
    flag: 'authorization-mode',
    kind: STRING,
    legacyDefault: 'AlwaysAllow',
    fileDefault: 'Webhook',
    zeroIsUnset: true,
  },
  clientCAFile: { key: 'authentication.x509.clientCAFile', flag: 'client-ca-file', kind: STRING, legacyDefault: '', fileDefault: '' },
  readOnlyPort: { key: 'readOnlyPort', flag: 'read-only-port', kind: PORT, legacyDefault: 10255, fileDefault: 0 },
  address: { key: 'address', flag: 'address', kind: STRING, legacyDefault: '0.0.0.0', fileDefault: '0.0.0.0', zeroIsUnset: true },
  port: { key: 'port', flag: 'port', kind: PORT, legacyDefault: 10250, fileDefault: 10250, zeroIsUnset: true },
  healthzBindAddress: {
    key: 'healthzBindAddress',
    flag: 'healthz-bind-address',
    kind: STRING,
    legacyDefault: '127.0.0.1',
    fileDefault: '127.0.0.1',
    zeroIsUnset: true,
  },
  healthzPort: { key: 'healthzPort', flag: 'healthz-port', kind: PORT, legacyDefault: 10248, fileDefault: 10248 },
} satisfies Record<string, Setting<boolean> | Setting<string> | Setting<number>>;

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 65535;
}


// ---------------------------------------------------------------------------------------------
// Config files and drop-ins as parsed layers.

type ConfigLayer = { ok: true; path: string; object: JsonObject } | { ok: false; path: string; reason: string };

type DropinLayers = { ok: true; files: ConfigLayer[] } | { ok: false; reason: string };

interface Layers {
  flags: ParsedFlags;
  cwd: string;
  configPath: string | undefined;
  config: ConfigLayer | undefined;
  dropinDir: string | undefined;
  dropins: DropinLayers | undefined;
  /** The readable drop-ins merged in order, as the kubelet's jsonpatch.MergePatch loop does. */
  merged: JsonObject;
}

export function parseKubeletFlags(args: readonly string[]): ParsedFlags {
  return parseFlags(args, 'pflag', KUBELET_FLAGS);
}

/** A path-valued flag as an absolute path; `--config=` (empty) means not set, as in the kubelet. */
function pathFlag(flags: ParsedFlags, name: string, cwd: string): string | undefined {
  const value = lastOccurrence(flags, name)?.value;
  return value ? absolutePath(cwd, value) : undefined;
}

/** Drop-in files in the order filepath.WalkDir visits them: per directory, by name; `.conf` only. */
export function dropinOrder(entries: readonly string[]): string[] {
  return entries
    .filter((entry) => path.basename(entry).endsWith('.conf'))
    .sort((a, b) => compareWalkOrder(a.split('/'), b.split('/')));
}

function compareWalkOrder(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = Buffer.compare(Buffer.from(a[i]!), Buffer.from(b[i]!));
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/** YAML (1.1, as sigs.k8s.io/yaml reads it) or JSON text as a JSON object, or why it is not one. */
function parseYamlObject(text: string): { ok: true; object: JsonObject } | { ok: false; problem: string } {
  const read = readYaml(text, { schema: 'yaml-1.1', duplicateKeys: 'refuse', maxAliases: 100 });
  if (!read.ok) return read;
  const value = read.value;
  if (value === null) return { ok: false, problem: 'is empty' };
  const json = toJsonValue(value);
  return isJsonObject(json) ? { ok: true, object: json } : { ok: false, problem: 'is not a YAML mapping' };
}

/** YAML 1.1 can yield dates, sets, binary and bigints; the kubelet sees them as JSON, so convert. */
function toJsonValue(value: unknown): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value instanceof Set) return Object.fromEntries([...value].map((k) => [String(k), null]));
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonValue(v)]));
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  return String(value);
}

function readConfigLayer(read: FileRead | undefined, file: string, role: string): ConfigLayer {
  if (read === undefined) return { ok: false, path: file, reason: `${role} ${file} was not read` };
  if (!read.ok) return { ok: false, path: file, reason: `${role} ${file} could not be read (${read.reason}): ${read.detail}` };
  const parsed = parseYamlObject(read.content);
  if (!parsed.ok) return { ok: false, path: file, reason: `${role} ${file} ${parsed.problem}` };
  // The kubelet's decoder needs the kind; without it the file cannot be what the kubelet loaded.
  const kind = parsed.object['kind'];
  if (kind !== 'KubeletConfiguration') {
    const found = kind === undefined ? 'has no kind' : `has kind ${JSON.stringify(kind)}`;
    return { ok: false, path: file, reason: `${role} ${file} ${found}, not KubeletConfiguration; the kubelet would refuse it` };
  }
  return { ok: true, path: file, object: parsed.object };
}

function readDropins(proc: ProcessInfo, dir: string): DropinLayers {
  const listing = proc.dirs[dir];
  if (listing === undefined) return { ok: false, reason: `drop-in directory ${dir} (--config-dir) was not read` };
  if (!listing.ok) return { ok: false, reason: `drop-in directory ${dir} (--config-dir) could not be read (${listing.reason}): ${listing.detail}` };
  const files = dropinOrder(listing.entries).map((entry) => {
    const file = path.join(dir, entry);
    return readConfigLayer(proc.files[file], file, 'kubelet drop-in');
  });
  return { ok: true, files };
}

function kubeletLayers(proc: ProcessInfo, flags: ParsedFlags): Layers {
  const cwd = proc.cwd || '/';
  const configPath = pathFlag(flags, 'config', cwd);
  const dropinDir = pathFlag(flags, 'config-dir', cwd);
  const config = configPath === undefined ? undefined : readConfigLayer(proc.files[configPath], configPath, 'kubelet config file');
  const dropins = dropinDir === undefined ? undefined : readDropins(proc, dropinDir);
  let merged: JsonValue = {};
  for (const file of dropins?.ok ? dropins.files : []) if (file.ok) merged = mergePatch(merged, file.object);
  return { flags, cwd, configPath, config, dropinDir, dropins, merged: isJsonObject(merged) ? merged : {} };
}

// ---------------------------------------------------------------------------------------------
// Resolving one setting through the layers.

/** A known value plus the directory its relative paths resolve against. */
type Found<T extends SettingValue> = (Known<T> & { baseDir: string }) | Unknown;

type Lookup = { kind: 'missing' } | { kind: 'value'; value: JsonValue } | { kind: 'blocked'; at: string; value: JsonValue };

/** The value at a dotted key; `null` counts as missing, as it does for Go's json.Unmarshal. */
function lookup(object: JsonObject, key: string): Lookup {
  const parts = key.split('.');
  let current: JsonValue = object;
  for (let i = 0; i < parts.length; i++) {
    if (!isJsonObject(current)) return { kind: 'blocked', at: parts.slice(0, i).join('.'), value: current };
    if (!Object.hasOwn(current, parts[i]!)) return { kind: 'missing' };
    current = current[parts[i]!]!;
    if (current === null) return { kind: 'missing' };
  }
  return { kind: 'value', value: current };
}

/** Whether a merge patch changes the value at `key` (sets or deletes it, or replaces a parent). */
function touches(patch: JsonObject, key: string): boolean {
  let current: JsonValue = patch;
  for (const part of key.split('.')) {
    if (!isJsonObject(current) || !Object.hasOwn(current, part)) return false;
    current = current[part]!;
    if (!isJsonObject(current)) return true;
  }
  return true;
}

function show(value: JsonValue | undefined): string {
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value);
}

function wrongType<T extends SettingValue>(file: string, setting: Setting<T>, found: Lookup): Unknown {
  const at = found.kind === 'blocked' ? found.at : setting.key;
  const value = found.kind === 'missing' ? undefined : found.value;
  const expected = found.kind === 'blocked' ? 'a mapping' : setting.kind.describe;
  return unknown(`${file}: ${at} is ${show(value)}, not ${expected}; the kubelet would refuse to start with it, so ${setting.key} is not known`);
}

function resolveSetting<T extends SettingValue>(layers: Layers, setting: Setting<T>): Found<T> {
  // Flags given on the command line are applied last (kubeletConfigFlagPrecedence) and win.
  const flag = lastOccurrence(layers.flags, setting.flag);
  if (flag) {
    const value = setting.kind.fromFlag(flag);
    if (value === undefined) return unknown(`${flag.written}: not ${setting.kind.describe}; the kubelet would refuse to start with it`);
    const detail = flag.value === undefined ? `${flag.written} (bare flag: true)` : flag.written;
    return { ...known(value, { source: 'flag', detail }), baseDir: layers.cwd };
  }
  return fromDropins(layers, setting) ?? fromBase(layers, setting);
}

/** The value the last drop-in touching the key gave it, or undefined when no drop-in decides it. */
function fromDropins<T extends SettingValue>(layers: Layers, setting: Setting<T>): Found<T> | undefined {
  if (layers.dropins === undefined) return undefined;
  if (!layers.dropins.ok) return unknown(`${layers.dropins.reason}, so ${setting.key} is not known`);
  for (const file of [...layers.dropins.files].reverse()) {
    if (!file.ok) return unknown(`${file.reason}; it may set ${setting.key}`);
    if (!touches(file.object, setting.key)) continue;
    const found = lookup(layers.merged, setting.key);
    // Deleted with `null`: json.Unmarshal then leaves the base value in place.
    if (found.kind === 'missing') return undefined;
    const value = found.kind === 'value' ? setting.kind.fromConfig(found.value) : undefined;
    if (value === undefined) return wrongType(`${file.path} (drop-in)`, setting, found);
    // Relative paths in drop-ins are not rewritten (only the --config file's are), so the cwd applies.
    return { ...known(value, { source: 'drop-in', detail: `${file.path} (drop-in): ${setting.key}=${show(found.kind === 'value' ? found.value : null)}` }), baseDir: layers.cwd };
  }
  return undefined;
}

/** The value before drop-ins and flags: the `--config` file with its defaults, or the legacy defaults. */
function fromBase<T extends SettingValue>(layers: Layers, setting: Setting<T>): Found<T> {
  const { config, configPath } = layers;
  if (configPath === undefined || config === undefined) {
    const evidence: Evidence = { source: 'default', detail: `default without --config: ${setting.key}=${show(setting.legacyDefault)}` };
    return { ...known(setting.legacyDefault, evidence), baseDir: layers.cwd };
  }
  if (!config.ok) return unknown(`${config.reason}, so ${setting.key} is not known`);
  const found = lookup(config.object, setting.key);
  const value = found.kind === 'value' ? setting.kind.fromConfig(found.value) : undefined;
  if (found.kind !== 'missing' && value === undefined) return wrongType(config.path, setting, found);
  const unset = value === undefined || (setting.zeroIsUnset === true && (value === '' || value === 0));
  if (unset) {
    const evidence: Evidence = { source: 'default', detail: `default with --config ${configPath} (key not set): ${setting.key}=${show(setting.fileDefault)}` };
    return { ...known(setting.fileDefault, evidence), baseDir: path.dirname(configPath) };
  }
  // resolveRelativePaths: paths inside the --config file are relative to the file's directory.
  return { ...known(value, { source: 'config-file', detail: `${configPath}: ${setting.key}=${show(value)}` }), baseDir: path.dirname(configPath) };
}

function publicValue<T extends SettingValue>(found: Found<T>): Resolved<T> {
  return found.known ? known(found.value, found.evidence) : found;
}

/** The x509 client CA file as an absolute path, undefined when unset (empty string). */
function resolveClientCAFile(layers: Layers): Resolved<string | undefined> {
  const found = resolveSetting(layers, SETTINGS.clientCAFile);
  if (!found.known) return found;
  return known(found.value === '' ? undefined : absolutePath(found.baseDir, found.value), found.evidence);
}

// ---------------------------------------------------------------------------------------------
// The kubeconfig and the client certificate.

type KubeconfigUser =
  | { ok: true; name: string; certificatePath?: string; certificateData?: string }
  | { ok: false; reason: string };

/** The user of the kubeconfig's current context (client-go's clientcmd picks it the same way). */
function kubeconfigUser(proc: ProcessInfo, kubeconfig: string): KubeconfigUser {
  const read = proc.files[kubeconfig];
  if (read === undefined) return { ok: false, reason: `kubeconfig ${kubeconfig} (--kubeconfig) was not read` };
  if (!read.ok) return { ok: false, reason: `kubeconfig ${kubeconfig} (--kubeconfig) could not be read (${read.reason}): ${read.detail}` };
  const parsed = parseYamlObject(read.content);
  if (!parsed.ok) return { ok: false, reason: `kubeconfig ${kubeconfig} ${parsed.problem}` };
  const contextName = parsed.object['current-context'];
  if (typeof contextName !== 'string' || contextName === '') return { ok: false, reason: `kubeconfig ${kubeconfig} has no current-context` };
  const context = namedEntry(parsed.object['contexts'], contextName)?.['context'];
  const userName = isJsonObject(context) ? context['user'] : undefined;
  if (typeof userName !== 'string') return { ok: false, reason: `kubeconfig ${kubeconfig}: context "${contextName}" names no user` };
  const user = namedEntry(parsed.object['users'], userName)?.['user'];
  if (!isJsonObject(user)) return { ok: false, reason: `kubeconfig ${kubeconfig}: user "${userName}" is not defined` };
  const data = user['client-certificate-data'];
  const file = user['client-certificate'];
  return {
    ok: true,
    name: userName,
    ...(typeof data === 'string' && data !== '' && { certificateData: data }),
    // clientcmd resolves relative paths in a kubeconfig against the kubeconfig's directory.
    ...(typeof file === 'string' && file !== '' && { certificatePath: absolutePath(path.dirname(kubeconfig), file) }),
  };
}

function namedEntry(list: JsonValue | undefined, name: string): JsonObject | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.find((entry): entry is JsonObject => isJsonObject(entry) && entry['name'] === name);
}

function resolveClientCertificate(proc: ProcessInfo, kubeconfig: string | undefined): Resolved<CertificateInfo> {
  if (kubeconfig === undefined) return unknown('the kubelet has no --kubeconfig (standalone mode), so it presents no client certificate to the API server');
  const user = kubeconfigUser(proc, kubeconfig);
  if (!user.ok) return unknown(user.reason);
  if (user.certificateData !== undefined) {
    const certificates = certificatesFromData(user.certificateData);
    const first = certificates[0];
    if (first === undefined) return unknown(`kubeconfig ${kubeconfig}: client-certificate-data of user "${user.name}" holds no readable certificate`);
    return known(first, { source: 'certificate', detail: `${kubeconfig}: users[${user.name}].client-certificate-data: ${first.subject}` });
  }
  if (user.certificatePath !== undefined) {
    const read = proc.files[user.certificatePath];
    if (read === undefined) return unknown(`client certificate ${user.certificatePath} (from ${kubeconfig}) was not read`);
    if (!read.ok) return unknown(`client certificate ${user.certificatePath} (from ${kubeconfig}) could not be read (${read.reason}): ${read.detail}`);
    const first = read.certificates?.[0];
    if (first === undefined) return unknown(`client certificate ${user.certificatePath} (from ${kubeconfig}) holds no readable certificate`);
    return known(first, { source: 'certificate', detail: `${user.certificatePath}: ${first.subject}` });
  }
  return unknown(`kubeconfig ${kubeconfig}: user "${user.name}" has no client certificate (token or exec plugin), so the node identity cannot be read on this node`);
}

function certificatesFromData(base64: string): CertificateInfo[] {
  try {
    return parseCertificates(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    return [];
  }
}

function resolveClusterCA(proc: ProcessInfo, caFile: Resolved<string | undefined>): Resolved<CertificateInfo[]> | undefined {
  if (!caFile.known) return unknown(caFile.reason);
  if (caFile.value === undefined) return undefined;
  const read = proc.files[caFile.value];
  if (read === undefined) return unknown(`client CA file ${caFile.value} was not read`);
  if (!read.ok) return unknown(`client CA file ${caFile.value} could not be read (${read.reason}): ${read.detail}`);
  const certificates = read.certificates ?? [];
  if (certificates.length === 0) return unknown(`client CA file ${caFile.value} holds no readable certificate`);
  return known(certificates, { source: 'certificate', detail: `${caFile.value}: ${certificates.map((c) => c.subject).join('; ')}` });
}

/** `--hostname-override` trimmed and lower-cased as nodeutil.GetHostname does. */
function resolveNodeName(flags: ParsedFlags): Resolved<string> | undefined {
  const flag = lastOccurrence(flags, 'hostname-override');
  if (flag === undefined || flag.value === '') return undefined;
  if (flag.value === undefined) return unknown(`${flag.written}: no value; the kubelet would refuse to start with it`);
  // collect decodes invalid UTF-8 as U+FFFD: the name the kubelet really has is then unknowable,
  // and comparing the substitute with a certificate's CN would invent a verdict.
  if (flag.value.includes('\uFFFD')) return unknown(`${flag.written}: the value is not valid UTF-8, so the node name is not known`);
  const name = flag.value.trim().toLowerCase();
  if (name === '') return unknown(`${flag.written}: an empty host name; the kubelet would refuse to start with it`);
  return known(name, { source: 'flag', detail: flag.written });
}

/** The name the kubelet registers under: `--hostname-override`, else the host name, lower-cased. */
export function effectiveNodeName(kubelet: ResolvedKubelet, hostname: string): Resolved<string> {
  if (kubelet.nodeName !== undefined) return kubelet.nodeName;
  const name = hostname.trim().toLowerCase();
  if (name === '') return unknown('the host name is empty and there is no --hostname-override');
  return known(name, { source: 'default', detail: `node name = host name "${name}" (no --hostname-override)` });
}

// ---------------------------------------------------------------------------------------------
// Endpoints and the public entry points.

function kubeletEndpoints(pid: number, values: Pick<ResolvedKubelet, 'address' | 'port' | 'readOnlyPort' | 'healthzBindAddress' | 'healthzPort'>, warnings: string[]): Endpoint[] {
  const endpoints: Endpoint[] = [];
  const add = (purpose: string, address: Resolved<string>, port: Resolved<number>, scheme: Endpoint['scheme']): void => {
    if (!address.known || !port.known) {
      const reason = [address, port].flatMap((r) => (r.known ? [] : [r.reason])).join('; ');
      warnings.push(`kubelet ${purpose} endpoint unknown: ${reason}`);
      return;
    }
    if (port.value === 0) return;
    const detail = address.evidence.detail === port.evidence.detail ? port.evidence.detail : `${address.evidence.detail}; ${port.evidence.detail}`;
    endpoints.push({ component: 'kubelet', pid, purpose, address: address.value, port: port.value, scheme, evidence: { source: port.evidence.source, detail } });
  };
  add('secure-port', values.address, values.port, 'https');
  add('read-only-port', values.address, values.readOnlyPort, 'http');
  add('healthz', values.healthzBindAddress, values.healthzPort, 'http');
  return endpoints;
}

/** The files the kubelet references, given what collect has read so far (called until nothing is new). */
export function referencedFiles(proc: ProcessInfo): FileRequest[] {
  const flags = parseKubeletFlags(proc.args);
  const layers = kubeletLayers(proc, flags);
  const requests: FileRequest[] = [];
  if (layers.configPath !== undefined) requests.push({ path: layers.configPath, kind: 'text' });
  if (layers.dropinDir !== undefined) {
    requests.push({ path: layers.dropinDir, kind: 'dir' });
    const listing = proc.dirs[layers.dropinDir];
    if (listing?.ok) for (const entry of dropinOrder(listing.entries)) requests.push({ path: path.join(layers.dropinDir, entry), kind: 'text' });
  }
  const kubeconfig = pathFlag(flags, 'kubeconfig', layers.cwd);
  if (kubeconfig !== undefined) {
    requests.push({ path: kubeconfig, kind: 'kubeconfig' });
    const user = kubeconfigUser(proc, kubeconfig);
    if (user.ok && user.certificatePath !== undefined && user.certificateData === undefined) {
      requests.push({ path: user.certificatePath, kind: 'certificate' });
    }
  }
  const caFile = resolveClientCAFile(layers);
  if (caFile.known && caFile.value !== undefined) requests.push({ path: caFile.value, kind: 'certificate' });
  // The same file can be named twice (a CA file that is also the kubeconfig's certificate): ask once.
  return [...new Map(requests.map((r) => [`${r.kind}:${r.path}`, r])).values()];
}

export function resolveKubelet(proc: ProcessInfo): ResolvedKubelet {
  const flags = parseKubeletFlags(proc.args);
  const layers = kubeletLayers(proc, flags);
  const warnings = flags.warnings.map((w) => `kubelet command line: ${w}`);
  if (flags.positionals.length > 0) {
    warnings.push(`the kubelet refuses to start with a non-flag argument ("${flags.positionals[0]}"); this command line was read as written, with bare boolean flags true`);
  }
  const setting = <T extends SettingValue>(s: Setting<T>): Resolved<T> => publicValue(resolveSetting(layers, s));
  const values = {
    anonymousAuth: setting(SETTINGS.anonymousAuth),
    authorizationMode: setting(SETTINGS.authorizationMode),
    webhookAuthentication: setting(SETTINGS.webhookAuthentication),
    readOnlyPort: setting(SETTINGS.readOnlyPort),
    address: setting(SETTINGS.address),
    port: setting(SETTINGS.port),
    healthzBindAddress: setting(SETTINGS.healthzBindAddress),
    healthzPort: setting(SETTINGS.healthzPort),
  };
  const x509ClientCAFile = resolveClientCAFile(layers);
  const clusterCA = resolveClusterCA(proc, x509ClientCAFile);
  const kubeconfig = pathFlag(flags, 'kubeconfig', layers.cwd);
  const nodeName = resolveNodeName(flags);
  return {
    proc,
    flags,
    configFile: layers.configPath,
    configDir: layers.dropinDir,
    ...values,
    x509ClientCAFile,
    clusterCA,
    kubeconfig,
    clientCertificate: resolveClientCertificate(proc, kubeconfig),
    nodeName,
    endpoints: kubeletEndpoints(proc.pid, values, warnings),
    warnings,
  };
}
