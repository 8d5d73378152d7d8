// Reading the config: parsing a config or waivers file's text (pure), and `loadConfig`, the one
// place that reads the config file, the waivers file and the release table.
import path from 'node:path';
import { readOperatorFile } from '../collect/files.js';
import { BUNDLED_RELEASES, parseReleaseTable, type ReleaseTable } from '../resolve/release-table.js';
import { readYaml } from '../formats/yaml.js';
import type { Waiver } from '../report/waivers.js';
import {
  configError,
  DEFAULT_CONFIG_PATH,
  MAX_ALIAS_COUNT,
  MAX_CONFIG_BYTES,
  type AuditConfig,
  type ConfigFile,
  type FlagValues,
} from './settings.js';
import { describe } from './values.js';
import { SCHEMA, validate, validateWaivers } from './schema.js';
import { mergeFlags } from './merge.js';

/**
 * Parse and validate a config file's text. YAML 1.1 as everywhere in this tool, so `enabled: no`
 * is a boolean as it would be for Kubernetes; an empty file is an empty config.
 */
export function parseConfig(text: string, origin: string): ConfigFile {
  const read = readYaml(text, { schema: 'yaml-1.1', duplicateKeys: 'refuse', maxAliases: MAX_ALIAS_COUNT });
  if (!read.ok) throw configError('CONFIG_PARSE', '', `${origin} ${read.problem}`);
  const value = read.value;
  if (value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && 'waivers' in value) {
    // YAML 1.1 turns an unquoted 2027-02-30 into 2 March 2027 without a word. Waivers are our own
    // format: read them with the core schema, where every date stays the text the operator wrote.
    (value as Record<string, unknown>).waivers = waiversAsText(text, origin, 'waivers');
  }
  validate(value, SCHEMA, '', origin);
  return value as ConfigFile;
}

function waiversAsText(text: string, origin: string, key: string): unknown {
  const read = readYaml(text, { schema: 'core', duplicateKeys: 'refuse', maxAliases: MAX_ALIAS_COUNT });
  if (!read.ok) throw configError('CONFIG_PARSE', key, `${origin} ${read.problem}`);
  return (read.value as Record<string, unknown> | null)?.[key];
}

/**
 * A waivers file (`waiversFile`): a mapping with one key, `waivers`, in the shape of the config
 * key, so that config management can own it apart from the rest of the config.
 */
export function parseWaiversFile(text: string, origin: string): Waiver[] {
  const read = readYaml(text, { schema: 'core', duplicateKeys: 'refuse', maxAliases: MAX_ALIAS_COUNT });
  if (!read.ok) throw configError('CONFIG_PARSE', 'waiversFile', `${origin} ${read.problem}`);
  if (read.value === null) return [];
  const doc = read.value;
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw configError(
      'CONFIG_TYPE',
      'waiversFile',
      `${origin}: must be a mapping with the key "waivers", got ${describe(doc)}`,
    );
  for (const key of Object.keys(doc)) {
    if (key !== 'waivers')
      throw configError(
        'CONFIG_UNKNOWN_KEY',
        key,
        `${origin}: ${key}: unknown key (a waivers file holds only "waivers")`,
      );
  }
  const waivers = (doc as Record<string, unknown>).waivers ?? [];
  validateWaivers(waivers, 'waivers', origin);
  return waivers as Waiver[];
}

// ---- I/O: the config file and the release table -----------------------------------------------

export interface LoadOptions {
  /** `--config`, when given: then the file must exist. */
  configPath?: string;
  flags: FlagValues;
  cwd: string;
}

/** The whole configuration of a run: file (if any) + flags + the release table it names. Throws ConfigError. */
export function loadConfig(options: LoadOptions): AuditConfig {
  const named = options.configPath !== undefined;
  const configPath = named ? path.resolve(options.cwd, options.configPath!) : DEFAULT_CONFIG_PATH;
  const key = named ? '--config' : 'config';
  let file: ConfigFile = {};
  // `--config /dev/null` is the usual way to say "no config file" (as with ssh -F); it is no regular file.
  if (configPath !== '/dev/null') {
    const read = readOperatorFile(configPath, MAX_CONFIG_BYTES);
    if (read.ok) file = parseConfig(read.text, configPath);
    else if (named || !read.missing)
      throw configError('CONFIG_READ', key, `${configPath}: cannot read config file: ${read.reason}`);
  }

  const settings = mergeFlags(file, options.flags, options.cwd);
  const waivers = [...settings.waivers, ...loadWaiversFile(settings.waiversFile)];
  const twice = waivers.find((w, i) => waivers.findIndex((o) => o.check === w.check) !== i);
  if (twice)
    throw configError(
      'CONFIG_WAIVER',
      'waiversFile',
      `waiversFile: ${settings.waiversFile!}: ${twice.check} is waived both here and in the config file; keep one entry per check`,
    );
  return { ...settings, waivers, releaseTable: loadReleaseTable(settings.releases.file, settings.releases.url) };
}

/** The waivers of `waiversFile`, read like the config file itself (regular file, ≤ 1 MiB, UTF-8). */
function loadWaiversFile(file: string | null): Waiver[] {
  if (file === null) return [];
  const read = readOperatorFile(file, MAX_CONFIG_BYTES);
  if (!read.ok)
    throw configError('CONFIG_READ', 'waiversFile', `waiversFile: ${file}: cannot read waivers file: ${read.reason}`);
  return parseWaiversFile(read.text, file);
}

function loadReleaseTable(file: string | null, url: string | null): ReleaseTable {
  if (file === null) {
    if (url !== null)
      throw configError(
        'CONFIG_RELEASES',
        'releases.url',
        'releases.url: needs releases.file, the file where the fetched release table is kept',
      );
    return BUNDLED_RELEASES;
  }
  const read = readOperatorFile(file, MAX_CONFIG_BYTES);
  // With releases.url the file is our cache: before the first fetch it does not exist yet.
  if (!read.ok && read.missing && url !== null) return BUNDLED_RELEASES;
  if (!read.ok)
    throw configError(
      'CONFIG_RELEASES',
      'releases.file',
      `releases.file: ${file}: cannot read release table: ${read.reason}`,
    );
  try {
    return parseReleaseTable(read.text, file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw configError(
      'CONFIG_RELEASES',
      'releases.file',
      `releases.file: ${message.includes(file) ? message : `${file}: ${message}`}`,
    );
  }
}

/** Settings with built-in defaults only: for tests and for callers without a config file. */
export function defaultConfig(): AuditConfig {
  return { ...mergeFlags({}, {}, '/'), releaseTable: BUNDLED_RELEASES };
}
