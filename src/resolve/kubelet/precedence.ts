// One kubelet setting through the layers, in the kubelet's order of precedence: flags given on the command
// line win, then the last drop-in that touches the key, then the `--config` file with its defaults, else the
// legacy defaults (kubernetes/kubernetes:cmd/kubelet/app/server.go kubeletConfigFlagPrecedence).
import path from 'node:path/posix';
import { lastOccurrence } from '../flags.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json-merge-patch.js';
import { absolutePath, defaultEvidence, known, unknown, type Known, type Resolved, type Unknown } from '../resolved.js';
import type { Layers } from './layers.js';
import { SETTINGS, type Setting, type SettingValue } from './settings.js';

/** A known value plus the directory its relative paths resolve against. */
type Found<T extends SettingValue> = (Known<T> & { baseDir: string }) | Unknown;

type Lookup =
  { kind: 'missing' } | { kind: 'value'; value: JsonValue } | { kind: 'blocked'; at: string; value: JsonValue };

/** The value at a dotted key; `null` counts as missing, as it does for Go's json.Unmarshal. */
function lookup(object: JsonObject, key: string): Lookup {
  const parts = key.split('.');
  let current: JsonValue = object;
  for (let i = 0; i < parts.length; i++) {
    if (!isJsonObject(current)) return { kind: 'blocked', at: parts.slice(0, i).join('.'), value: current };
    if (!Object.hasOwn(current, parts[i]!)) return { kind: 'missing' };
    const next: JsonValue | undefined = current[parts[i]!];
    // A JSON null is how a merge patch or a YAML `key:` with no value leaves a setting unset.
    if (next === undefined || next === null) return { kind: 'missing' };
    current = next;
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
  return unknown(
    `${file}: ${at} is ${show(value)}, not ${expected}; the kubelet would refuse to start with it, so ${setting.key} is not known`,
  );
}

export function resolveSetting<T extends SettingValue>(layers: Layers, setting: Setting<T>): Found<T> {
  // Flags given on the command line are applied last (kubeletConfigFlagPrecedence) and win.
  const flag = lastOccurrence(layers.flags, setting.flag);
  if (flag) {
    const value = setting.kind.fromFlag(flag);
    if (value === undefined)
      return unknown(`${flag.written}: not ${setting.kind.describe}; the kubelet would refuse to start with it`);
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
    return {
      ...known(value, {
        source: 'drop-in',
        detail: `${file.path} (drop-in): ${setting.key}=${show(found.kind === 'value' ? found.value : null)}`,
      }),
      baseDir: layers.cwd,
    };
  }
  return undefined;
}

/** The value before drop-ins and flags: the `--config` file with its defaults, or the legacy defaults. */
function fromBase<T extends SettingValue>(layers: Layers, setting: Setting<T>): Found<T> {
  const { config, configPath } = layers;
  if (configPath === undefined || config === undefined) {
    const evidence = defaultEvidence(setting.key, show(setting.legacyDefault), 'no --config given');
    return { ...known(setting.legacyDefault, evidence), baseDir: layers.cwd };
  }
  if (!config.ok) return unknown(`${config.reason}, so ${setting.key} is not known`);
  const found = lookup(config.object, setting.key);
  const value = found.kind === 'value' ? setting.kind.fromConfig(found.value) : undefined;
  if (found.kind !== 'missing' && value === undefined) return wrongType(config.path, setting, found);
  const unset = value === undefined || (setting.zeroIsUnset === true && (value === '' || value === 0));
  if (unset) {
    const evidence = defaultEvidence(setting.key, show(setting.fileDefault), `not set in --config ${configPath}`);
    return { ...known(setting.fileDefault, evidence), baseDir: path.dirname(configPath) };
  }
  // resolveRelativePaths: paths inside the --config file are relative to the file's directory.
  return {
    ...known(value, { source: 'config-file', detail: `${configPath}: ${setting.key}=${show(value)}` }),
    baseDir: path.dirname(configPath),
  };
}

export function publicValue<T extends SettingValue>(found: Found<T>): Resolved<T> {
  return found.known ? known(found.value, found.evidence) : found;
}

/** The x509 client CA file as an absolute path, undefined when unset (empty string). */
export function resolveClientCAFile(layers: Layers): Resolved<string | undefined> {
  const found = resolveSetting(layers, SETTINGS.clientCAFile);
  if (!found.known) return found;
  return known(found.value === '' ? undefined : absolutePath(found.baseDir, found.value), found.evidence);
}
