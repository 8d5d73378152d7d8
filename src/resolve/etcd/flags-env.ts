// etcd's settings from its command line and ETCD_* variables (Go's `flag` package; etcd-io/etcd:pkg/flags/flag.go
// SetFlagsFromEnv): the flag wins, then the variable, then etcd's default.
import type { ProcessInfo } from '../../collect/types.js';
import type { Evidence } from '../evidence.js';
import { boolFlag, lastOccurrence, parseGoBool, type ParsedFlags } from '../flags.js';
import { defaultEvidence, known, unknown, type Resolved } from '../resolved.js';
import {
  BOOL_SETTINGS,
  DEFAULTS,
  DISCOVERY_SETTINGS,
  STRING_SETTINGS,
  envName,
  initialClusterOf,
  splitUrls,
  type BoolSetting,
  type FileSettings,
  type StringSetting,
  type UrlSetting,
} from './settings.js';

interface ConfigFileChoice {
  /** As written (flag or env), before making it absolute. */
  path: string;
  evidence: Evidence;
}

/** The config file etcd uses, if any: `--config-file`, else `ETCD_CONFIG_FILE` (etcdmain `parse`). */
export function configFileOf(flags: ParsedFlags, env: Record<string, string>): ConfigFileChoice | undefined {
  const flag = lastOccurrence(flags, 'config-file');
  if (flag?.value) return { path: flag.value, evidence: { source: 'flag', detail: flag.written } };
  const fromEnv = env.ETCD_CONFIG_FILE;
  if (fromEnv) return { path: fromEnv, evidence: { source: 'env', detail: `env ETCD_CONFIG_FILE=${fromEnv}` } };
  return undefined;
}

interface FlagEnvContext {
  flags: ParsedFlags;
  env: Record<string, string>;
}

type RawValue = { text: string | undefined; evidence: Evidence } | undefined;

/** A flag's raw value: the command line wins, then `ETCD_*`, else undefined (default). */
function rawValue(ctx: FlagEnvContext, name: string): RawValue {
  const flag = lastOccurrence(ctx.flags, name);
  if (flag)
    return {
      text: flag.value,
      evidence: {
        source: 'flag',
        detail: flag.value === undefined ? `${flag.written} (bare flag: true)` : flag.written,
      },
    };
  const key = envName(name);
  const fromEnv = ctx.env[key];
  if (fromEnv) return { text: fromEnv, evidence: { source: 'env', detail: `env ${key}=${fromEnv}` } };
  return undefined;
}

function stringFromFlags(ctx: FlagEnvContext, name: StringSetting): Resolved<string | undefined> {
  const raw = rawValue(ctx, name);
  if (!raw || raw.text === undefined || raw.text === '') {
    return known(undefined, raw?.evidence ?? defaultEvidence(name));
  }
  return known(raw.text, raw.evidence);
}

function boolFromFlags(ctx: FlagEnvContext, name: BoolSetting): Resolved<boolean> {
  const flag = boolFlag(ctx.flags, name);
  if (flag && !flag.ok) return unknown(`${flag.problem}: etcd refuses to start with it`);
  const raw = rawValue(ctx, name);
  if (!raw) return known(false, defaultEvidence(name, 'false'));
  if (flag?.ok) return known(flag.value, raw.evidence);
  const value = parseGoBool(raw.text ?? '');
  return value === undefined
    ? unknown(`${raw.evidence.detail}: "${raw.text ?? ''}" is not a boolean; etcd refuses to start with it`)
    : known(value, raw.evidence);
}

function urlsFromFlags(ctx: FlagEnvContext, name: UrlSetting, listenClientSet: boolean): Resolved<string[]> {
  const raw = rawValue(ctx, name);
  if (raw && raw.text !== undefined && raw.text !== '') return known(splitUrls(raw.text), raw.evidence);
  // etcdmain drops the default advertise URL when only listen-client-urls is given (etcd then refuses to start).
  if (name === 'advertise-client-urls' && listenClientSet) {
    return known(
      [],
      defaultEvidence('advertise-client-urls', undefined, 'not set although listen-client-urls is (etcd requires it)'),
    );
  }
  return known([...DEFAULTS[name]], defaultEvidence(name, DEFAULTS[name].join(',') || '(none)'));
}

export function settingsFromFlags(proc: ProcessInfo, flags: ParsedFlags, warnings: string[]): FileSettings {
  const ctx: FlagEnvContext = { flags, env: proc.env };
  for (const o of flags.occurrences) {
    const key = envName(o.name);
    // pkg/flags verifyEnv: etcd 3.x exits when a variable shadows a flag given on the command line.
    if (key in proc.env)
      warnings.push(`--${o.name} and env ${key} are both set; the flag wins, but etcd 3.4+ refuses to start with both`);
  }
  const strings = Object.fromEntries(
    STRING_SETTINGS.map((s) => [s, stringFromFlags(ctx, s)]),
  ) as FileSettings['strings'];
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
