// A fixture host as data: processes, addresses and files; the generator turns it into a tree.
import type { ExportEntry } from '../journal-fixture.js';

export interface Listen {
  address: string;
  port: number;
}

export interface ProcessSpec {
  pid: number;
  ppid: number;
  argv: string[];
  /** Name the kernel shows in comm/status/stat; defaults to basename(argv[0]). */
  comm?: string;
  uid?: number;
  cwd?: string;
  exe?: string;
  /** Full environment (NUL-separated in environ); only written when given. */
  environ?: string[];
  listens?: Listen[];
  /** Seconds after boot the process started. */
  startedAfterBootS?: number;
  threads?: number;
}

/**
 * A file: text, an executable (mode 0755, e.g. a stand-in component binary whose owner and mode
 * collect judges), a symlink, or a binary journal written by systemd-journal-remote.
 */
export type FileSpec = string | { executable: string } | { symlink: string } | { journal: ExportEntry[] };

export interface HostSpec {
  name: string;
  hostname: string;
  /** IPv4 addresses on interfaces (besides 127.0.0.1), with prefix length and device. */
  ipv4: { address: string; prefix: number; device: string }[];
  /** IPv6 addresses besides ::1, with prefix, scope (hex as the kernel writes it) and device. */
  ipv6: { address: string; prefix: number; scope: '00' | '20'; device: string }[];
  processes: ProcessSpec[];
  files: Record<string, FileSpec>;
  /** An offline image: no process directories and no socket tables. */
  offline?: boolean;
}
