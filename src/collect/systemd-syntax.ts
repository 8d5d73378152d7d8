// The syntax of systemd unit files, as systemd parses it: sections, comments, `\` continuation
// lines (systemd.syntax(7); src/shared/conf-parser.c config_parse) and the splitting of a value
// into words with quoting and C escapes (src/basic/extract-word.c extract_first_word,
// src/basic/escape.c cunescape_one). Pure: text in, data out. collect/systemd-unit.ts builds the
// [Service] settings on top of this; collect/systemd-env.ts reads environment files.

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

const WHITESPACE = ' \t\n\r';
export const COMMENT_CHARS = '#;';
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isWhitespace(c: string | undefined): boolean {
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
