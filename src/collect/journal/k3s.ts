// The command lines k3s logged for its embedded components, read from the binary journal by the
// field index: the DATA object `_PID=<pid>` (found through the data hash table) lists every entry
// of that process, oldest first; of those we keep the entries of this boot (the entry's boot id)
// and of the k3s unit (`_SYSTEMD_UNIT=<unit>` among its items), and read their MESSAGE only.
// k3s logs each command line once per start, right after `Starting k3s …`, so the scan of a
// process stops soon after its start lines; a long-running k3s's later log is never read.
// Opening the files and reaching entries through the field index is in journal/entries.ts.
import { JournalFile, MAX_PAYLOAD_BYTES, type JournalEntry } from './journal-file.js';
import {
  fieldName,
  fieldValue,
  guarded,
  inferPid,
  newestInvocation,
  withFile,
  type Candidate,
  type OpenFile,
} from './entries.js';
import { parseK3sMessage, type K3sComponent, type K3sLine } from './k3s-message.js';
import { journalMachineIds, listJournalFiles, normalizeId128, readBootId } from './locate.js';
import type { FileRoot } from '../files.js';

export interface K3sCommandLine {
  argv: string[];
  /** Wall-clock time of the entry, microseconds since the epoch (exact as a number until year 2255). */
  realtime: number;
  pid: number;
  /** The journal file it came from, as a path on the audited host. */
  file: string;
  unit: string;
  /** Flags whose value held a space: k3s's log line cannot show where such a value ends for sure. */
  ambiguous: string[];
}

export interface K3sJournalRead {
  /** e.g. `v1.33.4+k3s1`, from `Starting k3s v1.33.4+k3s1 (…)` of the same process. */
  version?: string;
  role?: 'server' | 'agent';
  /** The process whose lines were taken (given, or inferred from the unit's newest entry). */
  pid?: number;
  bootId?: string;
  commandLines: Partial<Record<K3sComponent, K3sCommandLine>>;
  /** Journal files that hold entries of this boot, as paths on the audited host. */
  files: string[];
  notes: string[];
}

export interface K3sJournalOptions {
  /** The audited root (`/` or a mounted image). */
  root: string;
  /** The proc directory of the audited host. */
  proc: string;
  /** Units whose entries count, e.g. ['k3s.service', 'k3s-agent.service']. */
  units: string[];
  /** The running k3s process; when absent, the pid of the units' newest entry of this boot. */
  pid?: number;
  /** The current boot (with or without dashes); when absent, `<proc>/sys/kernel/random/boot_id`. */
  bootId?: string;
}

/** Entries of one process read at most, over all files: bounded time on a huge journal. */
export const MAX_SCANNED_ENTRIES = 200_000;
/**
 * After the expected lines are found, entries of the process still read for a straggling
 * cloud-controller-manager line (k3s starts it once the apiserver is ready; --disable-cloud-controller
 * leaves it out). A server that logged it, and an agent, stop at once.
 */
const GRACE_ENTRIES = 200;
/**
 * k3s logs its components' command lines within moments of its start line (the kubelet once the
 * apiserver answers). A server with --disable-kube-proxy (Cilium) or --disable-agent never logs the
 * full set, so the scan also ends this long after the start line rather than reading every later
 * line of a long-running k3s.
 */
export const START_WINDOW_US = 30 * 60 * 1_000_000;

// The lines each role logs on every start (k3s-io/k3s:pkg/daemons/control/server.go,
// pkg/daemons/agent/agent*.go); options like --disable-kube-proxy leave one out, then the scan runs to its bound.
const EXPECTED: Record<'server' | 'agent', readonly K3sComponent[]> = {
  server: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy'],
  agent: ['kubelet', 'kube-proxy'],
};

const MESSAGE_PREFIX = Buffer.from('MESSAGE=');
const NEEDLES = [Buffer.from('Running '), Buffer.from('Starting k3s')];

/** The MESSAGE of an entry if it is one of ours; cheap rejection by bytes first, then the payload's hash checked. */
function k3sLineOf(file: OpenFile, entry: JournalEntry, notes: string[]): K3sLine | undefined {
  for (const item of entry.items) {
    if (fieldName(file, item, notes) !== 'MESSAGE') continue;
    const data = file.journal.readData(item);
    const payload = file.journal.payload(data, MAX_PAYLOAD_BYTES);
    if (!payload.subarray(0, MESSAGE_PREFIX.length).equals(MESSAGE_PREFIX)) return undefined;
    if (!NEEDLES.some((needle) => payload.includes(needle))) return undefined;
    const line = parseK3sMessage(payload.subarray(MESSAGE_PREFIX.length).toString('utf8'));
    // A line that decides a verdict must be the bytes journald wrote: a torn or flipped payload
    // no longer matches its stored hash (JOURNAL_FILE_FORMAT.md "Concurrency").
    if (line !== undefined && !file.journal.verify(data, payload)) {
      notes.push(
        `Journal file ${file.ref.path}: the MESSAGE at offset ${item} does not match its hash (corrupt); it is ignored.`,
      );
      return undefined;
    }
    return line;
  }
  return undefined;
}

export function readK3sCommandLines(opts: K3sJournalOptions): K3sJournalRead {
  const notes: string[] = [];
  const result: K3sJournalRead = { commandLines: {}, files: [], notes };
  const bootId = opts.bootId === undefined ? readBootId(opts.proc, notes) : normalizeId128(opts.bootId);
  if (bootId === undefined) {
    if (opts.bootId !== undefined) notes.push(`The boot id ${JSON.stringify(opts.bootId)} is not a 128-bit id.`);
    notes.push('Without the current boot id no journal line can be tied to the running k3s; none is taken.');
    return result;
  }
  result.bootId = bootId;
  const root: FileRoot = { dir: opts.root, description: `under ${opts.root}` };
  const refs = listJournalFiles(root, journalMachineIds(root, notes), notes);
  if (refs.length === 0) {
    notes.push(`No journal files under ${opts.root}/var/log/journal or ${opts.root}/run/log/journal.`);
    return result;
  }

  // A file without a single entry of this boot is left at once: one hash lookup.
  const bootNeedle = Buffer.from(`_BOOT_ID=${bootId}`);
  const candidates: Candidate[] = [];
  for (const ref of refs) {
    const found = guarded(ref.path, notes, () => {
      const journal = JournalFile.open(ref.hostPath);
      try {
        const { fileId, headEntryRealtime } = journal.header;
        return journal.findData(bootNeedle) === undefined ? undefined : { ref, fileId, headEntryRealtime };
      } finally {
        journal.close();
      }
    });
    if (found !== undefined) candidates.push(found);
  }
  // Oldest first, so a process's start lines come before its later ones.
  candidates.sort((a, b) => a.headEntryRealtime - b.headEntryRealtime || (a.ref.path < b.ref.path ? -1 : 1));
  result.files = candidates.map((c) => c.ref.path);
  if (candidates.length === 0) {
    notes.push(`None of ${refs.length} journal files holds entries of the current boot ${bootId}.`);
    return result;
  }

  const pid = opts.pid ?? inferPid(candidates, opts.units, bootId, notes);
  if (pid === undefined) {
    notes.push(`No entry of ${opts.units.join(', ')} in the current boot: the pid of the running k3s is unknown.`);
    return result;
  }
  if (opts.pid === undefined)
    notes.push(`The k3s pid ${pid} is inferred from the newest entry of ${opts.units.join(', ')} in this boot.`);
  result.pid = pid;
  scanProcess(candidates, opts.units, bootId, pid, result);
  if (Object.keys(result.commandLines).length === 0) {
    notes.push(
      `No "Running <component> …" line of k3s pid ${pid} in this boot in ${result.files.length} journal file(s) (journal vacuumed, rotated away or volatile?).`,
    );
  }
  return result;
}

function scanProcess(
  files: readonly Candidate[],
  units: readonly string[],
  bootId: string,
  pid: number,
  result: K3sJournalRead,
): void {
  const { notes } = result;
  let scanned = 0;
  let graceLeft: number | undefined;
  const newest = newestInvocation(files, bootId, pid, notes);
  let startInvocation: string | undefined;
  let startRealtime: number | undefined;
  const complete = (): boolean => {
    const expected = result.role === undefined ? undefined : EXPECTED[result.role];
    return expected !== undefined && expected.every((c) => result.commandLines[c] !== undefined);
  };
  for (const candidate of files) {
    const stop = withFile(candidate, notes, (file) => {
      const pidData = file.journal.findData(Buffer.from(`_PID=${pid}`));
      if (pidData === undefined) return false;
      const unitOffsets = new Map<number, string>();
      for (const unit of units) {
        const data = file.journal.findData(Buffer.from(`_SYSTEMD_UNIT=${unit}`));
        if (data !== undefined) unitOffsets.set(data.offset, unit);
      }
      if (unitOffsets.size === 0) return false;
      for (const offset of file.journal.entryOffsets(pidData)) {
        if (scanned >= MAX_SCANNED_ENTRIES) {
          notes.push(`Stopped after ${MAX_SCANNED_ENTRIES} journal entries of pid ${pid}; later lines were not read.`);
          return true;
        }
        scanned += 1;
        if (graceLeft !== undefined && --graceLeft <= 0) return true;
        const entry = file.journal.readEntry(offset);
        if (entry.bootId !== bootId) continue;
        if (
          startRealtime !== undefined &&
          entry.realtime > startRealtime + START_WINDOW_US &&
          startInvocation === newest
        ) {
          if (!complete())
            notes.push(
              `Stopped reading pid ${pid} ${START_WINDOW_US / 60_000_000} minutes after its "Starting k3s" line; components not logged by then are taken as not started by k3s.`,
            );
          return true;
        }
        // The entry must carry both DATA objects we came by: a corrupt chain may point elsewhere.
        if (!entry.items.includes(pidData.offset)) continue;
        const unit = entry.items.map((i) => unitOffsets.get(i)).find((u) => u !== undefined);
        if (unit === undefined) continue;
        const line = k3sLineOf(file, entry, notes);
        if (line === undefined) continue;
        if (line.kind === 'start') {
          // A second start of the same pid in the same boot is a new process that reused the pid:
          // what the earlier one logged no longer describes the running one.
          if (result.version !== undefined) {
            result.commandLines = {};
            graceLeft = undefined;
          }
          result.version = line.version;
          result.role = line.role;
          startInvocation = fieldValue(file, entry, '_SYSTEMD_INVOCATION_ID', notes);
          startRealtime = entry.realtime;
          continue;
        }
        result.commandLines[line.component] = {
          argv: line.argv,
          realtime: entry.realtime,
          pid,
          file: file.ref.path,
          unit,
          ambiguous: line.ambiguous,
        };
        if (line.ambiguous.length > 0) {
          notes.push(
            `${line.component}: the value of ${line.ambiguous.join(', ')} contains a space; k3s logs arguments joined by spaces, so where it ends is inferred from the next "--".`,
          );
        }
        // Stop early only when this start is the newest one of the pid (same invocation as its newest entry).
        if (graceLeft === undefined && startInvocation === newest && complete()) {
          if (result.role === 'agent' || result.commandLines['cloud-controller-manager'] !== undefined) return true;
          graceLeft = GRACE_ENTRIES;
        }
      }
      return false;
    });
    if (stop === true) break;
  }
  if (result.version === undefined)
    notes.push(`No "Starting k3s …" line of pid ${pid} in this boot: the k3s version is not known from the journal.`);
}
