// The Kubernetes release table the version checks judge by: its shape, the bundled copy, the
// reader of an operator's or a refreshed table, and the date arithmetic over it.
import { BUNDLED_RELEASE_TABLE } from './releases.js';
import { readYaml } from '../formats/yaml.js';

export interface PatchRelease {
  /** `1.34.2` */
  version: string;
  /** `YYYY-MM-DD` */
  date: string;
}

export interface MinorRelease {
  /** `1.34` */
  minor: string;
  releaseDate?: string;
  /** Last day of upstream support, `YYYY-MM-DD`. */
  endOfLife: string;
  /** The last patch of a minor past end of life, when known even if its date is not. */
  finalPatch?: string;
  patches: PatchRelease[];
}

export interface ReleaseTable {
  /** Where the facts come from (shown in evidence). */
  source: string;
  /**
   * The newest day the table is known to be complete for (`YYYY-MM-DD`); patches released later
   * are unknown to it. Defaults to the newest patch date in the table.
   */
  asOf?: string;
  minors: MinorRelease[];
}

export const BUNDLED_RELEASES: ReleaseTable = BUNDLED_RELEASE_TABLE;

export class ReleaseTableError extends Error {
  readonly code = 'ERR_RELEASE_TABLE';
}

export const MINOR = /^1\.\d{1,3}$/;
export const PATCH = /^1\.\d{1,3}\.\d{1,4}$/;
const MAX_TABLE_CHARS = 2_000_000;

/**
 * Parse an operator-supplied release table (YAML or JSON, same shape as ReleaseTable).
 * Every error names `origin` and the key, so a bad table is fixed without reading code.
 */
export function parseReleaseTable(text: string, origin: string): ReleaseTable {
  const fail = (key: string, problem: string): never => {
    throw new ReleaseTableError(`${origin}: ${key}: ${problem}`);
  };
  if (text.length > MAX_TABLE_CHARS) fail('(document)', `larger than ${MAX_TABLE_CHARS} characters`);
  // Our own format, not a Kubernetes file: the core schema keeps an unquoted 2026-10-27 a string
  // (YAML 1.1 would make it a timestamp).
  const read = readYaml(text, { schema: 'core', duplicateKeys: 'refuse', maxAliases: 100 });
  if (!read.ok) return fail('(document)', read.problem);
  const doc = read.value;
  if (!isRecord(doc)) return fail('(document)', 'must be a mapping with "source" and "minors"');
  const known = new Set(['source', 'asOf', 'minors']);
  for (const key of Object.keys(doc)) if (!known.has(key)) fail(key, 'unknown key');
  const source = doc.source;
  if (typeof source !== 'string' || source === '') fail('source', 'must be a non-empty string');
  const asOf = doc.asOf;
  if (asOf !== undefined && !isDate(asOf)) fail('asOf', 'must be a date YYYY-MM-DD');
  if (!Array.isArray(doc.minors) || doc.minors.length === 0) return fail('minors', 'must be a non-empty list');

  const minors: MinorRelease[] = [];
  const seen = new Set<string>();
  doc.minors.forEach((entry: unknown, i: number) => {
    const at = `minors[${i}]`;
    if (!isRecord(entry)) return fail(at, 'must be a mapping');
    const allowed = new Set(['minor', 'releaseDate', 'endOfLife', 'finalPatch', 'patches']);
    for (const key of Object.keys(entry)) if (!allowed.has(key)) fail(`${at}.${key}`, 'unknown key');
    const minor = typeof entry.minor === 'number' ? undefined : entry.minor;
    // A YAML `minor: 1.30` is the number 1.3: demand quotes rather than guess.
    if (typeof minor !== 'string' || !MINOR.test(minor))
      return fail(`${at}.minor`, 'must be a quoted string like "1.34"');
    if (seen.has(minor)) fail(`${at}.minor`, `"${minor}" listed twice`);
    seen.add(minor);
    if (!isDate(entry.endOfLife)) fail(`${at}.endOfLife`, 'must be a date YYYY-MM-DD');
    if (entry.releaseDate !== undefined && !isDate(entry.releaseDate))
      fail(`${at}.releaseDate`, 'must be a date YYYY-MM-DD');
    if (
      entry.finalPatch !== undefined &&
      !(typeof entry.finalPatch === 'string' && PATCH.test(entry.finalPatch) && minorOf(entry.finalPatch) === minor)
    ) {
      fail(`${at}.finalPatch`, `must be a patch version of ${minor} like "${minor}.3"`);
    }
    const rawPatches = entry.patches ?? [];
    if (!Array.isArray(rawPatches)) return fail(`${at}.patches`, 'must be a list');
    const patchList: PatchRelease[] = rawPatches.map((p: unknown, j: number) => {
      const pat = `${at}.patches[${j}]`;
      if (!isRecord(p)) return fail(pat, 'must be a mapping with version and date');
      if (
        typeof p.version !== 'string' ||
        !PATCH.test(p.version.replace(/^v/, '')) ||
        minorOf(p.version.replace(/^v/, '')) !== minor
      ) {
        return fail(`${pat}.version`, `must be a patch version of ${minor} like "${minor}.3"`);
      }
      if (!isDate(p.date)) return fail(`${pat}.date`, 'must be a date YYYY-MM-DD');
      return { version: p.version.replace(/^v/, ''), date: p.date };
    });
    minors.push({
      minor,
      endOfLife: entry.endOfLife as string,
      patches: patchList,
      ...(entry.releaseDate !== undefined && { releaseDate: entry.releaseDate as string }),
      ...(entry.finalPatch !== undefined && { finalPatch: entry.finalPatch as string }),
    });
  });
  return { source: source as string, minors, ...(asOf !== undefined && { asOf: asOf as string }) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A calendar date `YYYY-MM-DD` that exists: Date.parse refuses month 13 but rolls 2026-02-30 over
 * to March 2, so the parsed day must print back as written.
 */
export function isDate(v: unknown): v is string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const time = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === v;
}

function minorOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** The newest day the table covers: `asOf`, else its newest patch date. */
export function tableAsOf(table: ReleaseTable): string | undefined {
  if (table.asOf) return table.asOf;
  let newest: string | undefined;
  for (const m of table.minors) for (const p of m.patches) if (!newest || p.date > newest) newest = p.date;
  return newest;
}

/** The table's entry for a minor, or undefined. */
export function minorRelease(table: ReleaseTable, minor: string): MinorRelease | undefined {
  return table.minors.find((m) => m.minor === minor);
}

const DAY_MS = 86_400_000;

/** Start of the day after `date` (UTC): a release supported "until 2026-10-27" is past end of life from 2026-10-28T00:00Z. */
export function endOfDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS);
}

/** Whole days from `date` (start of day, UTC) to `now`. */
export function daysSince(date: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(`${date}T00:00:00Z`)) / DAY_MS);
}

/** Numeric order of `1.34`-style minors. */
export function compareMinors(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am! !== bm! ? am! - bm! : an! - bn!;
}
