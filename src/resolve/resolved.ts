import { absolutePath } from '../formats/paths.js';
import type { Evidence } from './evidence.js';
import type { ComponentName, FileRead, ProcessInfo } from '../collect/types.js';

/** A value the component really uses, with where it came from. */
export interface Known<T> {
  known: true;
  value: T;
  evidence: Evidence;
}

/** A value that cannot be determined from this node; `reason` names the file or flag. */
export interface Unknown {
  known: false;
  reason: string;
}

export type Resolved<T> = Known<T> | Unknown;

export function known<T>(value: T, evidence: Evidence): Known<T> {
  return { known: true, value, evidence };
}

export function unknown(reason: string): Unknown {
  return { known: false, reason };
}

/** The first of `settings` that cannot be determined, if any. */
export function firstUnknown(settings: readonly Resolved<unknown>[]): Unknown | undefined {
  for (const s of settings) if (!s.known) return s;
  return undefined;
}

/** A port a component serves, as its configuration says. */
export interface Endpoint {
  component: ComponentName;
  pid: number;
  /** What the port is for: `secure-port`, `read-only-port`, `healthz`, `metrics`, `client`, `peer`, … */
  purpose: string;
  /** Bind address as configured: `0.0.0.0`, `::`, `127.0.0.1`, a host address, or `localhost`. */
  address: string;
  port: number;
  scheme: 'https' | 'http';
  evidence: Evidence;
}

export { absolutePath } from '../formats/paths.js';

/** The collected read of a file a process references, or undefined if collect never asked for it. */
export function fileOf(proc: ProcessInfo, p: string): FileRead | undefined {
  return proc.files[absolutePath(proc.cwd, p)];
}
