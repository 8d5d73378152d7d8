// Kubernetes release data in the endoflife.date format, merged into our release table.
//
// Format read (https://endoflife.date/docs/api, product "kubernetes", v0 API
// https://endoflife.date/api/kubernetes.json): a JSON array, one object per minor release:
//   {"cycle": "1.34", "releaseDate": "2025-08-27", "eol": "2026-10-27",
//    "latest": "1.34.2", "latestReleaseDate": "2025-11-11", ...}
// Only these five fields are read; others (`support`, `lts`, `link`, …) are ignored, so the API may
// add fields without breaking us. It names the newest patch of each minor and its date, not the
// history, so the merge keeps every patch the table already knew (bundled or fetched before): a
// daemon that refreshes daily collects each patch with its date.
import { MINOR, PATCH, isDate, type MinorRelease, type PatchRelease, type ReleaseTable } from './release-table.js';

export const ENDOFLIFE_KUBERNETES_URL = 'https://endoflife.date/api/kubernetes.json';

/** One minor as endoflife.date describes it, validated. */
export interface EndOfLifeCycle {
  cycle: string;
  releaseDate: string;
  eol: string;
  latest: string;
  latestReleaseDate: string;
}

export class EndOfLifeError extends Error {
  readonly code = 'ERR_ENDOFLIFE';
}

/** Kubernetes has had about 40 minors; a document with thousands is not release data. */
const MAX_CYCLES = 500;

/** Parse and validate the JSON text; every problem names `origin` and the entry (`[3].eol`). */
export function parseEndOfLife(text: string, origin: string): EndOfLifeCycle[] {
  const fail = (at: string, problem: string): never => {
    throw new EndOfLifeError(at === '' ? `${origin}: ${problem}` : `${origin}: ${at}: ${problem}`);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return fail('', `is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!Array.isArray(doc)) return fail('', 'must be a JSON array of release cycles');
  if (doc.length === 0) return fail('', 'lists no release cycle');
  if (doc.length > MAX_CYCLES) return fail('', `lists ${doc.length} release cycles, more than ${MAX_CYCLES}`);
  const seen = new Set<string>();
  return doc.map((entry: unknown, i) => {
    const at = `[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return fail(at, 'must be an object');
    const e = entry as Record<string, unknown>;
    if (typeof e.cycle !== 'string' || !MINOR.test(e.cycle))
      return fail(`${at}.cycle`, `must be a minor release like "1.34", got ${JSON.stringify(e.cycle)}`);
    if (seen.has(e.cycle)) fail(`${at}.cycle`, `"${e.cycle}" listed twice`);
    seen.add(e.cycle);
    for (const key of ['releaseDate', 'eol', 'latestReleaseDate'] as const) {
      if (!isDate(e[key])) fail(`${at}.${key}`, `must be a date YYYY-MM-DD, got ${JSON.stringify(e[key])}`);
    }
    if (typeof e.latest !== 'string' || !PATCH.test(e.latest) || !e.latest.startsWith(`${e.cycle}.`)) {
      fail(
        `${at}.latest`,
        `must be a patch release of ${e.cycle} like "${e.cycle}.3", got ${JSON.stringify(e.latest)}`,
      );
    }
    return {
      cycle: e.cycle,
      releaseDate: e.releaseDate as string,
      eol: e.eol as string,
      latest: e.latest as string,
      latestReleaseDate: e.latestReleaseDate as string,
    };
  });
}

const patchNumber = (version: string): number => Number(version.split('.')[2]);

/** Every minor of both tables; for a minor in both, the union of their patches (`a`'s entry wins a tie). */
export function unionTables(a: ReleaseTable, b: ReleaseTable): MinorRelease[] {
  const minors = new Map<string, MinorRelease>();
  for (const m of [...a.minors, ...b.minors]) {
    const known = minors.get(m.minor);
    if (!known) {
      minors.set(m.minor, { ...m, patches: [...m.patches] });
      continue;
    }
    const versions = new Set(known.patches.map((p) => p.version));
    known.patches.push(...m.patches.filter((p) => !versions.has(p.version)));
    if (known.releaseDate === undefined && m.releaseDate !== undefined) known.releaseDate = m.releaseDate;
    if (known.finalPatch === undefined && m.finalPatch !== undefined) known.finalPatch = m.finalPatch;
  }
  return [...minors.values()];
}

/**
 * Why `cycles` is older than what `base` already knows (a stale mirror or cache answered), or
 * undefined: its newest patch of some minor predates a patch the table has for that minor.
 */
export function staleProblem(cycles: readonly EndOfLifeCycle[], base: ReleaseTable): string | undefined {
  for (const c of cycles) {
    const known = base.minors.find((m) => m.minor === c.cycle);
    const newest = known?.patches.reduce<PatchRelease | undefined>(
      (max, p) => (!max || patchNumber(p.version) > patchNumber(max.version) ? p : max),
      undefined,
    );
    if (newest && patchNumber(newest.version) > patchNumber(c.latest)) {
      return `says the newest patch of ${c.cycle} is ${c.latest}, but ${newest.version} was released ${newest.date}: the answer is out of date`;
    }
  }
  return undefined;
}

/**
 * The release table after a fetch on `fetchedOn` (YYYY-MM-DD): `base`'s minors and patches, each
 * fetched minor's release and end-of-life dates, its newest patch with its date, and for a minor
 * past end of life that patch as `finalPatch`. `asOf` becomes the fetch day: the answer named the
 * newest patch of every minor as of then.
 */
export function mergeEndOfLife(
  base: ReleaseTable,
  cycles: readonly EndOfLifeCycle[],
  fetchedOn: string,
  origin: string,
): ReleaseTable {
  const minors = new Map(unionTables(base, { source: '', minors: [] }).map((m) => [m.minor, m]));
  for (const c of cycles) {
    const known = minors.get(c.cycle);
    const patches = [...(known?.patches ?? [])];
    if (!patches.some((p) => p.version === c.latest)) patches.push({ version: c.latest, date: c.latestReleaseDate });
    patches.sort((x, y) => patchNumber(y.version) - patchNumber(x.version));
    const pastEndOfLife = c.eol < fetchedOn;
    minors.set(c.cycle, {
      minor: c.cycle,
      releaseDate: c.releaseDate,
      endOfLife: c.eol,
      ...(pastEndOfLife
        ? { finalPatch: c.latest }
        : known?.finalPatch !== undefined && { finalPatch: known.finalPatch }),
      patches,
    });
  }
  const ordered = [...minors.values()].sort((x, y) => Number(y.minor.split('.')[1]) - Number(x.minor.split('.')[1]));
  return {
    source: `${origin} (endoflife.date format) fetched ${fetchedOn}, with the patches of the bundled table and earlier fetches`,
    asOf: fetchedOn,
    minors: ordered,
  };
}
