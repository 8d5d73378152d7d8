// Where the journal files of a host are, and which boot is the current one.
// journald writes `/var/log/journal/<machine-id>/` when the journal is persistent and
// `/run/log/journal/<machine-id>/` otherwise; the active file is `system.journal`, rotated ones are
// `system@<seqnum-id>-<seqnum>-<realtime>.journal`, files found dirty at start-up are renamed
// `…journal~`, and with SplitMode=uid (the default) entries of processes running under a
// non-system uid go to `user-<uid>.journal` (systemd-journald.service(8), journald.conf(5)).
import fs from 'node:fs';
import { errnoCode, locate, readTextFile, type FileRoot } from '../files.js';

const ID128 = /^[0-9a-f]{32}$/;
/** More files than journald keeps by default (SystemMaxFiles=100) in both directories together. */
export const MAX_JOURNAL_FILES = 512;
const MAX_MACHINE_DIRS = 16;

export const JOURNAL_DIRS = ['/var/log/journal', '/run/log/journal'] as const;

export interface JournalFileRef {
  /** The path as seen on the audited host, e.g. /var/log/journal/<machine-id>/system.journal. */
  path: string;
  hostPath: string;
  mtimeMs: number;
}

/** A 128-bit id as systemd prints it in files (`boot_id` has dashes, `machine-id` none), or undefined. */
export function normalizeId128(text: string): string | undefined {
  const id = text.trim().toLowerCase().replaceAll('-', '');
  return ID128.test(id) ? id : undefined;
}

export function readBootId(proc: string, notes: string[]): string | undefined {
  const file = readTextFile({ dir: proc, description: `under ${proc}` }, '/sys/kernel/random/boot_id', 4096);
  if (!file.ok) {
    notes.push(`The current boot id is unknown: ${file.detail}.`);
    return undefined;
  }
  const id = normalizeId128(file.content);
  if (id === undefined)
    notes.push(`The current boot id is unknown: ${proc}/sys/kernel/random/boot_id does not hold a 128-bit id.`);
  return id;
}

function listDir(root: FileRoot, dir: string): { hostPath: string; names: string[] } | undefined {
  const located = locate(root, dir);
  if (!located.ok || !located.stat.isDirectory()) return undefined;
  try {
    return { hostPath: located.hostPath, names: fs.readdirSync(located.hostPath) };
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * The machine ids whose journal directories to read: the one in /etc/machine-id, or, when that is
 * missing or malformed, every id-named directory (an image may have lost or reset its machine-id).
 */
export function journalMachineIds(root: FileRoot, notes: string[]): string[] {
  const file = readTextFile(root, '/etc/machine-id', 4096);
  const id = file.ok ? normalizeId128(file.content) : undefined;
  if (id !== undefined) return [id];
  notes.push(
    `${file.ok ? '/etc/machine-id does not hold a 128-bit id' : file.detail}; reading every machine directory of the journal.`,
  );
  const ids = new Set<string>();
  for (const dir of JOURNAL_DIRS) {
    for (const name of listDir(root, dir)?.names ?? []) if (ID128.test(name)) ids.add(name);
  }
  return [...ids].sort().slice(0, MAX_MACHINE_DIRS);
}

/** Journal files (active, archived, dirty, user) of the given machines, newest first when bounded. */
export function listJournalFiles(root: FileRoot, machineIds: readonly string[], notes: string[]): JournalFileRef[] {
  const files: JournalFileRef[] = [];
  for (const base of JOURNAL_DIRS) {
    for (const id of machineIds) {
      const dir = `${base}/${id}`;
      const listing = listDir(root, dir);
      if (listing === undefined) continue;
      for (const name of listing.names) {
        if (!name.endsWith('.journal') && !name.endsWith('.journal~')) continue;
        const hostPath = `${listing.hostPath}/${name}`;
        let stat: fs.Stats;
        try {
          stat = fs.lstatSync(hostPath);
        } catch (error) {
          if (errnoCode(error) === 'ENOENT') continue; // rotated away or vacuumed meanwhile
          throw error;
        }
        if (stat.isFile()) files.push({ path: `${dir}/${name}`, hostPath, mtimeMs: stat.mtimeMs });
      }
    }
  }
  if (files.length > MAX_JOURNAL_FILES) {
    notes.push(`${files.length} journal files found; only the ${MAX_JOURNAL_FILES} most recently modified are read.`);
    files.sort((a, b) => b.mtimeMs - a.mtimeMs);
    files.length = MAX_JOURNAL_FILES;
  }
  return files;
}
