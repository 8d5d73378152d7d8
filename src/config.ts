// The operator's settings: the config file and the command-line flags, validated before any audit.
// Parsing and merging are pure (text and flag values in, settings out) so tests need no files;
// `loadConfig` is the one place that reads the config file and the release table.
import { isIP } from 'node:net';
import path from 'node:path';
import { COMPONENTS, type ComponentName } from './collect/types.js';
import { readOperatorFile } from './collect/files.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './log.js';
import { BUNDLED_RELEASES, parseReleaseTable, type ReleaseTable } from './resolve/release-table.js';
import { readYaml } from './formats/yaml.js';
import { PROBE_TIMEOUT_MAX_MS } from './collect/probes/plan.js';
import { MIN_INTERVAL_MS } from './server/audit-loop.js';
import { MIN_PUBLIC_DECLARED_PREFIX, parseCidr, publicAddressIn, unmapCidr } from './resolve/network.js';
import { CHECKS } from './checks/index.js';
import { SELECT_ALL, SELECTABLE_COMPONENTS, SELECTABLE_LEVELS, selectChecks, type Selection } from './checks/select.js';
import type { Waiver } from './report/waivers.js';

export const DEFAULT_CONFIG_PATH = '/etc/scs-node-audit/config.yaml';

/**
 * Default HTTP port. The Prometheus wiki "Default port allocations" has handed out every port of
 * 9100–9999 (new exporters now get ports from 10000 up), Kubernetes uses 6443, 2379–2381 (etcd),
 * 10248–10259 (kubelet, kube-proxy, controller manager, scheduler) and 30000–32767 (NodePorts),
 * and Linux hands out 32768–60999 as ephemeral ports. 20217 lies outside all of these and echoes
 * the standard's number (scs-0217). The daemon binds it on loopback unless told otherwise.
 */
export const DEFAULT_PORT = 20217;
export const DEFAULT_LISTEN = `127.0.0.1:${DEFAULT_PORT}`;

/** Config file and release table bounds, as for every file we read: regular file, ≤ 1 MiB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** A config file needs no aliases at all; a few are tolerated, a billion-laughs document is not. */
export const MAX_ALIAS_COUNT = 20;

/** Longer than a day is surely a typo; it also keeps setTimeout below its 2^31 ms limit. */
export const MAX_INTERVAL_MS = 24 * 60 * 60 * 1000;
/**
 * Default deadline of one daemon audit. A real node audits in well under a second (README,
 * Footprint); two minutes leaves room for a slow disk and still ends a stuck audit long before an
 * operator would wonder. The effective deadline is never longer than the interval.
 */
export const DEFAULT_AUDIT_TIMEOUT_MS = 2 * 60 * 1000;

export const FORMATS = ['text', 'json', 'junit', 'prometheus', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];
export const FAIL_ON = ['must', 'should', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];
/** `auto`: colour on a terminal unless NO_COLOR/TERM=dumb say otherwise (FORCE_COLOR turns it on). */
export const COLOR_MODES = ['auto', 'always', 'never'] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

/** Every setting, effective: defaults applied, config file merged, flags on top. */
export interface Settings {
  root: string;
  /** `<root>/proc` when not given. */
  proc: string;
  format: Format;
  /** Write the report here instead of stdout (`--once` only). */
  output: string | null;
  failOn: FailOn;
  listen: string;
  intervalMs: number;
  /** Deadline of one daemon audit (`auditTimeout`, at most the interval); `--once` has none. */
  auditTimeoutMs: number;
  log: { level: LogLevel; format: LogFormat };
  web: { configFile: string | null };
  probes: {
    enabled: boolean;
    timeoutMs: number;
    etcd: { certFile: string | null; keyFile: string | null; caFile: string | null };
  };
  network: { internalCIDRs: string[]; publicCIDRsDeclaredInternal: string[] };
  authentication: { strict: boolean };
  releases: { file: string | null; url: string | null };
  /** Text report: colour, and whether `skip` rows are shown (`--once` only). */
  color: ColorMode;
  hideSkipped: boolean;
  /** Components `--once` demands; a missing one fails the run (`--expect`). */
  expect: ComponentName[];
  /** `waivers` of the config file followed by those of `waiversFile`. */
  waivers: Waiver[];
  waiversFile: string | null;
  selection: Selection;
}

/** What an audit needs: the settings plus the release table they select (bundled or `releases.file`). */
export interface AuditConfig extends Settings {
  releaseTable: ReleaseTable;
}

/** The config file as written: every key optional, every present key already validated. */
export interface ConfigFile {
  root?: string;
  proc?: string;
  format?: Format;
  output?: string;
  failOn?: FailOn;
  listen?: string;
  interval?: string;
  auditTimeout?: string;
  log?: { level?: LogLevel; format?: LogFormat };
  web?: { configFile?: string };
  probes?: { enabled?: boolean; timeoutMs?: number; etcd?: { certFile?: string; keyFile?: string; caFile?: string } };
  network?: { internalCIDRs?: string[]; publicCIDRsDeclaredInternal?: string[] };
  authentication?: { strict?: boolean };
  releases?: { file?: string; url?: string };
  color?: ColorMode;
  hideSkipped?: boolean;
  expect?: ComponentName[];
  waivers?: Waiver[];
  waiversFile?: string;
  selection?: {
    checks?: string[];
    skip?: string[];
    levels?: NonNullable<Selection['levels']>;
    components?: NonNullable<Selection['components']>;
  };
}

/** Flag values as `node:util` parseArgs returns them (strings and booleans, all optional). */
export interface FlagValues {
  root?: string;
  proc?: string;
  format?: string;
  output?: string;
  'fail-on'?: string;
  'no-probes'?: boolean;
  listen?: string;
  /** node_exporter's name for `--listen`; parseCommandLine folds it into `listen` and names it in errors. */
  'web.listen-address'?: string;
  color?: string;
  'hide-skipped'?: boolean;
  expect?: string;
  'web.config.file'?: string;
  interval?: string;
  'log.level'?: string;
  'log.format'?: string;
  check?: string;
  skip?: string;
  level?: string;
  component?: string;
}

export type ConfigErrorCode =
  | 'CONFIG_READ'
  | 'CONFIG_PARSE'
  | 'CONFIG_UNKNOWN_KEY'
  | 'CONFIG_TYPE'
  | 'CONFIG_VALUE'
  | 'CONFIG_RELEASES'
  | 'CONFIG_WAIVER'
  | 'USAGE_VALUE';

/** A config or flag problem: `key` is the key path (`network.internalCIDRs[2]`) or the flag (`--format`). */
export interface ConfigError extends Error {
  code: ConfigErrorCode;
  key: string;
}

export function configError(code: ConfigErrorCode, key: string, message: string): ConfigError {
  return Object.assign(new Error(message), { code, key });
}

export function isConfigError(error: unknown): error is ConfigError {
  return (
    error instanceof Error &&
    typeof (error as Partial<ConfigError>).code === 'string' &&
    /^(CONFIG|USAGE)_/.test((error as ConfigError).code)
  );
}

// ---- values ---------------------------------------------------------------------------------

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go `time.ParseDuration` syntax (`60s`, `5m`, `1m30s`, `1.5h`), in milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h)/g))
    total += Number(amount) * DURATION_UNITS_MS[unit!]!;
  return total;
}

/** Why `text` is not a CIDR, or undefined when it is one (`10.0.0.0/8`, `fd00::/8`). */
export function cidrProblem(text: string): string | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return 'needs a prefix length, e.g. 10.0.0.0/8';
  const family = isIP(text.slice(0, slash));
  if (family === 0) return `"${text.slice(0, slash)}" is not an IP address`;
  const prefix = text.slice(slash + 1);
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `prefix length must be 0–${max}`;
  return undefined;
}

/** Why `text` is not `ADDR:PORT`, or undefined (`127.0.0.1:20217`, `[::1]:20217`, `localhost:20217`, `:20217` for every interface). */
export function listenProblem(text: string): string | undefined {
  const match = /^(\[([^\]]*)\]|[^:[\]]*):(\d{1,5})$/.exec(text);
  if (!match) return 'must be ADDR:PORT, e.g. 127.0.0.1:20217 or [::1]:20217';
  const [, host, bracketed, port] = match;
  // Port 0 (the kernel picks a free one) is for tests; it is never a useful default.
  if (Number(port) > 65535) return 'port must be 0–65535';
  if (bracketed !== undefined) return isIP(bracketed) === 6 ? undefined : `"${bracketed}" is not an IPv6 address`;
  if (host === '' || isIP(host!) === 4) return undefined;
  return /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(host!)
    ? undefined
    : `"${host!}" is not an address or host name`;
}

// ---- the config file schema -------------------------------------------------------------------

/** One node of the config file's schema; scripts/gen-schemas.ts turns the tree into JSON Schema. */
export type Rule =
  | { kind: 'string' }
  | { kind: 'path' }
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'duration'; minMs?: number }
  | { kind: 'listen' }
  /** `internal`: only non-public ranges; `public`: any range an operator can own (see MIN_PUBLIC_DECLARED_PREFIX). */
  | { kind: 'cidrs'; scope: 'internal' | 'public' }
  | { kind: 'url' }
  | { kind: 'checkIds' }
  | { kind: 'enumList'; values: readonly string[] }
  | { kind: 'waivers' }
  | { kind: 'object'; keys: Record<string, Rule> };

const PATH_RULE: Rule = { kind: 'path' };
export const SCHEMA: Rule = {
  kind: 'object',
  keys: {
    root: PATH_RULE,
    proc: PATH_RULE,
    format: { kind: 'enum', values: FORMATS },
    output: PATH_RULE,
    failOn: { kind: 'enum', values: FAIL_ON },
    listen: { kind: 'listen' },
    interval: { kind: 'duration' },
    // Any positive deadline: a tiny one only makes every audit fail, loudly.
    auditTimeout: { kind: 'duration', minMs: 1 },
    log: {
      kind: 'object',
      keys: { level: { kind: 'enum', values: LOG_LEVELS }, format: { kind: 'enum', values: LOG_FORMATS } },
    },
    web: { kind: 'object', keys: { configFile: PATH_RULE } },
    probes: {
      kind: 'object',
      keys: {
        enabled: { kind: 'boolean' },
        // Each probe is bounded anyway, so a larger value would be a setting that does nothing.
        timeoutMs: { kind: 'integer', min: 1, max: PROBE_TIMEOUT_MAX_MS },
        etcd: { kind: 'object', keys: { certFile: PATH_RULE, keyFile: PATH_RULE, caFile: PATH_RULE } },
      },
    },
    // A public range declared internal turns a public plain-HTTP port into a pass, so it needs
    // its own, loudly named key; internalCIDRs refuses it (issue 11).
    network: {
      kind: 'object',
      keys: {
        internalCIDRs: { kind: 'cidrs', scope: 'internal' },
        publicCIDRsDeclaredInternal: { kind: 'cidrs', scope: 'public' },
      },
    },
    authentication: { kind: 'object', keys: { strict: { kind: 'boolean' } } },
    releases: { kind: 'object', keys: { file: PATH_RULE, url: { kind: 'url' } } },
    color: { kind: 'enum', values: COLOR_MODES },
    hideSkipped: { kind: 'boolean' },
    expect: { kind: 'enumList', values: COMPONENTS },
    waivers: { kind: 'waivers' },
    waiversFile: PATH_RULE,
    selection: {
      kind: 'object',
      keys: {
        checks: { kind: 'checkIds' },
        skip: { kind: 'checkIds' },
        levels: { kind: 'enumList', values: SELECTABLE_LEVELS },
        components: { kind: 'enumList', values: SELECTABLE_COMPONENTS },
      },
    },
  },
};

/** Every check id the registry knows: waivers and selections may name only these. */
export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);
export const WAIVER_KEYS = ['check', 'reason', 'owner', 'expires', 'component'] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Why `text` is not a calendar date `YYYY-MM-DD` (2027-02-30 is not one), or undefined. */
export function dateProblem(text: string): string | undefined {
  const m = DATE.exec(text);
  if (!m) return `"${text}" is not a date YYYY-MM-DD`;
  const date = new Date(`${text}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text)
    return `"${text}" is not a calendar date`;
  return undefined;
}

/** Why `text` is not an http(s) URL we can fetch, or undefined. */
export function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `"${text}" must be an http:// or https:// URL`;
  // Credentials in the URL would end up in logs and notes.
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  return undefined;
}

/** The documented keys, as dotted paths (README and `--help` list them; a test keeps them in step). */
export function configKeys(rule: Rule = SCHEMA, prefix = ''): string[] {
  if (rule.kind !== 'object') return [prefix];
  return Object.entries(rule.keys).flatMap(([key, child]) => configKeys(child, prefix ? `${prefix}.${key}` : key));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a timestamp';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects, lists and null returned above; a number or boolean prints as itself
  return `${typeof value} ${String(value)}`;
}

function validate(value: unknown, rule: Rule, key: string, origin: string): void {
  const fail = (code: ConfigErrorCode, problem: string) => {
    throw configError(code, key, `${origin}: ${key}: ${problem}`);
  };
  const wrongType = (expected: string) => fail('CONFIG_TYPE', `must be ${expected}, got ${describe(value)}`);
  switch (rule.kind) {
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date)
        return wrongType('a mapping');
      for (const [child, childValue] of Object.entries(value)) {
        const childKey = key ? `${key}.${child}` : child;
        // Own keys only: `toString` or `constructor` would otherwise find Object.prototype's.
        const childRule = Object.hasOwn(rule.keys, child) ? rule.keys[child] : undefined;
        if (!childRule) {
          throw configError(
            'CONFIG_UNKNOWN_KEY',
            childKey,
            `${origin}: ${childKey}: unknown key (known here: ${Object.keys(rule.keys).join(', ')})`,
          );
        }
        validate(childValue, childRule, childKey, origin);
      }
      return;
    }
    case 'string':
    case 'path':
      if (typeof value !== 'string') return wrongType('a string');
      if (value === '') return fail('CONFIG_VALUE', 'must not be empty');
      if (value.includes('\0')) return fail('CONFIG_VALUE', 'must not contain a NUL byte');
      // Relative to what? The daemon's cwd is an accident; say what is meant.
      if (rule.kind === 'path' && !path.isAbsolute(value))
        return fail('CONFIG_VALUE', `"${value}" must be an absolute path`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') return wrongType('true or false');
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType('an integer');
      if (value < rule.min || value > rule.max)
        return fail('CONFIG_VALUE', `${value} is out of range ${rule.min}–${rule.max}`);
      return;
    case 'enum':
      if (typeof value !== 'string') return wrongType(`one of ${rule.values.join(', ')}`);
      if (!rule.values.includes(value))
        return fail('CONFIG_VALUE', `"${value}" is not one of ${rule.values.join(', ')}`);
      return;
    case 'duration': {
      if (typeof value !== 'string') return wrongType('a duration string such as "60s" or "5m"');
      const problem = durationProblem(value, rule.minMs);
      if (problem) return fail('CONFIG_VALUE', problem);
      return;
    }
    case 'listen': {
      if (typeof value !== 'string') return wrongType('a string ADDR:PORT');
      const problem = listenProblem(value);
      if (problem) return fail('CONFIG_VALUE', `"${value}" ${problem}`);
      return;
    }
    case 'url': {
      if (typeof value !== 'string') return wrongType('a URL string');
      const problem = urlProblem(value);
      if (problem) return fail('CONFIG_VALUE', problem);
      return;
    }
    case 'checkIds':
    case 'enumList': {
      const allowed = rule.kind === 'checkIds' ? CHECK_IDS : rule.values;
      const what = rule.kind === 'checkIds' ? 'check id' : 'value';
      if (!Array.isArray(value)) return wrongType(`a list of ${what}s`);
      if (value.length === 0) return fail('CONFIG_VALUE', 'must not be an empty list (leave the key out instead)');
      value.forEach((item: unknown, index) => {
        const itemKey = `${key}[${index}]`;
        if (typeof item !== 'string' || !allowed.includes(item)) {
          const shown = typeof item === 'string' ? `"${item}"` : describe(item);
          throw configError(
            'CONFIG_VALUE',
            itemKey,
            `${origin}: ${itemKey}: ${shown} is not a known ${what} (known: ${allowed.join(', ')})`,
          );
        }
      });
      return;
    }
    case 'waivers':
      validateWaivers(value, key, origin);
      return;
    case 'cidrs': {
      if (!Array.isArray(value)) return wrongType('a list of CIDRs');
      value.forEach((item: unknown, index) => {
        const itemKey = `${key}[${index}]`;
        if (typeof item !== 'string')
          throw configError(
            'CONFIG_TYPE',
            itemKey,
            `${origin}: ${itemKey}: must be a CIDR string, got ${describe(item)}`,
          );
        const problem = cidrProblem(item);
        if (problem)
          throw configError('CONFIG_VALUE', itemKey, `${origin}: ${itemKey}: "${item}" is not a CIDR (${problem})`);
        const scopeProblem = cidrScopeProblem(item, rule.scope);
        if (scopeProblem)
          throw configError('CONFIG_VALUE', itemKey, `${origin}: ${itemKey}: "${item}" ${scopeProblem}`);
      });
      return;
    }
  }
}

/** Why a valid CIDR may not stand under its key: a public range in internalCIDRs, or the Internet itself in either. */
export function cidrScopeProblem(text: string, scope: 'internal' | 'public'): string | undefined {
  const parsed = parseCidr(text);
  if (parsed === undefined) return 'is not a CIDR';
  const cidr = unmapCidr(parsed);
  const publicAddress = publicAddressIn(cidr);
  if (publicAddress === undefined) return undefined;
  if (scope === 'internal') {
    return `covers public addresses (e.g. ${publicAddress}); internalCIDRs takes only private (RFC 1918, RFC 6598 100.64.0.0/10, RFC 4193 fc00::/7), loopback and link-local ranges. A public range firewalled from the Internet goes under network.publicCIDRsDeclaredInternal`;
  }
  const minimum = MIN_PUBLIC_DECLARED_PREFIX[cidr.network.family];
  if (cidr.prefixLength < minimum)
    return `is shorter than /${minimum}: it declares a good part of the Internet internal`;
  return undefined;
}

/**
 * `waivers:` — a list of {check, reason, owner, expires, component?}. Every problem is a config
 * error naming the entry's key path: an unknown check id, a date that is no calendar date, an
 * empty reason or owner, a component that is not the check's, the same check waived twice.
 */
function validateWaivers(value: unknown, key: string, origin: string): void {
  const fail = (at: string, problem: string): never => {
    throw configError('CONFIG_WAIVER', at, `${origin}: ${at}: ${problem}`);
  };
  if (!Array.isArray(value)) return fail(key, `must be a list of waivers, got ${describe(value)}`);
  const seen = new Set<string>();
  value.forEach((entry: unknown, index) => {
    const at = `${key}[${index}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      return fail(at, `must be a mapping with check, reason, owner and expires, got ${describe(entry)}`);
    const waiver = entry as Record<string, unknown>;
    for (const field of Object.keys(waiver)) {
      if (!(WAIVER_KEYS as readonly string[]).includes(field))
        fail(`${at}.${field}`, `unknown key (known here: ${WAIVER_KEYS.join(', ')})`);
    }
    const text = (field: string): string => {
      const v = waiver[field];
      if (v === undefined) return fail(`${at}.${field}`, 'is required');
      if (typeof v !== 'string') return fail(`${at}.${field}`, `must be a string, got ${describe(v)}`);
      if (v.trim() === '') return fail(`${at}.${field}`, 'must not be empty');
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      if (/[\u0000-\u001f\u007f]/.test(v) && field !== 'reason')
        return fail(`${at}.${field}`, 'must not contain control characters');
      return v;
    };
    const check = text('check');
    const definition = CHECKS.find((c) => c.id === check);
    if (!definition) fail(`${at}.check`, `"${check}" is not a known check id (known: ${CHECK_IDS.join(', ')})`);
    if (seen.has(check)) fail(`${at}.check`, `"${check}" is waived twice; keep one entry per check`);
    seen.add(check);
    text('reason');
    text('owner');
    const problem = dateProblem(text('expires'));
    if (problem) fail(`${at}.expires`, problem);
    if (waiver.component !== undefined && waiver.component !== definition!.component) {
      fail(
        `${at}.component`,
        `${check} is a check of component "${definition!.component}", not ${describe(waiver.component)}`,
      );
    }
  });
}

function durationProblem(text: string, minMs = MIN_INTERVAL_MS): string | undefined {
  const ms = parseDuration(text);
  if (ms === undefined) return `"${text}" is not a duration (use Go syntax: 30s, 5m, 1h30m)`;
  if (ms < minMs) return `"${text}" is shorter than the minimum ${minMs === MIN_INTERVAL_MS ? '5s' : `${minMs}ms`}`;
  if (ms > MAX_INTERVAL_MS) return `"${text}" is longer than the maximum 24h`;
  return undefined;
}

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

// ---- flags over file over defaults ------------------------------------------------------------

function flagValue<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw configError('USAGE_VALUE', flag, `${flag}: "${value}" is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function flagPath(flag: string, value: string | undefined, cwd: string): string | undefined {
  if (value === undefined) return undefined;
  if (value === '' || value.includes('\0')) throw configError('USAGE_VALUE', flag, `${flag}: needs a non-empty path`);
  return path.resolve(cwd, value);
}

/** A comma-separated flag value (`--check a,b`) as a list; an empty item is a usage error. */
function flagList<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  what: string,
): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((item) => item.trim());
  for (const item of items) {
    if (item === '') throw configError('USAGE_VALUE', flag, `${flag}: "${value}" has an empty item (use ID[,ID…])`);
    if (!(allowed as readonly string[]).includes(item))
      throw configError(
        'USAGE_VALUE',
        flag,
        `${flag}: "${item}" is not a known ${what} (known: ${allowed.join(', ')})`,
      );
  }
  return [...new Set(items)] as T[];
}

/** `--check`, `--skip`, `--level`, `--component` over `selection.*`; each flag replaces its key. */
function mergeSelection(file: ConfigFile['selection'], flags: FlagValues): Selection {
  const selection: Selection = {
    checks: flagList('--check', flags.check, CHECK_IDS, 'check id') ?? file?.checks ?? SELECT_ALL.checks,
    skip: flagList('--skip', flags.skip, CHECK_IDS, 'check id') ?? file?.skip ?? SELECT_ALL.skip,
    levels: flagList('--level', flags.level, SELECTABLE_LEVELS, 'level') ?? file?.levels ?? SELECT_ALL.levels,
    components:
      flagList('--component', flags.component, SELECTABLE_COMPONENTS, 'component') ??
      file?.components ??
      SELECT_ALL.components,
  };
  if (selectChecks(CHECKS, selection).length === 0) {
    throw configError(
      'USAGE_VALUE',
      'selection',
      'check selection (--check/--skip/--level/--component or selection.*) selects no check at all',
    );
  }
  return selection;
}

/**
 * The effective settings: a flag wins over the config file, the file over the default.
 * `cwd` resolves relative paths given on the command line (a config file must use absolute ones).
 */
export function mergeFlags(file: ConfigFile, flags: FlagValues, cwd: string): Settings {
  const format = flagValue('--format', flags.format, FORMATS);
  const failOn = flagValue('--fail-on', flags['fail-on'], FAIL_ON);
  const logLevel = flagValue('--log.level', flags['log.level'], LOG_LEVELS);
  const logFormat = flagValue('--log.format', flags['log.format'], LOG_FORMATS);
  const color = flagValue('--color', flags.color, COLOR_MODES);
  // flagValue returns undefined only for an undefined input, which a split never yields.
  const expect =
    flags.expect === undefined
      ? undefined
      : flags.expect.split(',').map((name) => flagValue('--expect', name.trim(), COMPONENTS)!);
  if (flags.listen !== undefined) {
    const problem = listenProblem(flags.listen);
    const flag = flags['web.listen-address'] !== undefined ? '--web.listen-address' : '--listen';
    if (problem) throw configError('USAGE_VALUE', flag, `${flag}: "${flags.listen}" ${problem}`);
  }
  if (flags.interval !== undefined) {
    const problem = durationProblem(flags.interval);
    if (problem) throw configError('USAGE_VALUE', '--interval', `--interval: ${problem}`);
  }
  const interval = flags.interval ?? file.interval ?? '60s';
  const root = flagPath('--root', flags.root, cwd) ?? file.root ?? '/';
  // `--root` given on the command line moves the default proc with it, even if the file names a proc.
  const proc =
    flagPath('--proc', flags.proc, cwd) ??
    (flags.root === undefined ? file.proc : undefined) ??
    path.join(root, 'proc');
  return {
    root,
    proc,
    format: format ?? file.format ?? 'text',
    output: flagPath('--output', flags.output, cwd) ?? file.output ?? null,
    failOn: failOn ?? file.failOn ?? 'must',
    listen: flags.listen ?? file.listen ?? DEFAULT_LISTEN,
    intervalMs: parseDuration(interval)!,
    auditTimeoutMs: Math.min(
      file.auditTimeout === undefined ? DEFAULT_AUDIT_TIMEOUT_MS : parseDuration(file.auditTimeout)!,
      parseDuration(interval)!,
    ),
    log: { level: logLevel ?? file.log?.level ?? 'info', format: logFormat ?? file.log?.format ?? 'logfmt' },
    web: { configFile: flagPath('--web.config.file', flags['web.config.file'], cwd) ?? file.web?.configFile ?? null },
    probes: {
      enabled: flags['no-probes'] === true ? false : (file.probes?.enabled ?? true),
      timeoutMs: file.probes?.timeoutMs ?? 1000,
      etcd: {
        certFile: file.probes?.etcd?.certFile ?? null,
        keyFile: file.probes?.etcd?.keyFile ?? null,
        caFile: file.probes?.etcd?.caFile ?? null,
      },
    },
    network: {
      internalCIDRs: [...(file.network?.internalCIDRs ?? [])],
      publicCIDRsDeclaredInternal: [...(file.network?.publicCIDRsDeclaredInternal ?? [])],
    },
    authentication: { strict: file.authentication?.strict ?? false },
    releases: { file: file.releases?.file ?? null, url: file.releases?.url ?? null },
    color: color ?? file.color ?? 'auto',
    hideSkipped: flags['hide-skipped'] === true || (file.hideSkipped ?? false),
    expect: [...new Set(expect ?? file.expect ?? [])],
    waivers: [...(file.waivers ?? [])],
    waiversFile: file.waiversFile ?? null,
    selection: mergeSelection(file.selection, flags),
  };
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
