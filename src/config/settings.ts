// The operator's settings and the config file's shape: defaults, the effective settings, the
// config file as written, flag values, and the error every config or flag problem is.
import type { ComponentName } from '../collect/types.js';
import type { LogFormat, LogLevel } from '../log.js';
import type { ReleaseTable } from '../resolve/release-table.js';
import type { Selection } from '../checks/select.js';
import type { Waiver } from '../report/waivers.js';

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
