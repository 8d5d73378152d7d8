// Where a run's output goes: colour or not, the report rendered in the chosen format, the report
// file written atomically, and one-line complaints on stderr.
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { AuditConfig, ColorMode } from '../config.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { printable, renderText } from '../report/text.js';
import type { Report } from '../report/types.js';

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * Whether the text report is coloured. `--color always|never` decides alone. `auto`: FORCE_COLOR
 * (non-empty, not `0` or `false`, as Node.js reads it) turns colour on even in a pipe and wins
 * over NO_COLOR, being the more specific request; NO_COLOR (any non-empty value, no-color.org)
 * and TERM=dumb turn it off; otherwise a terminal gets colour and a pipe or file does not.
 */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, mode: ColorMode = 'auto'): boolean {
  if (mode !== 'auto') return mode === 'always';
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

export async function render(report: Report, config: AuditConfig, color: boolean): Promise<string> {
  switch (config.format) {
    case 'text':
      return renderText(report, { color, hideSkipped: config.hideSkipped });
    case 'json':
      return renderJson(report);
    case 'junit':
      return renderJunit(report);
    case 'prometheus': {
      // Loaded only here: prom-client is not needed for the other formats.
      const { renderPrometheus } = await import('../report/prometheus.js');
      return renderPrometheus(report, config.intervalMs);
    }
    case 'sarif': {
      const { renderSarif } = await import('../report/sarif.js');
      return renderSarif(report);
    }
  }
}

/** What went wrong writing `file`, in words about `file` and its directory, never the temp file's name. */
function writeProblem(file: string, error: unknown): string {
  const directory = path.dirname(file);
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return `the directory ${directory} does not exist (create it first)`;
    case 'ENOTDIR':
      return `${directory} is not a directory`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied in ${directory}`;
    case 'EROFS':
      return `${directory} is on a read-only file system`;
    case 'EISDIR':
      return `${file} is a directory`;
    case 'ENOSPC':
      return `no space left on the device of ${directory}`;
    default:
      return oneLine(error);
  }
}

/** Write `text` to `file` atomically: a temp file in the same directory, fsync, rename; mode 0644. */
export function writeFileAtomic(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o644);
  } catch (error) {
    throw Object.assign(new Error(writeProblem(file, error)), { cause: error });
  }
  let open = true;
  try {
    fchmodSync(fd, 0o644); // the umask may have narrowed the mode given to open
    const buffer = Buffer.from(text, 'utf8');
    for (let written = 0; written < buffer.length;) written += writeSync(fd, buffer, written);
    fsyncSync(fd);
    closeSync(fd);
    open = false;
    renameSync(temp, file);
  } catch (error) {
    if (open) closeSync(fd);
    unlinkSync(temp);
    throw Object.assign(new Error(writeProblem(file, error)), { cause: error });
  }
}

/** One line on stderr; host-controlled text (paths, flag names) cannot drive the terminal or add lines. */
export function complain(io: Io, message: string): void {
  io.stderr.write(`scs-node-audit: ${printable(message)}\n`);
}

export function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
