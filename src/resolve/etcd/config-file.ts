// etcd's YAML config file (`--config-file`, `ETCD_CONFIG_FILE`), read as etcd reads it: go-yaml v2 (YAML 1.1)
// into JSON-tagged structs, keys matched case-insensitively, unknown keys ignored
// (etcd-io/etcd:server/embed/config.go ConfigFromFile).
import type { ProcessInfo } from '../../collect/types.js';
import { readYaml } from '../../formats/yaml.js';
import type { Evidence } from '../evidence.js';
import { absolutePath, defaultEvidence, fileContent, fileOf, known } from '../resolved.js';
import {
  BOOL_SETTINGS,
  DEFAULTS,
  DISCOVERY_SETTINGS,
  FILE_PATHS,
  STRING_SETTINGS,
  initialClusterOf,
  splitUrls,
  type BoolSetting,
  type FileSettings,
  type StringSetting,
  type UrlSetting,
} from './settings.js';

/** Bounds alias expansion in config files (billion-laughs); etcd's own files never need aliases. */
const MAX_ALIAS_COUNT = 100;

export function stringInFile(root: ConfigMap, setting: StringSetting): string | undefined {
  const [section, key] = FILE_PATHS[setting];
  const value = fieldOf(asMap(fieldOf(root, section)), key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export type ConfigMap = ReadonlyMap<string, unknown>;

type ConfigRead = { ok: true; root: ConfigMap; path: string } | { ok: false; reason: string };

export function readConfigFile(proc: ProcessInfo, written: string): ConfigRead {
  const path = absolutePath(proc.cwd, written);
  const file = fileContent(fileOf(proc, written), `etcd config file ${path}`);
  if (!file.ok) return file;
  // Maps keep order so that, as in Go's encoding/json, a later case-variant of a key wins.
  const read = readYaml(file.file.content, {
    schema: 'yaml-1.1',
    duplicateKeys: 'last-wins',
    maxAliases: MAX_ALIAS_COUNT,
    mapAsMap: true,
  });
  if (!read.ok) return { ok: false, reason: `etcd config file ${path} ${read.problem}` };
  const value = read.value;
  // An empty file is JSON null to etcd: every setting keeps its default.
  if (value === null) return { ok: true, root: new Map(), path };
  if (!(value instanceof Map))
    return { ok: false, reason: `etcd config file ${path} is not a YAML mapping (etcd would refuse it)` };
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

/** Settings from the YAML file, or why the whole file is unusable (etcd would refuse to start). */
export function settingsFromFile(root: ConfigMap, path: string): FileSettings | { problem: string } {
  const warnings: string[] = [];
  const sections: Record<string, ConfigMap | undefined> = {};
  for (const section of ['client-transport-security', 'peer-transport-security']) {
    const value = fieldOf(root, section);
    if (value !== undefined && value !== null && !(value instanceof Map))
      return { problem: `${path}: ${section} is not a mapping` };
    sections[section] = asMap(value);
  }

  const describe = (setting: StringSetting | BoolSetting) => FILE_PATHS[setting].join('.');
  const missing = (setting: StringSetting | BoolSetting, shown: string): Evidence => {
    const hint = misplacedKeyHint(root, sections, setting);
    return defaultEvidence(describe(setting), shown, `not set in ${path}${hint}`);
  };

  const strings = {} as FileSettings['strings'];
  for (const setting of STRING_SETTINGS) {
    const [section, key] = FILE_PATHS[setting];
    const value = fieldOf(sections[section], key);
    if (value === undefined || value === null || value === '')
      strings[setting] = known(undefined, missing(setting, '""'));
    else if (typeof value !== 'string') return { problem: `${path}: ${describe(setting)} must be a string` };
    else strings[setting] = known(value, { source: 'config-file', detail: `${path}: ${describe(setting)}=${value}` });
  }

  const bools = {} as FileSettings['bools'];
  for (const setting of BOOL_SETTINGS) {
    const [section, key] = FILE_PATHS[setting];
    const value = fieldOf(sections[section], key);
    if (value === undefined || value === null) bools[setting] = known(false, missing(setting, 'false'));
    // A quoted "true" is a JSON string to etcd, which then refuses to load a bool from it.
    else if (typeof value !== 'boolean')
      return { problem: `${path}: ${describe(setting)} must be a boolean, not ${JSON.stringify(value)}` };
    else bools[setting] = known(value, { source: 'config-file', detail: `${path}: ${describe(setting)}=${value}` });
  }

  const urls = {} as FileSettings['urls'];
  for (const setting of Object.keys(DEFAULTS) as UrlSetting[]) {
    const value = fieldOf(root, setting);
    if (value === undefined || value === null || value === '') {
      urls[setting] = known(
        [...DEFAULTS[setting]],
        defaultEvidence(setting, DEFAULTS[setting].join(',') || '(none)', `not set in ${path}`),
      );
    } else if (typeof value !== 'string') {
      return { problem: `${path}: ${setting} must be a comma-separated string` };
    } else {
      urls[setting] = known(splitUrls(value), { source: 'config-file', detail: `${path}: ${setting}=${value}` });
    }
  }
  const cluster = fieldOf(root, 'initial-cluster');
  if (cluster !== undefined && cluster !== null && typeof cluster !== 'string')
    return { problem: `${path}: initial-cluster must be a comma-separated string` };
  const discovery = DISCOVERY_SETTINGS.find((name) => {
    const v = fieldOf(root, name);
    return v !== undefined && v !== null && v !== '';
  });
  const initialCluster = initialClusterOf(
    typeof cluster === 'string' && cluster !== ''
      ? { text: cluster, evidence: { source: 'config-file', detail: `${path}: initial-cluster=${cluster}` } }
      : undefined,
    discovery === undefined ? undefined : `${discovery} in ${path}`,
    urls['initial-advertise-peer-urls'],
  );
  for (const key of root.keys()) {
    if (
      typeof key === 'string' &&
      (BOOL_SETTINGS as readonly string[]).concat(STRING_SETTINGS).includes(key.toLowerCase())
    ) {
      warnings.push(
        `${path}: top-level key "${key}" is ignored by etcd; TLS settings belong under client-transport-security or peer-transport-security`,
      );
    }
  }
  const peer = sections['peer-transport-security'];
  if (peer) {
    for (const key of peer.keys()) {
      if (typeof key === 'string' && key.toLowerCase().startsWith('peer-')) {
        warnings.push(
          `${path}: peer-transport-security.${key} is ignored by etcd (keys inside peer-transport-security have no "peer-" prefix)`,
        );
      }
    }
  }
  return { strings, bools, urls, initialCluster, warnings };
}

/** Names a key etcd silently ignores but the operator surely meant for `setting`. */
function misplacedKeyHint(
  root: ConfigMap,
  sections: Record<string, ConfigMap | undefined>,
  setting: StringSetting | BoolSetting,
): string {
  const [section, key] = FILE_PATHS[setting];
  const inSection = section === 'peer-transport-security' && fieldOf(sections[section], `peer-${key}`) !== undefined;
  if (inSection) return `; ${section}.peer-${key} is not an etcd key and is ignored`;
  if (fieldOf(root, setting) !== undefined) return `; top-level ${setting} is ignored in a config file`;
  return '';
}
