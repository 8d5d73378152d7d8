// systemd units as systemd reads them, so that a kubelet that is configured but not running (an
// offline disk image) can be audited by the command line its unit would start: the [Service]
// settings of a unit and its drop-ins, and ExecStart= command lines. Pure: text in, data out;
// collect/kubelet-unit.ts does the reading. The unit-file syntax is in collect/systemd-syntax.ts,
// environment files and `$VAR` expansion in collect/systemd-env.ts.
//
// Sources of truth: systemd.unit(5) (search path, drop-ins, masking, specifiers),
// systemd.service(5) "Command lines" (ExecStart= prefixes), systemd.exec(5) (Environment=,
// EnvironmentFile=, WorkingDirectory=).

import { ENV_NAME, extractWords, parseUnit } from './systemd-syntax.js';

/** A unit file or drop-in, by the path systemd would read it from. */
export interface UnitFile {
  path: string;
  text: string;
}

/** One ExecStart= command, split into words; environment variables are not yet expanded. */
export interface ExecCommand {
  /** The executable (the first word without its prefixes). */
  path: string;
  /** argv as systemd passes it, argv[0] included (`@` prefix: the second word). */
  argv: string[];
  /** False with the `:` prefix: no `$VAR` expansion. */
  expandEnvironment: boolean;
  /** The unit file or drop-in the command was set in. */
  file: string;
}

export interface EnvironmentFileRef {
  path: string;
  /** `-` prefix: a file that cannot be read is ignored. */
  optional: boolean;
}

/** The [Service] settings that decide the command line, after the unit and its drop-ins were merged. */
export interface ServiceConfig {
  execStart: ExecCommand[];
  /** Environment= assignments in order; a later one for the same name wins. */
  environment: Array<[string, string]>;
  environmentFiles: EnvironmentFileRef[];
  type?: string;
  /** WorkingDirectory=, absolute; systemd's default for system services is `/`. */
  workingDirectory?: string;
  /** Lines this audit cannot interpret as systemd would; any makes the command line unknown. */
  problems: string[];
}

/**
 * Resolves `%` specifiers (systemd.unit(5) "Specifiers") for a non-template unit. Only those whose
 * value follows from the unit name are resolved; the others (%H hostname, %m machine id, %h
 * home, …) depend on the running system, so a line using them is not reconstructed.
 */
export function resolveSpecifiers(
  text: string,
  unitName: string,
): { ok: true; text: string } | { ok: false; problem: string } {
  const prefix = unitName.replace(/\.[^.]*$/, '');
  const known: Record<string, string> = { '%': '%', n: unitName, N: prefix, p: prefix, P: prefix, i: '', I: '' };
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (c !== '%') {
      out += c;
      continue;
    }
    const specifier = text.charAt(i + 1);
    if (specifier === '' || !Object.hasOwn(known, specifier)) {
      return { ok: false, problem: `the specifier %${specifier} is not resolved by this audit` };
    }
    out += known[specifier]!;
    i += 1;
  }
  return { ok: true, text: out };
}

/**
 * One ExecStart= value (systemd.service(5) "Command lines"): specifiers, then words, then the
 * prefixes of the first word. `-`, `+`, `!`, `!!` change only how the process runs; `@` makes
 * the second word argv[0]; `:` turns off variable expansion; `|` (a shell command line) and `;`
 * (several commands, oneshot only) are not reconstructed.
 */
export function parseExecStart(
  value: string,
  unitName: string,
  file: string,
): { ok: true; command: ExecCommand } | { ok: false; problem: string } {
  const resolved = resolveSpecifiers(value, unitName);
  if (!resolved.ok) return resolved;
  const split = extractWords(resolved.text, { cunescape: true, unescapeRelax: true, relax: false });
  if (!split.ok) return { ok: false, problem: `the command line has ${split.problem}` };
  const [first, ...rest] = split.words;
  if (first === undefined) return { ok: false, problem: 'the command line is empty' };
  let separateArgv0 = false;
  let expandEnvironment = true;
  let at = 0;
  for (; at < first.length; at += 1) {
    const c = first.charAt(at);
    if (c === '@') separateArgv0 = true;
    else if (c === ':') expandEnvironment = false;
    else if (c === '|') return { ok: false, problem: 'the "|" prefix (run through a shell) is not reconstructed' };
    else if (c !== '-' && c !== '+' && c !== '!') break;
  }
  const path = first.slice(at);
  if (path === '') return { ok: false, problem: 'the command line has no executable' };
  if (rest.includes(';')) return { ok: false, problem: 'several commands separated by ";" are not reconstructed' };
  if (separateArgv0 && rest.length === 0) return { ok: false, problem: 'the "@" prefix needs an argv[0] word' };
  const argv = separateArgv0 ? rest : [path, ...rest];
  return { ok: true, command: { path, argv, expandEnvironment, file } };
}

/**
 * Merges a unit and its drop-ins (in the order systemd applies them) into the settings that
 * decide the kubelet's command line. An empty ExecStart=, Environment= or EnvironmentFile= resets
 * what came before (systemd.service(5), systemd.exec(5)).
 */
export function foldService(files: readonly UnitFile[], unitName: string): ServiceConfig {
  const config: ServiceConfig = { execStart: [], environment: [], environmentFiles: [], problems: [] };
  for (const file of files) {
    for (const a of parseUnit(file.text).assignments) {
      if (a.section !== 'Service') continue;
      const where = `${file.path}:${a.line}`;
      if (a.key === 'ExecStart') {
        if (a.value === '') {
          config.execStart = [];
          continue;
        }
        const parsed = parseExecStart(a.value, unitName, file.path);
        if (parsed.ok) config.execStart.push(parsed.command);
        else config.problems.push(`${where}: ExecStart=: ${parsed.problem}`);
      } else if (a.key === 'Environment') {
        if (a.value === '') {
          config.environment = [];
          continue;
        }
        const split = extractWords(a.value, { cunescape: true, unescapeRelax: false, relax: false });
        // systemd ignores such a line with a warning; the variables it meant to set are unknown.
        if (!split.ok) {
          config.problems.push(`${where}: Environment=: ${split.problem}`);
          continue;
        }
        for (const word of split.words) {
          const resolved = resolveSpecifiers(word, unitName);
          if (!resolved.ok) {
            config.problems.push(`${where}: Environment=: ${resolved.problem}`);
            continue;
          }
          const equals = resolved.text.indexOf('=');
          const name = equals < 0 ? '' : resolved.text.slice(0, equals);
          // An assignment without a valid name is ignored by systemd, as here.
          if (ENV_NAME.test(name)) config.environment.push([name, resolved.text.slice(equals + 1)]);
        }
      } else if (a.key === 'EnvironmentFile') {
        if (a.value === '') {
          config.environmentFiles = [];
          continue;
        }
        const resolved = resolveSpecifiers(a.value, unitName);
        if (!resolved.ok) {
          config.problems.push(`${where}: EnvironmentFile=: ${resolved.problem}`);
          continue;
        }
        const optional = resolved.text.startsWith('-');
        const path = optional ? resolved.text.slice(1) : resolved.text;
        // A relative path is ignored by systemd with a warning.
        if (!path.startsWith('/')) continue;
        if (/[*?[]/.test(path)) {
          config.problems.push(`${where}: EnvironmentFile=${resolved.text}: wildcard patterns are not reconstructed`);
          continue;
        }
        config.environmentFiles.push({ path, optional });
      } else if (a.key === 'Type') {
        config.type = a.value;
      } else if (a.key === 'WorkingDirectory') {
        const resolved = resolveSpecifiers(a.value, unitName);
        const directory = resolved.ok ? resolved.text.replace(/^-/, '') : '';
        if (a.value === '') delete config.workingDirectory;
        else if (directory.startsWith('/')) config.workingDirectory = directory;
        // `~` (the user's home) and specifiers we do not resolve: relative paths would be guessed.
        else config.problems.push(`${where}: WorkingDirectory=${a.value} is not reconstructed`);
      }
    }
  }
  return config;
}
