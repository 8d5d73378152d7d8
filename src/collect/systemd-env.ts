// systemd environment files and `$VAR` expansion of ExecStart= command lines, the way systemd
// does both: systemd.exec(5) (Environment=, EnvironmentFile=), systemd.service(5) "Command lines"
// (`$VAR` vs `${VAR}`), src/basic/env-file.c (parse_env_file_internal), src/basic/env-util.c
// (replace_env_argv, replace_env_full). Pure: text in, data out; collect/kubelet-unit.ts does the
// reading.

import { COMMENT_CHARS, ENV_NAME, extractWords, isWhitespace } from './systemd-syntax.js';
import type { ExecCommand, ServiceConfig } from './systemd-unit.js';

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
