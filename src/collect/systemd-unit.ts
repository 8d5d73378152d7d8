// systemd unit files and environment files, read the way systemd reads them, so that a kubelet
// that is configured but not running (an offline disk image) can be audited by the command line
// its unit would start. Pure: text in, data out; collect/kubelet-unit.ts does the reading.
//
// Sources of truth: systemd.syntax(7) (sections, comments, `\` continuation, quoting),
// systemd.unit(5) (search path, drop-ins, masking), systemd.service(5) "Command lines" (ExecStart=
// prefixes, `$VAR` vs `${VAR}`), systemd.exec(5) (Environment=, EnvironmentFile=). Where the man
// pages are silent the behaviour follows systemd's own code: src/shared/conf-parser.c
// (config_parse), src/basic/extract-word.c (extract_first_word), src/basic/escape.c
// (cunescape_one), src/basic/env-file.c (parse_env_file_internal), src/basic/env-util.c
// (replace_env_argv, replace_env_full).

/** One `Key=value` line of a unit file, after continuation lines were joined. */
export interface UnitAssignment {
  section: string;
  key: string;
  value: string;
  line: number;
}

export interface ParsedUnit {
  assignments: UnitAssignment[];
}

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

const WHITESPACE = ' \t\n\r';
const COMMENT_CHARS = '#;';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isWhitespace(c: string | undefined): boolean {
  return c !== undefined && c !== '' && WHITESPACE.includes(c);
}

/** True when `text` ends in a backslash that is not itself escaped (conf-parser.c's scan). */
function endsInContinuation(text: string): boolean {
  let escaped = false;
  for (const c of text) escaped = escaped ? false : c === '\\';
  return escaped;
}

/**
 * Sections and `Key=value` assignments of a unit file (systemd.syntax(7)). A line ending in `\`
 * continues on the next, the backslash read as a space; comment lines inside a continuation are
 * skipped; `#`/`;` lines are comments; whitespace around `=` is ignored. Malformed lines are
 * dropped, as systemd drops them with a warning.
 */
export function parseUnit(text: string): ParsedUnit {
  const assignments: UnitAssignment[] = [];
  let section = '';
  let continuation: string | undefined;
  let continuationLine = 0;
  const lines = text.split(/\r\n|\r|\n|\0/);
  for (let index = 0; index < lines.length; index += 1) {
    const raw = (lines[index] ?? '').replace(/^[ \t]+/, '');
    if (continuation !== undefined && COMMENT_CHARS.includes(raw.charAt(0)) && raw !== '') continue;
    const joined = continuation === undefined ? raw : continuation + raw;
    if (endsInContinuation(joined)) {
      if (continuation === undefined) continuationLine = index + 1;
      continuation = `${joined.slice(0, -1)} `;
      continue;
    }
    const lineNumber = continuation === undefined ? index + 1 : continuationLine;
    continuation = undefined;
    const line = joined.trim();
    if (line === '' || COMMENT_CHARS.includes(line.charAt(0))) continue;
    if (line.startsWith('[')) {
      if (line.endsWith(']')) section = line.slice(1, -1);
      continue;
    }
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    assignments.push({
      section,
      key: line.slice(0, equals).trim(),
      value: line.slice(equals + 1).trim(),
      line: lineNumber,
    });
  }
  // A continuation at the end of the file is a line of its own.
  if (continuation !== undefined) {
    const line = continuation.trim();
    const equals = line.indexOf('=');
    if (line !== '' && !COMMENT_CHARS.includes(line.charAt(0)) && equals > 0) {
      assignments.push({
        section,
        key: line.slice(0, equals).trim(),
        value: line.slice(equals + 1).trim(),
        line: continuationLine,
      });
    }
  }
  return { assignments };
}

interface ExtractOptions {
  /** C escapes (`\n`, `\x41`, `\s`, …) are decoded (EXTRACT_CUNESCAPE). */
  cunescape: boolean;
  /** An unknown escape keeps its backslash instead of failing (EXTRACT_UNESCAPE_RELAX). */
  unescapeRelax: boolean;
  /** An unterminated quote or trailing backslash ends the word instead of failing (EXTRACT_RELAX). */
  relax: boolean;
}

type Words = { ok: true; words: string[] } | { ok: false; problem: string };

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
  s: ' ',
};

/** One C escape after a backslash at `text[at]` (escape.c cunescape_one); undefined when invalid. */
function cunescapeOne(text: string, at: number): { value: string; length: number } | undefined {
  const c = text.charAt(at);
  if (Object.hasOwn(SIMPLE_ESCAPES, c)) return { value: SIMPLE_ESCAPES[c] as string, length: 1 };
  const hex = (digits: number) => {
    const code = text.slice(at + 1, at + 1 + digits);
    if (code.length !== digits || !/^[0-9a-fA-F]+$/.test(code)) return undefined;
    const value = Number.parseInt(code, 16);
    // NUL is refused; so is anything that is not a Unicode scalar value.
    if (value === 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return undefined;
    return { value: String.fromCodePoint(value), length: digits + 1 };
  };
  if (c === 'x') return hex(2);
  if (c === 'u') return hex(4);
  if (c === 'U') return hex(8);
  const octal = text.slice(at, at + 3);
  if (/^[0-7]{3}$/.test(octal)) {
    const value = Number.parseInt(octal, 8);
    return value === 0 || value > 255 ? undefined : { value: String.fromCharCode(value), length: 3 };
  }
  return undefined;
}

/**
 * Splits at whitespace into words, removing quotes anywhere in a word (`--a="b c"` is one word
 * `--a=b c`) and handling backslashes, as extract_first_word() does with EXTRACT_UNQUOTE.
 */
export function extractWords(text: string, options: ExtractOptions): Words {
  const words: string[] = [];
  let i = 0;
  for (;;) {
    while (isWhitespace(text[i])) i += 1;
    if (i >= text.length) return { ok: true, words };
    let word = '';
    let quote = '';
    for (;;) {
      if (i >= text.length) {
        if (quote !== '' && !options.relax) return { ok: false, problem: `unbalanced ${quote} quote` };
        break;
      }
      const c = text.charAt(i);
      if (c === '\\') {
        i += 1;
        if (i >= text.length) {
          if (options.unescapeRelax && (quote === '' || options.relax)) word += '\\';
          else if (!options.relax) return { ok: false, problem: 'a trailing backslash' };
          break;
        }
        if (!options.cunescape) {
          word += text.charAt(i);
          i += 1;
          continue;
        }
        const escape = cunescapeOne(text, i);
        if (escape) {
          word += escape.value;
          i += escape.length;
        } else if (options.unescapeRelax) {
          word += `\\${text.charAt(i)}`;
          i += 1;
        } else {
          return { ok: false, problem: `an invalid escape \\${text.charAt(i)}` };
        }
        continue;
      }
      if (quote !== '') {
        if (c === quote) quote = '';
        else word += c;
        i += 1;
        continue;
      }
      if (c === '"' || c === "'") {
        quote = c;
        i += 1;
        continue;
      }
      if (isWhitespace(c)) break;
      word += c;
      i += 1;
    }
    words.push(word);
  }
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

/**
 * Assignments of an environment file (systemd.exec(5) EnvironmentFile=; env-file.c): `KEY=VALUE`
 * lines, `#`/`;` comments, single quotes literal, double quotes with `\"`, `\\`, `` \` ``, `\$`
 * escapes, a backslash outside quotes escaping the next character (a newline: continuation),
 * trailing whitespace of an unquoted value dropped. No variable expansion and no inline comments.
 * Assignments with an invalid name are dropped, as systemd drops them.
 */
export function parseEnvironmentFile(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  type State =
    | 'preKey'
    | 'key'
    | 'preValue'
    | 'value'
    | 'valueEscape'
    | 'single'
    | 'double'
    | 'doubleEscape'
    | 'comment'
    | 'commentEscape';
  let state: State = 'preKey';
  let key = '';
  let value = '';
  let valueTrim = -1;
  const isNewline = (c: string) => c === '\n' || c === '\r';
  const push = () => {
    const name = key.trimEnd();
    const finalValue = state === 'value' && valueTrim >= 0 ? value.slice(0, valueTrim) : value;
    if (ENV_NAME.test(name)) out.push([name, finalValue]);
    key = '';
    value = '';
    valueTrim = -1;
  };
  for (const c of text) {
    switch (state) {
      case 'preKey':
        if (COMMENT_CHARS.includes(c)) state = 'comment';
        else if (!isWhitespace(c)) {
          state = 'key';
          key = c;
        }
        break;
      case 'key':
        if (isNewline(c)) {
          state = 'preKey';
          key = '';
        } else if (c === '=') {
          state = 'preValue';
          valueTrim = -1;
        } else key += c;
        break;
      case 'preValue':
        if (isNewline(c)) {
          push();
          state = 'preKey';
        } else if (c === "'") state = 'single';
        else if (c === '"') state = 'double';
        else if (c === '\\') state = 'valueEscape';
        else if (!isWhitespace(c)) {
          state = 'value';
          value += c;
        }
        break;
      case 'value':
        if (isNewline(c)) {
          push();
          state = 'preKey';
        } else if (c === '\\') {
          state = 'valueEscape';
          valueTrim = -1;
        } else {
          if (!isWhitespace(c)) valueTrim = -1;
          else if (valueTrim < 0) valueTrim = value.length;
          value += c;
        }
        break;
      case 'valueEscape':
        state = 'value';
        if (!isNewline(c)) value += c;
        break;
      case 'single':
        if (c === "'") state = 'preValue';
        else value += c;
        break;
      case 'double':
        if (c === '"') state = 'preValue';
        else if (c === '\\') state = 'doubleEscape';
        else value += c;
        break;
      case 'doubleEscape':
        state = 'double';
        if ('"\\`$'.includes(c)) value += c;
        else if (c !== '\n') value += `\\${c}`;
        break;
      case 'comment':
        if (c === '\\') state = 'commentEscape';
        else if (isNewline(c)) state = 'preKey';
        break;
      case 'commentEscape':
        state = isNewline(c) ? 'preKey' : 'comment';
        break;
    }
  }
  if (state !== 'preKey' && state !== 'key' && state !== 'comment' && state !== 'commentEscape') push();
  return out;
}

/** Later assignments win; environment files override Environment= (systemd.exec(5)). */
export function serviceEnvironment(
  config: ServiceConfig,
  files: ReadonlyArray<Array<[string, string]>>,
): Map<string, string> {
  const env = new Map<string, string>();
  for (const [name, value] of config.environment) env.set(name, value);
  for (const assignments of files) for (const [name, value] of assignments) env.set(name, value);
  return env;
}

/** `${NAME}` inside a word, as replace_env_full() without extensions: unset is empty, `$$` is `$`. */
function replaceInWord(word: string, env: ReadonlyMap<string, string>): string {
  let out = '';
  let i = 0;
  while (i < word.length) {
    const c = word.charAt(i);
    if (c !== '$') {
      out += c;
      i += 1;
      continue;
    }
    const next = word.charAt(i + 1);
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next !== '{') {
      out += '$';
      i += 1;
      continue;
    }
    let end = i + 2;
    while (end < word.length && word.charAt(end) !== '}' && word.charAt(end) !== ':') end += 1;
    if (end >= word.length || word.charAt(end) === ':') {
      // Unterminated, or `${NAME:-default}` syntax that command lines do not support: kept literally.
      out += word.slice(i, end);
      i = end;
      continue;
    }
    const name = word.slice(i + 2, end);
    out += ENV_NAME.test(name) ? (env.get(name) ?? '') : '';
    i = end + 1;
  }
  return out;
}

/**
 * The argv systemd would execute (systemd.service(5) "Command lines"; env-util.c
 * replace_env_argv): a word that is exactly `$NAME` becomes the variable's value split at
 * whitespace (quotes in the value group words), zero words when unset; `${NAME}` anywhere in a
 * word is replaced by the value as is, keeping the word one argument (an empty one when unset).
 * Expansion is one pass: values are never expanded again.
 */
export function expandExecStart(command: ExecCommand, env: ReadonlyMap<string, string>): string[] {
  if (!command.expandEnvironment) return [...command.argv];
  const argv: string[] = [];
  for (const word of command.argv) {
    if (word.startsWith('$') && word.charAt(1) !== '{' && word.charAt(1) !== '$') {
      const name = word.slice(1);
      const value = ENV_NAME.test(name) ? env.get(name) : undefined;
      if (value === undefined) continue;
      const split = extractWords(value, { cunescape: false, unescapeRelax: false, relax: true });
      if (split.ok) for (const word of split.words) argv.push(word);
      continue;
    }
    argv.push(replaceInWord(word, env));
  }
  return argv;
}
