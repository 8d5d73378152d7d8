// Keeping the release table fresh: fetch release data (endoflife.date format) from `releases.url`,
// validate it, merge it over what we know, and cache it atomically in `releases.file`. Used by
// `scs-node-audit releases update` and by the daemon (at most once a day). Any failure keeps the
// last good copy and says so in a note; it never stops an audit.
import { statSync } from 'node:fs';
import { httpGet, RELEASE_FETCH_MAX_BYTES, RELEASE_FETCH_TIMEOUT_MS, type HttpGetResult } from './collect/http-get.js';
import { readOperatorFile } from './collect/files.js';
import { MAX_CONFIG_BYTES } from './config.js';
import { mergeEndOfLife, parseEndOfLife, staleProblem, unionTables } from './resolve/endoflife.js';
import { BUNDLED_RELEASES, parseReleaseTable, tableAsOf, type ReleaseTable } from './resolve/release-table.js';

export const REFRESH_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface RefreshOptions {
  url: string;
  /** The cache: read as the last good copy, replaced atomically after a good fetch. */
  file: string;
  now: Date;
  /** Writes `text` to `file` atomically (command-line's writeFileAtomic). */
  write: (file: string, text: string) => void;
  /** The HTTP GET; tests may pass their own, the default is bounded httpGet. */
  get?: (url: string) => Promise<HttpGetResult>;
  userAgent: string;
}

export interface RefreshOutcome {
  /** The table to audit with: the new one, else the last good copy, else the bundled one. */
  table: ReleaseTable;
  updated: boolean;
  notes: string[];
}

/** The cached table in `file`, or why there is none (a missing file is no problem, just absent). */
export function readCachedTable(file: string): { table?: ReleaseTable; problem?: string } {
  const read = readOperatorFile(file, MAX_CONFIG_BYTES);
  if (!read.ok) return read.missing ? {} : { problem: `${file}: ${read.reason}` };
  try {
    return { table: parseReleaseTable(read.text, file) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

export async function refreshReleaseTable(options: RefreshOptions): Promise<RefreshOutcome> {
  const cached = readCachedTable(options.file);
  const fallback = cached.table ?? BUNDLED_RELEASES;
  const fallbackWords = cached.table
    ? `the last good copy in ${options.file} (as of ${tableAsOf(cached.table) ?? 'unknown'})`
    : 'the bundled release table';
  const giveUp = (problem: string): RefreshOutcome => ({
    table: fallback,
    updated: false,
    notes: [
      `release table not refreshed: releases.url ${options.url}: ${problem}; using ${fallbackWords}`,
      ...(cached.problem ? [`releases.file: ${cached.problem}`] : []),
    ],
  });

  const get =
    options.get ??
    ((url: string) =>
      httpGet(url, {
        timeoutMs: RELEASE_FETCH_TIMEOUT_MS,
        maxBytes: RELEASE_FETCH_MAX_BYTES,
        userAgent: options.userAgent,
      }));
  const answer = await get(options.url);
  if (!answer.ok) return giveUp(answer.reason);
  let cycles;
  try {
    cycles = parseEndOfLife(answer.text, options.url);
  } catch (error) {
    return giveUp(error instanceof Error ? error.message.replace(`${options.url}: `, '') : String(error));
  }
  const base: ReleaseTable = { source: BUNDLED_RELEASES.source, minors: unionTables(fallback, BUNDLED_RELEASES) };
  const stale = staleProblem(cycles, base);
  if (stale) return giveUp(stale);

  const fetchedOn = options.now.toISOString().slice(0, 10);
  const merged = mergeEndOfLife(base, cycles, fetchedOn, options.url);
  const text = `${JSON.stringify(merged, null, 2)}\n`;
  try {
    // What we write must be what `releases.file` accepts: parse it back before replacing the cache.
    parseReleaseTable(text, options.file);
  } catch (error) {
    return giveUp(`the merged table is invalid: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    options.write(options.file, text);
  } catch (error) {
    return {
      table: merged,
      updated: false,
      notes: [
        `releases.file ${options.file}: fetched release data, but cannot cache it: ${error instanceof Error ? error.message : String(error)}`,
      ],
    };
  }
  return { table: merged, updated: true, notes: [] };
}

/**
 * The daemon's view: refresh when the cache is a day old (by its mtime, so a restart does not
 * refetch) and at most once a day after that, successful or not; between refreshes, the last
 * outcome (and its notes) stands.
 */
export function createReleaseRefresher(
  options: Omit<RefreshOptions, 'now'>,
): (now: Date, loaded: ReleaseTable) => Promise<{ table: ReleaseTable; notes: string[] }> {
  let lastAttemptMs = cacheMtimeMs(options.file);
  let last: { table: ReleaseTable; notes: string[] } | undefined;
  return async (now, loaded) => {
    if (now.getTime() - lastAttemptMs >= REFRESH_INTERVAL_MS) {
      lastAttemptMs = now.getTime();
      const outcome = await refreshReleaseTable({ ...options, now });
      last = { table: outcome.table, notes: outcome.notes };
    }
    return last ?? { table: loaded, notes: [] };
  };
}

function cacheMtimeMs(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return Number.NEGATIVE_INFINITY;
  }
}
