// Flags over the config file over the defaults: the effective settings of a run. Pure: the
// parsed file and the flag values in, settings out; a bad flag value is a USAGE_VALUE error.
import path from 'node:path';
import { COMPONENTS } from '../collect/types.js';
import { LOG_FORMATS, LOG_LEVELS } from '../log.js';
import { CHECKS } from '../checks/index.js';
import {
  SELECT_ALL,
  SELECTABLE_COMPONENTS,
  SELECTABLE_LEVELS,
  selectChecks,
  type Selection,
} from '../checks/select.js';
import {
  COLOR_MODES,
  configError,
  DEFAULT_AUDIT_TIMEOUT_MS,
  DEFAULT_LISTEN,
  FAIL_ON,
  FORMATS,
  type ConfigFile,
  type FlagValues,
  type Settings,
} from './settings.js';
import { durationProblem, listenProblem, parseDuration } from './values.js';
import { CHECK_IDS } from './schema.js';

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
