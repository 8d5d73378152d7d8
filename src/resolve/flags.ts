// Command-line grammar exactly as the components parse it, so that argv means what it means to
// them: spf13/pflag for Kubernetes components, Go's `flag` package for etcd.
// kube-bench's substring matching is the counter-example (research/anchors-node-audit.md §1.4).

export type FlagGrammar = 'pflag' | 'goflag';

/** One occurrence of a flag on the command line. */
export interface FlagOccurrence {
  /** Canonical name without dashes (`_` normalised to `-` for pflag). */
  name: string;
  /** The value as written; `undefined` for a bare boolean flag (`--anonymous-auth`). */
  value: string | undefined;
  /** Index in `args`, for "last one wins" and for evidence. */
  index: number;
  /** The argument(s) as written, for evidence: `--authorization-mode Node,RBAC`. */
  written: string;
}

export interface ParsedFlags {
  grammar: FlagGrammar;
  occurrences: FlagOccurrence[];
  positionals: string[];
  /** Things the component itself would have complained about; shown as notes, never fatal. */
  warnings: string[];
}

/**
 * Boolean flags every Kubernetes component registers through component-base (klog, help,
 * version), so each component's list of booleans starts from these. `--version` takes an
 * optional value only in the `=` form (`--version=raw`).
 */
export const COMPONENT_BASE_BOOLEAN_FLAGS: readonly string[] = [
  'help',
  'version',
  'alsologtostderr',
  'logtostderr',
  'add-dir-header',
  'skip-headers',
  'skip-log-headers',
  'one-output',
];

/**
 * Split `args` (argv without the binary) into flag occurrences.
 * `booleans` names the flags that take no separate value token: `--flag value` is a value only
 * for non-boolean flags, which is why a grammar needs the component's flag types.
 * A flag not in `booleans` followed by a token that does not start with `-` takes that token:
 * components accept no positional arguments, so for a running process that reading is the only one.
 */
export function parseFlags(
  args: readonly string[],
  grammar: FlagGrammar,
  booleans: ReadonlySet<string>,
): ParsedFlags {
  const occurrences: FlagOccurrence[] = [];
  const positionals: string[] = [];
  const warnings: string[] = [];

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    const dashes = arg.startsWith('--') ? 2 : arg.startsWith('-') && arg.length > 1 ? 1 : 0;
    if (dashes === 0) {
      if (grammar === 'goflag') {
        // Go's flag package stops at the first non-flag argument; everything after it is ignored.
        positionals.push(...args.slice(i));
        if (args.length > i + 1) warnings.push(`flag parsing stops at "${arg}": ${args.length - i - 1} later argument(s) are ignored by the component`);
        break;
      }
      positionals.push(arg);
      warnings.push(`stray argument "${arg}" is not a flag value`);
      continue;
    }
    if (dashes === 1 && grammar === 'pflag') {
      // pflag shorthand (`-v=2`, `-v 2`): only klog's -v is used by components; skip its value.
      const body = arg.slice(1);
      if (!body.includes('=') && body.length === 1 && isValueToken(args[i + 1])) i++;
      continue;
    }
    const body = arg.slice(dashes);
    const eq = body.indexOf('=');
    const rawName = eq === -1 ? body : body.slice(0, eq);
    const name = grammar === 'pflag' ? rawName.replaceAll('_', '-') : rawName;
    if (eq !== -1) {
      occurrences.push({ name, value: body.slice(eq + 1), index: i, written: arg });
    } else if (booleans.has(name)) {
      occurrences.push({ name, value: undefined, index: i, written: arg });
    } else if (isValueToken(args[i + 1])) {
      occurrences.push({ name, value: args[i + 1], index: i, written: `${arg} ${args[i + 1]}` });
      i++;
    } else {
      // A non-boolean flag with no value: at the end of argv the component would refuse it; before
      // another flag, pflag and Go's flag package would take that flag as this one's value, which
      // only a complete boolean table can tell apart from a boolean flag we do not know.
      occurrences.push({ name, value: undefined, index: i, written: arg });
      const next = args[i + 1];
      warnings.push(
        next === undefined
          ? `flag ${arg} has no value`
          : `flag ${arg} has no value here; if it is not a boolean flag, the component took "${next}" as its value`,
      );
    }
  }
  return { grammar, occurrences, positionals, warnings };
}

/** A token that cannot be a flag: `-` alone and negative numbers (`--oom-score-adj -999`) are values. */
function isValueToken(token: string | undefined): token is string {
  return token !== undefined && !(token.startsWith('-') && token.length > 1 && !/^-\d/.test(token));
}

/** All occurrences of a flag, in order. */
export function occurrencesOf(flags: ParsedFlags, name: string): FlagOccurrence[] {
  return flags.occurrences.filter((o) => o.name === name);
}

/** Scalar flags: the last occurrence wins (pflag and Go flag alike). */
export function lastOccurrence(flags: ParsedFlags, name: string): FlagOccurrence | undefined {
  let found: FlagOccurrence | undefined;
  for (const o of flags.occurrences) if (o.name === name) found = o;
  return found;
}

export function hasFlag(flags: ParsedFlags, name: string): boolean {
  return flags.occurrences.some((o) => o.name === name);
}

/** Go's strconv.ParseBool; `undefined` when the text is not a boolean Go accepts. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

export type FlagValue<T> =
  | { ok: true; value: T; occurrence: FlagOccurrence }
  | { ok: false; occurrence: FlagOccurrence; problem: string };

/** A boolean flag's effective value (bare flag = true), or why it is not a boolean. */
export function boolFlag(flags: ParsedFlags, name: string): FlagValue<boolean> | undefined {
  const o = lastOccurrence(flags, name);
  if (!o) return undefined;
  if (o.value === undefined) return { ok: true, value: true, occurrence: o };
  const value = parseGoBool(o.value);
  return value === undefined
    ? { ok: false, occurrence: o, problem: `${o.written}: "${o.value}" is not a boolean` }
    : { ok: true, value, occurrence: o };
}

/** A string flag's effective value (last wins). */
export function stringFlag(flags: ParsedFlags, name: string): FlagOccurrence | undefined {
  const o = lastOccurrence(flags, name);
  return o?.value === undefined ? undefined : o;
}

/** An integer flag's effective value, or why it is not an integer. */
export function intFlag(flags: ParsedFlags, name: string): FlagValue<number> | undefined {
  const o = lastOccurrence(flags, name);
  if (!o) return undefined;
  const value = o.value === undefined ? undefined : parseGoInt(o.value);
  return value !== undefined
    ? { ok: true, value, occurrence: o }
    : { ok: false, occurrence: o, problem: `${o.written}: "${o.value ?? ''}" is not an integer` };
}

/**
 * Go's strconv.ParseInt(text, 0, 64), which pflag and Go's flag package use for int flags: a
 * leading `0` means octal (`--read-only-port=010255` is 4269), `0x`/`0o`/`0b` prefixes and `_`
 * between digits (`1_000`) are accepted. `undefined` when Go would refuse it.
 */
export function parseGoInt(text: string): number | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!match) return undefined;
  const [, sign, body] = match as unknown as [string, string, string];
  const prefixed = /^0[xXoObB]/.test(body);
  const base = prefixed ? { x: 16, o: 8, b: 2 }[body[1]!.toLowerCase() as 'x' | 'o' | 'b'] : body.length > 1 && body.startsWith('0') ? 8 : 10;
  // With base 0 Go accepts `_` only between digits or right after a base prefix (underscoreOK).
  if (/__|_$/.test(body)) return undefined;
  // A leading 0 means octal even without `o`: `0_7` is 7, `08` is refused (by the regex above).
  const digits = (prefixed ? body.slice(2) : body).replaceAll('_', '');
  if (digits === '') return undefined;
  const value = Number.parseInt(digits, base) * (sign === '-' ? -1 : 1);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * pflag StringSlice (`--enable-admission-plugins`, `--authorization-mode`, …): every occurrence
 * accumulates and is split on commas as encoding/csv does. Spaces are not trimmed: the component
 * would see `" RBAC"`, which is not `RBAC`.
 */
export function listFlag(flags: ParsedFlags, name: string): { values: string[]; occurrences: FlagOccurrence[] } {
  const occurrences = occurrencesOf(flags, name);
  const values: string[] = [];
  for (const o of occurrences) if (o.value !== undefined && o.value !== '') values.push(...splitCsv(o.value));
  return { values, occurrences };
}

/** pflag StringArray (`--service-account-key-file`): every occurrence accumulates, unsplit. */
export function arrayFlag(flags: ParsedFlags, name: string): { values: string[]; occurrences: FlagOccurrence[] } {
  const occurrences = occurrencesOf(flags, name).filter((o) => o.value !== undefined);
  return { values: occurrences.map((o) => o.value!), occurrences };
}

/**
 * One CSV record, as Go's encoding/csv reads it (quotes honoured, no trimming). pflag reads only
 * the first record: blank leading lines are skipped and an unquoted newline ends the value, so
 * `"NodeRestriction\nPodSecurity"` enables NodeRestriction alone.
 */
export function splitCsv(text: string): string[] {
  const record = text.replaceAll('\r\n', '\n').replace(/^\n+/, '').replace(/\r$/, '');
  if (record === '') return [];
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const c = record[i]!;
    if (!quoted && c === '\n') break;
    if (quoted) {
      if (c === '"' && record[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}
