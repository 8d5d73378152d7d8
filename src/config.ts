// The operator's settings: the config file and the command-line flags, validated before any audit.
// Parsing and merging are pure (text and flag values in, settings out) so tests need no files;
// `loadConfig` is the one place that reads the config file and the release table.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './log.js';
import { BUNDLED_RELEASES, parseReleaseTable, type ReleaseTable } from './resolve/versions.js';
import { readYaml } from './resolve/yaml.js';
import { PROBE_TIMEOUT_MAX_MS } from './resolve/probe-plan.js';

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

export const MIN_INTERVAL_MS = 5_000;
/** Longer than a day is surely a typo; it also keeps setTimeout below its 2^31 ms limit. */
export const MAX_INTERVAL_MS = 24 * 60 * 60 * 1000;
/**
 * Default deadline of one daemon audit. A real node audits in well under a second (README,
 * Footprint); two minutes leaves room for a slow disk and still ends a stuck audit long before an
 * operator would wonder. The effective deadline is never longer than the interval.
 */
export const DEFAULT_AUDIT_TIMEOUT_MS = 2 * 60 * 1000;

export const FORMATS = ['text', 'json', 'junit', 'prometheus'] as const;
export type Format = (typeof FORMATS)[number];
export const FAIL_ON = ['must', 'should', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

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
  network: { internalCIDRs: string[] };
  authentication: { strict: boolean };
  releases: { file: string | null };
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
  network?: { internalCIDRs?: string[] };
  authentication?: { strict?: boolean };
  releases?: { file?: string };
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
  'web.config.file'?: string;
  interval?: string;
  'log.level'?: string;
  'log.format'?: string;
}

export type ConfigErrorCode =
  | 'CONFIG_READ'
  | 'CONFIG_PARSE'
  | 'CONFIG_UNKNOWN_KEY'
  | 'CONFIG_TYPE'
  | 'CONFIG_VALUE'
  | 'CONFIG_RELEASES'
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
  return error instanceof Error && typeof (error as Partial<ConfigError>).code === 'string' && /^(CONFIG|USAGE)_/.test((error as ConfigError).code);
}

// ---- values ---------------------------------------------------------------------------------

const DURATION_UNITS_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go `time.ParseDuration` syntax (`60s`, `5m`, `1m30s`, `1.5h`), in milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(amount) * DURATION_UNITS_MS[unit!]!;
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
  return /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(host!) ? undefined : `"${host}" is not an address or host name`;
}

// ---- the config file schema -------------------------------------------------------------------

type Rule =
  | { kind: 'string' }
  | { kind: 'path' }
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'duration'; minMs?: number }
  | { kind: 'listen' }
  | { kind: 'cidrs' }
  | { kind: 'object'; keys: Record<string, Rule> };

const PATH_RULE: Rule = { kind: 'path' };
const SCHEMA: Rule = {
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
    log: { kind: 'object', keys: { level: { kind: 'enum', values: LOG_LEVELS }, format: { kind: 'enum', values: LOG_FORMATS } } },
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
    network: { kind: 'object', keys: { internalCIDRs: { kind: 'cidrs' } } },
    authentication: { kind: 'object', keys: { strict: { kind: 'boolean' } } },
    releases: { kind: 'object', keys: { file: PATH_RULE } },
  },
};

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
  return `${typeof value} ${String(value)}`;
}

function validate(value: unknown, rule: Rule, key: string, origin: string): void {
  const fail = (code: ConfigErrorCode, problem: string) => {
    throw configError(code, key, `${origin}: ${key}: ${problem}`);
  };
  const wrongType = (expected: string) => fail('CONFIG_TYPE', `must be ${expected}, got ${describe(value)}`);
  switch (rule.kind) {
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return wrongType('a mapping');
      for (const [child, childValue] of Object.entries(value)) {
        const childKey = key ? `${key}.${child}` : child;
        const childRule = rule.keys[child];
        if (!childRule) {
          throw configError('CONFIG_UNKNOWN_KEY', childKey, `${origin}: ${childKey}: unknown key (known here: ${Object.keys(rule.keys).join(', ')})`);
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
      if (rule.kind === 'path' && !path.isAbsolute(value)) return fail('CONFIG_VALUE', `"${value}" must be an absolute path`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') return wrongType('true or false');
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType('an integer');
      if (value < rule.min || value > rule.max) return fail('CONFIG_VALUE', `${value} is out of range ${rule.min}–${rule.max}`);
      return;
    case 'enum':
      if (typeof value !== 'string') return wrongType(`one of ${rule.values.join(', ')}`);
      if (!rule.values.includes(value)) return fail('CONFIG_VALUE', `"${value}" is not one of ${rule.values.join(', ')}`);
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
    case 'cidrs': {
      if (!Array.isArray(value)) return wrongType('a list of CIDRs');
      value.forEach((item: unknown, index) => {
        const itemKey = `${key}[${index}]`;
        if (typeof item !== 'string') throw configError('CONFIG_TYPE', itemKey, `${origin}: ${itemKey}: must be a CIDR string, got ${describe(item)}`);
        const problem = cidrProblem(item);
        if (problem) throw configError('CONFIG_VALUE', itemKey, `${origin}: ${itemKey}: "${item}" is not a CIDR (${problem})`);
      });
      return;
    }
  }
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
  validate(value, SCHEMA, '', origin);
  return value as ConfigFile;
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

/**
 * The effective settings: a flag wins over the config file, the file over the default.
 * `cwd` resolves relative paths given on the command line (a config file must use absolute ones).
 */
export function mergeFlags(file: ConfigFile, flags: FlagValues, cwd: string): Settings {
  const format = flagValue('--format', flags.format, FORMATS);
  const failOn = flagValue('--fail-on', flags['fail-on'], FAIL_ON);
  const logLevel = flagValue('--log.level', flags['log.level'], LOG_LEVELS);
  const logFormat = flagValue('--log.format', flags['log.format'], LOG_FORMATS);
  if (flags.listen !== undefined) {
    const problem = listenProblem(flags.listen);
    if (problem) throw configError('USAGE_VALUE', '--listen', `--listen: "${flags.listen}" ${problem}`);
  }
  if (flags.interval !== undefined) {
    const problem = durationProblem(flags.interval);
    if (problem) throw configError('USAGE_VALUE', '--interval', `--interval: ${problem}`);
  }
  const interval = flags.interval ?? file.interval ?? '60s';
  const root = flagPath('--root', flags.root, cwd) ?? file.root ?? '/';
  // `--root` given on the command line moves the default proc with it, even if the file names a proc.
  const proc = flagPath('--proc', flags.proc, cwd) ?? (flags.root === undefined ? file.proc : undefined) ?? path.join(root, 'proc');
  return {
    root,
    proc,
    format: format ?? file.format ?? 'text',
    output: flagPath('--output', flags.output, cwd) ?? file.output ?? null,
    failOn: failOn ?? file.failOn ?? 'must',
    listen: flags.listen ?? file.listen ?? DEFAULT_LISTEN,
    intervalMs: parseDuration(interval)!,
    auditTimeoutMs: Math.min(file.auditTimeout === undefined ? DEFAULT_AUDIT_TIMEOUT_MS : parseDuration(file.auditTimeout)!, parseDuration(interval)!),
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
    network: { internalCIDRs: [...(file.network?.internalCIDRs ?? [])] },
    authentication: { strict: file.authentication?.strict ?? false },
    releases: { file: file.releases?.file ?? null },
  };
}

// ---- I/O: the config file and the release table -----------------------------------------------

/** Read a small regular file, or say why not. Never blocks on a FIFO, never reads a device. */
export function readBoundedFile(file: string, maxBytes = MAX_CONFIG_BYTES): { ok: true; text: string } | { ok: false; reason: string; missing: boolean } {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reasons: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', ELOOP: 'too many symbolic links', ENOTDIR: 'a parent is not a directory', EISDIR: 'is a directory' };
    if (code && code in reasons) return { ok: false, reason: reasons[code]!, missing: code === 'ENOENT' };
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: 'not a regular file', missing: false };
    if (stat.size > maxBytes) return { ok: false, reason: `larger than ${maxBytes} bytes`, missing: false };
    const buffer = Buffer.alloc(maxBytes + 1);
    // Read to EOF rather than trusting stat's size: the file may grow between fstat and read.
    let length = 0;
    while (length <= maxBytes) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) return { ok: false, reason: `larger than ${maxBytes} bytes`, missing: false };
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buffer.subarray(0, length));
    return { ok: true, text };
  } catch (error) {
    if (error instanceof TypeError) return { ok: false, reason: 'not valid UTF-8', missing: false };
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return { ok: false, reason: 'is a directory', missing: false };
    throw error;
  } finally {
    closeSync(fd);
  }
}

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
    const read = readBoundedFile(configPath);
    if (read.ok) file = parseConfig(read.text, configPath);
    else if (named || !read.missing) throw configError('CONFIG_READ', key, `${configPath}: cannot read config file: ${read.reason}`);
  }

  const settings = mergeFlags(file, options.flags, options.cwd);
  return { ...settings, releaseTable: loadReleaseTable(settings.releases.file) };
}

function loadReleaseTable(file: string | null): ReleaseTable {
  if (file === null) return BUNDLED_RELEASES;
  const read = readBoundedFile(file);
  if (!read.ok) throw configError('CONFIG_RELEASES', 'releases.file', `releases.file: ${file}: cannot read release table: ${read.reason}`);
  try {
    return parseReleaseTable(read.text, file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw configError('CONFIG_RELEASES', 'releases.file', `releases.file: ${message.includes(file) ? message : `${file}: ${message}`}`);
  }
}

/** Settings with built-in defaults only: for tests and for callers without a config file. */
export function defaultConfig(): AuditConfig {
  return { ...mergeFlags({}, {}, '/'), releaseTable: BUNDLED_RELEASES };
}
