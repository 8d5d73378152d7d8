// The kube-apiserver's structured configuration files, read as the apiserver reads them:
// sigs.k8s.io/yaml (go-yaml v2, so YAML 1.1: `on` is true) into typed Go structs, where a value of
// the wrong type is an error rather than a default. A file that does not parse, or no longer has
// the shape the apiserver demands, says nothing about what the running apiserver uses, so every
// such case is a reason (naming the file) for `unknown`, never a default.
import path from 'node:path/posix';
import type { ProcessInfo } from '../../collect/types.js';
import { absolutePath, fileContent, fileOf } from '../resolved.js';
import { readYaml } from '../../formats/yaml.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const MAX_ALIASES = 100;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (reason: string): Parsed<never> => ({ ok: false, reason });

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** The text of a file the apiserver names, or why it cannot be had (the reason names the file). */
export function readText(proc: ProcessInfo, file: string, what: string): Parsed<{ path: string; content: string }> {
  const absolute = absolutePath(proc.cwd, file);
  const read = fileContent(fileOf(proc, file), `${what} ${absolute}`);
  return read.ok ? ok({ path: absolute, content: read.file.content }) : read;
}

/** One YAML (or JSON) document with YAML 1.1 semantics, as a plain value. */
export function parseYaml(text: string, file: string): Parsed<unknown> {
  const read = readYaml(text, { schema: 'yaml-1.1', duplicateKeys: 'refuse', maxAliases: MAX_ALIASES });
  return read.ok ? ok(read.value) : bad(`${file} ${read.problem}`);
}

function checkKind(
  doc: unknown,
  file: string,
  kind: string,
  apiVersions: readonly string[],
): Parsed<Record<string, unknown>> {
  if (!isRecord(doc)) return bad(`${file} does not hold a ${kind} (not a mapping)`);
  if (doc.kind !== kind || typeof doc.apiVersion !== 'string' || !apiVersions.includes(doc.apiVersion)) {
    return bad(
      `${file} does not hold a ${kind} of a known version (kind ${JSON.stringify(doc.kind)}, apiVersion ${JSON.stringify(doc.apiVersion)}; expected ${apiVersions.join(' or ')})`,
    );
  }
  return ok(doc);
}

const STRUCTURED_CONFIG_VERSIONS = [
  'apiserver.config.k8s.io/v1',
  'apiserver.config.k8s.io/v1beta1',
  'apiserver.config.k8s.io/v1alpha1',
];

/**
 * `--authorization-config`: the ordered `authorizers[].type`. The apiserver reloads this file and
 * keeps its last valid configuration when the file turns invalid, so an invalid file is unknown.
 */
export function parseAuthorizationConfig(text: string, file: string): Parsed<string[]> {
  const doc = parseYaml(text, file);
  if (!doc.ok) return doc;
  const config = checkKind(doc.value, file, 'AuthorizationConfiguration', STRUCTURED_CONFIG_VERSIONS);
  if (!config.ok) return config;
  const authorizers = config.value.authorizers;
  if (!Array.isArray(authorizers) || authorizers.length === 0)
    return bad(`${file}: authorizers is not a non-empty list`);
  const types: string[] = [];
  for (const [i, a] of authorizers.entries()) {
    if (!isRecord(a) || typeof a.type !== 'string') return bad(`${file}: authorizers[${i}].type is not a string`);
    types.push(a.type);
  }
  return ok(types);
}

export interface AuthenticationConfig {
  /** `jwt[].issuer.url`, one per JWT authenticator. */
  jwtIssuers: string[];
  /** `anonymous.enabled`, when the file sets the anonymous block. */
  anonymousEnabled?: boolean;
}

/** `--authentication-config`: JWT authenticators and the anonymous block. */
export function parseAuthenticationConfig(text: string, file: string): Parsed<AuthenticationConfig> {
  const doc = parseYaml(text, file);
  if (!doc.ok) return doc;
  const config = checkKind(doc.value, file, 'AuthenticationConfiguration', STRUCTURED_CONFIG_VERSIONS);
  if (!config.ok) return config;
  const { jwt, anonymous } = config.value;
  const jwtIssuers: string[] = [];
  if (jwt !== undefined && jwt !== null) {
    if (!Array.isArray(jwt)) return bad(`${file}: jwt is not a list`);
    for (const [i, j] of jwt.entries()) {
      const url = isRecord(j) && isRecord(j.issuer) ? j.issuer.url : undefined;
      if (typeof url !== 'string' || url === '') return bad(`${file}: jwt[${i}].issuer.url is not a non-empty string`);
      jwtIssuers.push(url);
    }
  }
  if (anonymous === undefined || anonymous === null) return ok({ jwtIssuers });
  if (!isRecord(anonymous) || typeof anonymous.enabled !== 'boolean')
    return bad(`${file}: anonymous.enabled is not a boolean`);
  return ok({ jwtIssuers, anonymousEnabled: anonymous.enabled });
}

export interface AdmissionPluginEntry {
  name: string;
  /** `path:`, made absolute against the admission configuration file's directory, as the apiserver does. */
  path?: string;
  /** Inline `configuration:`; it wins over `path:` when both are given. */
  configuration?: unknown;
}

const ADMISSION_CONFIG_VERSIONS = ['apiserver.config.k8s.io/v1', 'apiserver.k8s.io/v1alpha1'];

/**
 * `--admission-control-config-file` (`file` absolute, as the process sees it). A file without kind
 * that holds one of the two legacy unversioned configs (`imagePolicy`, `podNodeSelectorPluginConfig`)
 * is accepted by the apiserver and configures no other plugin.
 */
export function parseAdmissionConfig(text: string, file: string): Parsed<AdmissionPluginEntry[]> {
  const doc = parseYaml(text, file);
  if (!doc.ok) return doc;
  if (
    isRecord(doc.value) &&
    doc.value.kind === undefined &&
    doc.value.apiVersion === undefined &&
    ('imagePolicy' in doc.value || 'podNodeSelectorPluginConfig' in doc.value)
  ) {
    return ok([]);
  }
  const config = checkKind(doc.value, file, 'AdmissionConfiguration', ADMISSION_CONFIG_VERSIONS);
  if (!config.ok) return config;
  const plugins = config.value.plugins;
  if (plugins === undefined || plugins === null) return ok([]);
  if (!Array.isArray(plugins)) return bad(`${file}: plugins is not a list`);
  const entries: AdmissionPluginEntry[] = [];
  for (const [i, p] of plugins.entries()) {
    if (!isRecord(p) || typeof p.name !== 'string') return bad(`${file}: plugins[${i}].name is not a string`);
    if (p.path !== undefined && p.path !== null && typeof p.path !== 'string')
      return bad(`${file}: plugins[${i}].path is not a string`);
    const entry: AdmissionPluginEntry = { name: p.name };
    if (typeof p.path === 'string' && p.path !== '') entry.path = path.resolve(path.dirname(file), p.path);
    if (p.configuration !== undefined && p.configuration !== null) entry.configuration = p.configuration;
    entries.push(entry);
  }
  return ok(entries);
}

export interface PodSecurityDefaults {
  enforce?: string;
  enforceVersion?: string;
  audit?: string;
  auditVersion?: string;
  warn?: string;
  warnVersion?: string;
  exemptions: { usernames: string[]; runtimeClasses: string[]; namespaces: string[] };
}

const POD_SECURITY_VERSIONS = [
  'pod-security.admission.config.k8s.io/v1',
  'pod-security.admission.config.k8s.io/v1beta1',
];
const LEVELS = ['privileged', 'baseline', 'restricted'];

/**
 * A PodSecurityConfiguration (inline object or the text of a `path:` file). Levels are
 * case-sensitive and must be strings (`enforce: no` is a YAML 1.1 boolean, which the apiserver
 * refuses); an empty or missing level defaults to `privileged`, reported here as unset.
 */
export function parsePodSecurityConfig(doc: unknown, where: string): Parsed<PodSecurityDefaults> {
  const config = checkKind(doc, where, 'PodSecurityConfiguration', POD_SECURITY_VERSIONS);
  if (!config.ok) return config;
  const defaults = config.value.defaults ?? {};
  if (!isRecord(defaults)) return bad(`${where}: defaults is not a mapping`);
  const result: PodSecurityDefaults = { exemptions: { usernames: [], runtimeClasses: [], namespaces: [] } };
  for (const mode of ['enforce', 'audit', 'warn'] as const) {
    const level = defaults[mode];
    const version = defaults[`${mode}-version`];
    if (level !== undefined && level !== null && level !== '') {
      if (typeof level !== 'string' || !LEVELS.includes(level))
        return bad(`${where}: defaults.${mode} is ${JSON.stringify(level)}, not one of ${LEVELS.join(', ')}`);
      result[mode] = level;
    }
    if (version !== undefined && version !== null && version !== '') {
      if (typeof version !== 'string' || !/^(latest|v1\.\d+)$/.test(version))
        return bad(`${where}: defaults.${mode}-version is ${JSON.stringify(version)}, not "latest" or "v1.<minor>"`);
      result[`${mode}Version`] = version;
    }
  }
  const exemptions = config.value.exemptions ?? {};
  if (!isRecord(exemptions)) return bad(`${where}: exemptions is not a mapping`);
  for (const key of ['usernames', 'runtimeClasses', 'namespaces'] as const) {
    const list = exemptions[key] ?? [];
    if (!Array.isArray(list) || !list.every((v) => typeof v === 'string'))
      return bad(`${where}: exemptions.${key} is not a list of strings`);
    result.exemptions[key] = list;
  }
  return ok(result);
}
