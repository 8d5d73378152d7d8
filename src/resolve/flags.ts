// Command-line grammar exactly as the components parse it, so that argv means what it means to
// them: spf13/pflag for Kubernetes components, Go's `flag` package for etcd.
// kube-bench's regular-expression search of the command line is the counter-example: it reads
// `--config-dir=/x` as `--config` and misses `--authorization-mode Node,RBAC`
// (aquasecurity/kube-bench:check/test.go findValue; https://github.com/aquasecurity/kube-bench/issues/2095).

import { COMPONENT_BASE_FLAGS } from './flag-tables/component-base.js';
import type { FlagTable } from './flag-tables/types.js';

export type { FlagTable, FlagType } from './flag-tables/types.js';

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
 * Boolean flags every Kubernetes component registers through component-base (klog, logging,
 * help, version), derived from the component-base flag table. `--version` takes an optional value
 * only in the `=` form (`--version=raw`).
 */
export const COMPONENT_BASE_BOOLEAN_FLAGS: readonly string[] = booleansOf(COMPONENT_BASE_FLAGS);

/** The names of a table's bool flags: the ones that never take the next argument. */
export function booleansOf(table: FlagTable): string[] {
  return Object.keys(table).filter((name) => table[name] === 'bool');
}

/** What the grammar knows of a flag: `undefined` when it is not in the component's table. */
type FlagKind = 'bool' | 'value' | undefined;

function kindIn(known: ReadonlySet<string> | FlagTable, name: string): FlagKind | 'not-bool' {
  if (isNameSet(known)) return known.has(name) ? 'bool' : 'not-bool';
  if (!Object.hasOwn(known, name)) return undefined;
  return known[name] === 'bool' ? 'bool' : 'value';
}

function isNameSet(known: ReadonlySet<string> | FlagTable): known is ReadonlySet<string> {
  return known instanceof Set;
}

/**
 * Split `args` (argv without the binary) into flag occurrences.
 *
 * `known` is the component's complete flag table (preferred) or, for older callers, the set of
 * its boolean flags. With a table the grammar is exact for every flag in it, as in pflag and Go's
 * flag package: a bool never takes the next argument, a value flag always does, even
 * `--enable-admission-plugins=NodeRestriction` after `--oidc-username-prefix`. A flag the table
 * does not know (or any non-boolean flag, given only a set) takes the next token only when that
 * token does not start with `-`: components accept no positional arguments, so for a running
 * process that is the likelier reading, but it is a guess and a warning says so.
 */
export function parseFlags(
  args: readonly string[],
  grammar: FlagGrammar,
  known: ReadonlySet<string> | FlagTable,
): ParsedFlags {
  const occurrences: FlagOccurrence[] = [];
  const positionals: string[] = [];
  const warnings: string[] = [];
  // Any local user can start a process named kube-apiserver with 100,000 odd arguments; one
  // sentence each would flood the report, so each kind is said a few times and then counted.
  const said: Record<ArgumentWarning, number> = { unknown: 0, stray: 0, taken: 0, 'no-value': 0 };
  const warn = (kind: ArgumentWarning, text: string) => {
    said[kind] += 1;
    if (said[kind] <= MAX_WARNINGS_PER_KIND) warnings.push(text);
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      for (const rest of args.slice(i + 1)) positionals.push(rest);
      break;
    }
    const dashes = arg.startsWith('--') ? 2 : arg.startsWith('-') && arg.length > 1 ? 1 : 0;
    if (dashes === 0) {
      if (grammar === 'goflag') {
        // Go's flag package stops at the first non-flag argument; everything after it is ignored.
        for (const rest of args.slice(i)) positionals.push(rest);
        if (args.length > i + 1)
          warnings.push(
            `flag parsing stops at "${arg}": ${args.length - i - 1} later argument(s) are ignored by the component`,
          );
        break;
      }
      positionals.push(arg);
      warn('stray', `stray argument "${arg}" is not a flag value`);
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
    const kind = kindIn(known, name);
    if (kind === undefined) {
      warn(
        'unknown',
        `flag --${name} is unknown to this component's flag table (the releases this tool knows); whether it takes a value was guessed`,
      );
    }
    const next = args[i + 1];
    if (eq !== -1) {
      occurrences.push({ name, value: body.slice(eq + 1), index: i, written: arg });
    } else if (kind === 'bool') {
      occurrences.push({ name, value: undefined, index: i, written: arg });
    } else if (kind === 'value' && next !== undefined) {
      // pflag and Go's flag package give a value flag the next argument unconditionally.
      occurrences.push({ name, value: next, index: i, written: `${arg} ${next}` });
      if (!isValueToken(next))
        warn(
          'taken',
          `flag ${arg} takes a value, so the component took "${String(next)}" as that value, not as a flag`,
        );
      i++;
    } else if (kind !== 'value' && isValueToken(next)) {
      occurrences.push({ name, value: next, index: i, written: `${arg} ${next}` });
      i++;
    } else {
      // A value flag with no value: at the end of argv the component would refuse it. A flag we
      // cannot type followed by another flag: pflag and Go's flag package would take that flag as
      // this one's value unless this one is a boolean, which the table could not tell us.
      occurrences.push({ name, value: undefined, index: i, written: arg });
      warn(
        'no-value',
        next === undefined
          ? `flag ${arg} has no value`
          : `flag ${arg} has no value here; if it is not a boolean flag, the component took "${next}" as its value`,
      );
    }
  }
  for (const kind of Object.keys(said) as ArgumentWarning[]) {
    const more = said[kind] - MAX_WARNINGS_PER_KIND;
    if (more > 0) warnings.push(`… and ${more} more ${ARGUMENT_WARNING_NOUNS[kind]}`);
  }
  return { grammar, occurrences, positionals, warnings };
}

/** How many warnings of one kind parseFlags words out per process before it only counts them. */
export const MAX_WARNINGS_PER_KIND = 10;
type ArgumentWarning = 'unknown' | 'stray' | 'taken' | 'no-value';
const ARGUMENT_WARNING_NOUNS: Record<ArgumentWarning, string> = {
  unknown: 'unknown flags',
  stray: 'stray arguments',
  taken: 'flags taken as the value of the flag before them',
  'no-value': 'flags without a value',
};

/** A token that cannot be a flag: `-` alone and negative numbers (`--oom-score-adj -999`) are values. */
function isValueToken(token: string | undefined): token is string {
  return token !== undefined && !(token.startsWith('-') && token.length > 1 && !/^-\d/.test(token));
}

/**
 * A value flag written in the space form whose value looks like another flag
 * (`--oidc-username-prefix --enable-admission-plugins=NodeRestriction`): the component took that
 * flag as the value, which is rarely what its author meant.
 */
export function tookFlagAsValue(o: FlagOccurrence): boolean {
  return o.value !== undefined && o.written.includes(' ') && !isValueToken(o.value);
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
  { ok: true; value: T; occurrence: FlagOccurrence } | { ok: false; occurrence: FlagOccurrence; problem: string };

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
 * Go's strconv.ParseInt(text, 0, bitSize) (https://pkg.go.dev/strconv#ParseInt), which pflag and
 * Go's flag package use for int flags (`Int32` with bitSize 32, as the kubelet's ports): a leading
 * `0` means octal (`--read-only-port=010255` is 4269), `0x`/`0o`/`0b` prefixes and `_` between
 * digits (`10_255`) are accepted. `undefined` when Go would refuse it, out of range included.
 */
export function parseGoInt(text: string, bitSize: 32 | 64 = 64): number | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!match) return undefined;
  const [, sign, body] = match as unknown as [string, string, string];
  const prefixed = /^0[xXoObB]/.test(body);
  const base = prefixed
    ? { x: 16, o: 8, b: 2 }[body[1]!.toLowerCase() as 'x' | 'o' | 'b']
    : body.length > 1 && body.startsWith('0')
      ? 8
      : 10;
  // With base 0 Go accepts `_` only between digits or right after a base prefix (underscoreOK).
  if (/__|_$/.test(body)) return undefined;
  // A leading 0 means octal even without `o`: `0_7` is 7, `08` is refused (by the regex above).
  const digits = (prefixed ? body.slice(2) : body).replaceAll('_', '');
  if (digits === '') return undefined;
  const value = Number.parseInt(digits, base) * (sign === '-' ? -1 : 1);
  if (bitSize === 32) return value >= -(2 ** 31) && value < 2 ** 31 ? value : undefined;
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
  for (const o of occurrences)
    if (o.value !== undefined && o.value !== '') for (const value of splitCsv(o.value)) values.push(value);
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
