// Entries of the journal files of one boot, reached through the field index (a DATA object such
// as `_PID=<pid>` lists its entries): one file open at a time, a file replaced meanwhile noticed,
// and every format or I/O failure a note naming the file. Used by journal/k3s.ts.
import { JournalFile, JournalFormatError, UnsupportedCompressionError, type JournalEntry } from './journal-file.js';
import type { JournalFileRef } from './locate.js';
import { errnoCode } from '../files.js';

const FIELD_CACHE_MAX = 100_000;

export interface OpenFile {
  ref: JournalFileRef;
  journal: JournalFile;
  /** DATA offset → field name, for items shared by many entries (_PID, _COMM, _SYSTEMD_UNIT …). */
  fields: Map<number, string>;
}

/** A file that holds entries of this boot, known by its id so that a rotation meanwhile is noticed. */
export interface Candidate {
  ref: JournalFileRef;
  fileId: Buffer;
  headEntryRealtime: number;
}

function failureText(error: unknown): string | undefined {
  if (error instanceof JournalFormatError) return error.message;
  const code = errnoCode(error);
  if (code === 'ENOENT') return 'vanished while it was read (rotated or vacuumed)';
  if (code === 'EACCES' || code === 'EPERM') return 'is not readable (permission denied)';
  if (code === 'ELOOP') return 'is a symbolic link';
  if (code === 'EIO') return 'could not be read (I/O error)';
  return undefined;
}

/** Runs `read` on one file; a format or known I/O error becomes a note naming the file. */
export function guarded<T>(file: string, notes: string[], read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    const why = failureText(error);
    if (why === undefined) throw error;
    notes.push(`Journal file ${file}: ${why}.`);
    return undefined;
  }
}

/**
 * Opens a candidate for one pass and closes it after: one file is open at a time, so memory stays
 * one page cache whatever the number of files.
 */
export function withFile<T>(candidate: Candidate, notes: string[], read: (file: OpenFile) => T): T | undefined {
  return guarded(candidate.ref.path, notes, () => {
    const journal = JournalFile.open(candidate.ref.hostPath);
    try {
      if (!journal.header.fileId.equals(candidate.fileId))
        throw new JournalFormatError('was replaced while it was read (rotated)');
      return read({ ref: candidate.ref, journal, fields: new Map() });
    } finally {
      journal.close();
    }
  });
}

/**
 * The field name of the DATA object at `offset` ('' when it cannot be read). One unreadable object
 * (xz or lz4 compression, a corrupt zstd frame, a bad item offset) costs that item, not the file.
 */
export function fieldName(file: OpenFile, offset: number, notes: string[]): string {
  const cached = file.fields.get(offset);
  if (cached !== undefined) return cached;
  let name: string;
  try {
    const data = file.journal.readData(offset);
    // An uncompressed payload names its field in its first bytes; a compressed one must be inflated.
    const head =
      data.flags === 0
        ? file.journal.payload({ ...data, payloadSize: Math.min(data.payloadSize, 128) })
        : file.journal.payload(data);
    const eq = head.indexOf(0x3d);
    name = eq < 0 ? '' : head.subarray(0, eq).toString('latin1');
  } catch (error) {
    if (!(error instanceof JournalFormatError)) throw error;
    if (!notes.some((n) => n.startsWith(`Journal file ${file.ref.path}: some DATA objects`))) {
      const kind = error instanceof UnsupportedCompressionError ? 'unsupported compression' : 'corrupt';
      notes.push(`Journal file ${file.ref.path}: some DATA objects are unreadable (${kind}; first: ${error.message}).`);
    }
    name = '';
  }
  if (file.fields.size >= FIELD_CACHE_MAX) file.fields.clear();
  file.fields.set(offset, name);
  return name;
}

/** The value of the first item of `field` in an entry, or undefined. */
export function fieldValue(file: OpenFile, entry: JournalEntry, field: string, notes: string[]): string | undefined {
  for (const item of entry.items) {
    if (fieldName(file, item, notes) !== field) continue;
    return file.journal
      .payload(file.journal.readData(item))
      .subarray(field.length + 1)
      .toString('latin1');
  }
  return undefined;
}

/**
 * The _SYSTEMD_INVOCATION_ID of the newest entry of `pid` in this boot (systemd gives every start
 * of a unit a new one, systemd.exec(5) "$INVOCATION_ID"; journald records it on each entry).
 * When it equals the invocation of the start line found first, no later start of the same pid
 * exists and the scan may stop early; when the pid was reused by a later start, it differs.
 */
export function newestInvocation(
  files: readonly Candidate[],
  bootId: string,
  pid: number,
  notes: string[],
): string | undefined {
  for (const candidate of [...files].reverse()) {
    const found = withFile(candidate, notes, (file) => {
      const pidData = file.journal.findData(Buffer.from(`_PID=${pid}`));
      const last = pidData === undefined ? undefined : file.journal.lastEntryOffset(pidData);
      if (last === undefined) return undefined;
      const entry = file.journal.readEntry(last);
      return entry.bootId === bootId
        ? { invocation: fieldValue(file, entry, '_SYSTEMD_INVOCATION_ID', notes) }
        : undefined;
    });
    if (found !== undefined) return found.invocation;
  }
  return undefined;
}

/** The pid of the units' newest entry of this boot, over all files. */
export function inferPid(
  files: readonly Candidate[],
  units: readonly string[],
  bootId: string,
  notes: string[],
): number | undefined {
  let best: { realtime: number; pid: number } | undefined;
  for (const candidate of files) {
    withFile(candidate, notes, (file) => {
      for (const unit of units) {
        const data = file.journal.findData(Buffer.from(`_SYSTEMD_UNIT=${unit}`));
        const last = data === undefined ? undefined : file.journal.lastEntryOffset(data);
        if (last === undefined) continue;
        const entry = file.journal.readEntry(last);
        if (entry.bootId !== bootId || (best !== undefined && entry.realtime <= best.realtime)) continue;
        const pid = Number(fieldValue(file, entry, '_PID', notes));
        if (Number.isSafeInteger(pid) && pid > 0) best = { realtime: entry.realtime, pid };
      }
    });
  }
  return best?.pid;
}
