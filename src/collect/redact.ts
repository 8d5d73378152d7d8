// Kubeconfig secrets never leave collect. Redaction is line-based on the text so that the
// resolvers still see the file as written (line for line, comments included) minus the secrets;
// it errs on the side of removing too much.

const REDACTED = '<redacted>';
/** Keys whose values are credentials wherever they appear (users[].user and auth-provider config). */
const SECRET_KEYS = ['client-key-data', 'token', 'password', 'id-token', 'refresh-token', 'client-secret'];
const KEY_LINE = /^(\s*(?:-\s+)*)(["']?)([A-Za-z0-9_.-]+)\2\s*:(?=\s|$)(.*)$/;
const QUOTED_VALUE = /^\s*("[^"\\]*(?:\\.[^"\\]*)*"|'[^']*(?:''[^']*)*')(.*)$/;

interface Region {
  /** Column of the key that opened the region; lines indented deeper belong to it. */
  column: number;
  kind: 'drop' | 'auth-provider' | 'exec';
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** `{token: x, "password": "y"}` with one of `keys`, compiled once: a kubeconfig may have 400,000 lines. */
function inlinePattern(keys: readonly string[]): RegExp {
  const alternatives = keys.map((k) => k.replace(/[.-]/g, '\\$&')).join('|');
  return new RegExp(
    // Quoted strings as unrolled loops ("[^"\\]*(?:\\.[^"\\]*)*"): the same language as
    // "(?:[^"\\]|\\.)*", without a backtracking step per character on long lines.
    `(["']?)\\b(${alternatives})\\1(\\s*:\\s*)("[^"\\\\]*(?:\\\\.[^"\\\\]*)*"|'[^']*(?:''[^']*)*'|[^,}\\]\\s][^,}\\]]*)`,
    'g',
  );
}
const INLINE_SECRET = inlinePattern(SECRET_KEYS);
const INLINE_SECRET_OR_VALUE = inlinePattern([...SECRET_KEYS, 'value']);

/** Flow-style `{token: x, "password": "y"}` anywhere in a line. */
function redactInline(line: string, pattern: RegExp): string {
  // Most lines name no secret at all; the search is cheaper than a replace.
  pattern.lastIndex = 0;
  if (!pattern.test(line)) return line;
  return line.replace(pattern, (_m, quote: string, key: string, colon: string, value: string) => {
    const replacement = value.startsWith('"') || value.startsWith("'") ? `"${REDACTED}"` : REDACTED;
    return `${quote}${key}${quote}${colon}${replacement}`;
  });
}

/** The value part of a `key: value` line, redacted; JSON punctuation after a quoted value is kept. */
function redactedValue(rest: string): string {
  const quoted = QUOTED_VALUE.exec(rest);
  if (quoted) return ` "${REDACTED}"${quoted[2] ?? ''}`;
  return ` ${REDACTED}`;
}

export function redactKubeconfig(text: string): string {
  const out: string[] = [];
  const regions: Region[] = [];
  for (const line of text.split('\n')) {
    const blank = line.trim() === '';
    const indent = indentOf(line);
    while (regions.length > 0 && !blank && indent <= (regions.at(-1) as Region).column) regions.pop();
    const inside = regions.map((r) => r.kind);
    if (inside.includes('drop')) continue;

    const inlineKeys = inside.includes('exec') ? INLINE_SECRET_OR_VALUE : INLINE_SECRET;
    const keyLine = KEY_LINE.exec(line);
    if (!keyLine) {
      // Flow collections (`- {name: X, value: Y}`), comments, or the wrapped value of a key
      // that is not a secret.
      out.push(redactInline(line, inlineKeys));
      continue;
    }
    const [, lead = '', quote = '', key = '', rest = ''] = keyLine;
    const column = lead.length;
    const secret =
      SECRET_KEYS.includes(key) ||
      (inside.includes('auth-provider') && key !== 'name') ||
      (inside.includes('exec') && key === 'value');
    const restTrimmed = rest.trim();
    const opensBlock = restTrimmed === '' || restTrimmed.startsWith('#');
    if (secret && !(opensBlock && inside.includes('auth-provider') && !SECRET_KEYS.includes(key))) {
      out.push(`${lead}${quote}${key}${quote}:${redactedValue(rest)}`);
      // Whatever is indented below a secret key is its value (block scalar, wrapped plain scalar).
      regions.push({ column, kind: 'drop' });
      continue;
    }
    if (key === 'auth-provider') regions.push({ column, kind: 'auth-provider' });
    if (key === 'exec') regions.push({ column, kind: 'exec' });
    out.push(redactInline(line, inlineKeys));
  }
  return out.join('\n');
}
