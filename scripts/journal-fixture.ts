// Writes genuine journal files with systemd's own writer: entries in the Journal Export Format
// (https://systemd.io/JOURNAL_EXPORT_FORMATS/) piped into
// `systemd-journal-remote -o FILE --split-mode=none -`. Used by the journal tests and bench, never
// by the audit. Environment knobs of systemd's journal-file writer (systemd 252,
// src/libsystemd/sd-journal/journal-file.c): SYSTEMD_JOURNAL_COMPACT and SYSTEMD_JOURNAL_KEYED_HASH
// (booleans, default on); compression is journal-remote's own --compress flag (zstd in Debian's
// build; 252 writes no xz or lz4 objects when zstd is available).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const JOURNAL_REMOTE = '/lib/systemd/systemd-journal-remote';

export interface ExportEntry {
  /** µs since the epoch. */
  realtime: number;
  /** µs since boot. */
  monotonic: number;
  bootId: string;
  /** FIELD → value; a value with a newline is written in the binary form of the export format. */
  fields: ReadonlyArray<readonly [string, string]>;
}

export interface WriterOptions {
  compact?: boolean;
  keyedHash?: boolean;
  compress?: boolean;
}

export function exportFormat(entries: Iterable<ExportEntry>): Buffer {
  const chunks: Buffer[] = [];
  for (const entry of entries) {
    chunks.push(
      Buffer.from(
        `__REALTIME_TIMESTAMP=${entry.realtime}\n__MONOTONIC_TIMESTAMP=${entry.monotonic}\n_BOOT_ID=${entry.bootId}\n`,
      ),
    );
    for (const [name, value] of entry.fields) {
      const bytes = Buffer.from(value, 'utf8');
      if (bytes.includes(0x0a)) {
        const size = Buffer.alloc(8);
        size.writeBigUInt64LE(BigInt(bytes.length));
        chunks.push(Buffer.from(`${name}\n`), size, bytes, Buffer.from('\n'));
      } else {
        chunks.push(Buffer.from(`${name}=`), bytes, Buffer.from('\n'));
      }
    }
    chunks.push(Buffer.from('\n'));
  }
  return Buffer.concat(chunks);
}

/** Writes `file` (which must not exist) from the entries; throws with journal-remote's stderr on failure. */
export function writeJournal(file: string, entries: Iterable<ExportEntry>, options: WriterOptions = {}): void {
  const env = {
    ...process.env,
    SYSTEMD_JOURNAL_COMPACT: options.compact === false ? '0' : '1',
    SYSTEMD_JOURNAL_KEYED_HASH: options.keyedHash === false ? '0' : '1',
    SYSTEMD_LOG_LEVEL: 'warning',
  };
  const run = spawnSync(
    JOURNAL_REMOTE,
    ['-o', file, '--split-mode=none', `--compress=${options.compress === false ? 'no' : 'yes'}`, '-'],
    {
      input: exportFormat(entries),
      env,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (run.error !== undefined) throw run.error;
  if (run.status !== 0 || !fs.existsSync(file)) {
    throw new Error(
      `${JOURNAL_REMOTE} -o ${file} failed (${String(run.status ?? run.signal)}): ${run.stderr.toString()}`,
    );
  }
}

/** A k3s unit line as logrus writes it to a non-terminal stderr (sirupsen/logrus:text_formatter.go). */
export function logrusLine(realtimeUs: number, msg: string, level = 'info'): string {
  const time = new Date(Math.floor(realtimeUs / 1000)).toISOString();
  return `time="${time}" level=${level} msg=${JSON.stringify(msg)}`;
}

/** The fields journald attaches to a line of a system service's stdout stream. */
export function serviceFields(
  unit: string,
  pid: number,
  comm: string,
  message: string,
  invocationId?: string,
): Array<[string, string]> {
  const fields: Array<[string, string]> = [
    ['_TRANSPORT', 'stdout'],
    ['PRIORITY', '6'],
    ['SYSLOG_FACILITY', '3'],
    ['SYSLOG_IDENTIFIER', comm],
    ['_PID', String(pid)],
    ['_UID', '0'],
    ['_GID', '0'],
    ['_COMM', comm],
    ['_EXE', `/usr/local/bin/${comm}`],
    ['_CMDLINE', `/usr/local/bin/${comm} server`],
    ['_SYSTEMD_CGROUP', `/system.slice/${unit}`],
    ['_SYSTEMD_UNIT', unit],
    ['_SYSTEMD_SLICE', 'system.slice'],
    ['_HOSTNAME', 'node-1'],
    ['MESSAGE', message],
  ];
  if (invocationId !== undefined) fields.push(['_SYSTEMD_INVOCATION_ID', invocationId]);
  return fields;
}
