// The component processes of a host, from `<proc>`: which processes run a Kubernetes component
// or a distribution, and what the kernel says about each (command line, uids, start time, working
// directory, etcd's environment). Synchronous, as the whole collection is (see collect/host.ts).
import { distributionProcess, type DistributionProcess } from './distribution.js';
import type { FileRoot } from './files.js';
import { readExecutableFacts } from './identity.js';
import {
  binaryName,
  isGone,
  listPids,
  mayRunComponent,
  parseBootTime,
  parseCmdline,
  parseEnviron,
  parseStartTicks,
  parseStatusUids,
  readComm,
  readProcBytes,
  readProcHead,
  readProcLink,
  recogniseComponent,
  startedAtIso,
  type ProcRead,
  type ProcTree,
} from './proc.js';
import type { ProcessInfo } from './types.js';

/** `<proc>` could not be listed: the audit cannot run (the CLI exits 3). */
export class CollectError extends Error {
  readonly code = 'PROC_UNREADABLE';
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot list the process directory ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'CollectError';
  }
}

export const CMDLINE_MAX_BYTES = 4 * 1024 * 1024;
export const SMALL_PROC_FILE_MAX_BYTES = 1024 * 1024;

interface ProcessScan {
  processes: ProcessInfo[];
  examined: number;
  unreadable: number;
  /** The distributions' own processes (k3s server, kubelite, k0s controller, …). */
  distributions: Array<{ pid: number; argv: string[]; found: DistributionProcess; uid?: number }>;
}

export function scanProcesses(tree: ProcTree, hostRoot: FileRoot): ProcessScan {
  let pids: number[];
  try {
    pids = listPids(tree);
  } catch (error) {
    throw new CollectError(tree.dir, error);
  }
  const bootTime = readProcText(tree, 'stat', SMALL_PROC_FILE_MAX_BYTES);
  const btime = bootTime.ok ? parseBootTime(bootTime.value) : undefined;
  const scan: ProcessScan = { processes: [], examined: 0, unreadable: 0, distributions: [] };
  for (const pid of pids) {
    const comm = readComm(tree, pid);
    if (comm !== undefined && !mayRunComponent(comm)) {
      scan.examined += 1;
      continue;
    }
    const cmdline = readCommandLine(tree, pid);
    if (!cmdline.ok) {
      if (!isGone(cmdline.code)) scan.unreadable += 1;
      continue;
    }
    scan.examined += 1;
    const { argv, replaced } = parseCmdline(cmdline.value.bytes);
    // Kernel threads (and zombies) have an empty cmdline.
    if (argv.length === 0) continue;
    const exeLink = readProcLink(tree, `${pid}/exe`);
    const exe = exeLink.ok ? exeLink.value : undefined;
    const recognised = recogniseComponent(argv, exe);
    if (!recognised) {
      const found = distributionProcess(argv, exe);
      if (found !== undefined) {
        const status = readProcText(tree, `${pid}/status`, SMALL_PROC_FILE_MAX_BYTES);
        const uid = status.ok ? parseStatusUids(status.value)?.effective : undefined;
        scan.distributions.push({ pid, argv, found, ...(uid !== undefined && { uid }) });
      } else if (cmdline.value.incomplete !== undefined) scan.unreadable += 1;
      continue;
    }
    const info = describeProcess(tree, pid, btime, {
      pid,
      component: recognised.component,
      source: 'process',
      // Only a head of an oversized command line was read: its last argument may be cut, so none is parsed.
      argv: cmdline.value.incomplete === undefined ? argv : argv.slice(0, 1),
      args: cmdline.value.incomplete === undefined ? recognised.args : [],
      env: {},
      cwd: '/',
      ...(exe !== undefined && { exe: binaryName(exe) }),
      executable: readExecutableFacts(tree, hostRoot, pid, exeLink),
      ...(cmdline.value.incomplete !== undefined && { incomplete: cmdline.value.incomplete }),
      files: {},
      dirs: {},
      warnings: replaced ? [`pid ${pid}: the command line is not valid UTF-8; invalid bytes were read as U+FFFD`] : [],
    });
    if (info) scan.processes.push(info);
  }
  return scan;
}

const lenientUtf8 = new TextDecoder();

/** Enough of an oversized command line to recognise the component: argv[0] and a subcommand. */
const CMDLINE_HEAD_BYTES = 64 * 1024;

/**
 * `<pid>/cmdline` whole, or, when it is larger than the read limit, its head and why it is
 * incomplete: a component whose command line cannot be read whole still runs, and must be
 * judged `unknown`, not skipped (and so replaced by its static pod manifest).
 */
function readCommandLine(tree: ProcTree, pid: number): ProcRead<{ bytes: Uint8Array; incomplete?: string }> {
  const whole = readProcBytes(tree, `${pid}/cmdline`, CMDLINE_MAX_BYTES);
  if (!whole.ok) return whole;
  if (whole.value !== undefined) return { ok: true, value: { bytes: whole.value } };
  const head = readProcHead(tree, `${pid}/cmdline`, CMDLINE_HEAD_BYTES);
  if (!head.ok) return head;
  const limit = `${CMDLINE_MAX_BYTES / (1024 * 1024)} MiB`;
  return {
    ok: true,
    value: {
      bytes: head.value,
      incomplete: `its command line (${tree.dir}/${pid}/cmdline) is larger than the ${limit} read limit, so its flags could not be read`,
    },
  };
}

export function readProcText(tree: ProcTree, relative: string, maxBytes: number): ProcRead<string> {
  const read = readProcBytes(tree, relative, maxBytes);
  if (!read.ok) return read;
  if (read.value === undefined) return { ok: false, code: 'EFBIG' };
  return { ok: true, value: lenientUtf8.decode(read.value) };
}

/** Adds what the kernel says about a component process; undefined when it exited meanwhile. */
function describeProcess(
  tree: ProcTree,
  pid: number,
  btime: number | undefined,
  info: ProcessInfo,
): ProcessInfo | undefined {
  const status = readProcText(tree, `${pid}/status`, SMALL_PROC_FILE_MAX_BYTES);
  const uids = status.ok ? parseStatusUids(status.value) : undefined;
  if (uids !== undefined) {
    info.uid = uids.effective;
    info.realUid = uids.real;
  }
  const stat = readProcText(tree, `${pid}/stat`, SMALL_PROC_FILE_MAX_BYTES);
  const ticks = stat.ok ? parseStartTicks(stat.value) : undefined;
  if (ticks !== undefined && btime !== undefined) info.startedAt = startedAtIso(btime, ticks);

  const cwd = readProcLink(tree, `${pid}/cwd`);
  const cwdPath = cwd.ok ? cwd.value.replace(/ \(deleted\)$/, '') : undefined;
  if (cwdPath !== undefined && cwdPath.startsWith('/')) info.cwd = cwdPath;
  else {
    const why = cwd.ok ? `not an absolute path: ${JSON.stringify(cwd.value)}` : cwd.code;
    info.warnings.push(
      `pid ${pid}: the working directory could not be read (${why}); relative paths were resolved against /`,
    );
  }

  if (info.component === 'etcd') {
    const environ = readProcBytes(tree, `${pid}/environ`, CMDLINE_MAX_BYTES);
    if (environ.ok && environ.value !== undefined) {
      // etcd reads every flag from ETCD_<FLAG> too; nothing else of the environment is kept.
      info.env = parseEnviron(environ.value, (key) => key.startsWith('ETCD_'));
    } else {
      const why = environ.ok ? 'too large' : environ.code;
      info.environUnreadable = why;
      info.warnings.push(`pid ${pid}: the environment could not be read (${why}); ETCD_* variables are unknown`);
    }
  }

  // A process that exited while we looked is not audited: its files are no longer its own.
  const still = readProcBytes(tree, `${pid}/cmdline`, CMDLINE_MAX_BYTES);
  if (!still.ok && isGone(still.code)) return undefined;
  return info;
}
