// The command line: flags + config file → one audit (`--once`) or the daemon. `main` returns the
// exit code instead of setting it, so that src/cli.ts stays the only place that ends the process
// and this module can be imported by tests without running anything. Help texts, argv parsing
// and output live in src/command-line/ (issue 12); this file re-exports what others import.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { exitCodeFor, TOOL_VERSION } from './audit.js';
import { runAuditWithProbes } from './audit-probes.js';
import { runAuditInWorker } from './audit-thread.js';
import { isConfigError, loadConfig, urlProblem, type AuditConfig } from './config.js';
import { missingExpected } from './expect.js';
import { ENDOFLIFE_KUBERNETES_URL } from './resolve/endoflife.js';
import type { Report } from './report/types.js';
import { HELP, RELEASES_HELP } from './command-line/help.js';
import { parseCommandLine, RELEASES_OPTIONS, usageMessage } from './command-line/parse.js';
import { complain, oneLine, render, wantsColor, writeFileAtomic, type Io } from './command-line/output.js';

export { HELP, RELEASES_HELP } from './command-line/help.js';
export { parseCommandLine } from './command-line/parse.js';
export { wantsColor, writeFileAtomic, type Io } from './command-line/output.js';

/** Exit codes of DESIGN §1. */
export const EXIT = { ok: 0, failed: 1, usage: 2, auditFailed: 3 } as const;

/**
 * Run the daemon until SIGTERM/SIGINT. Imported lazily so that `--once` never loads fastify.
 * SIGHUP re-reads the config file; the flags of this command line keep winning over it.
 */
async function runDaemonCommand(config: AuditConfig, reread: () => AuditConfig): Promise<number> {
  const [{ runDaemon }, { createLogger }, { createReleaseRefresher }] = await Promise.all([
    import('./server/daemon.js'),
    import('./log.js'),
    import('./releases-refresh.js'),
  ]);
  const logger = createLogger({ level: config.log.level, format: config.log.format });
  // One refresher per (url, file): a SIGHUP that changes either starts afresh.
  let refresher: { key: string; refresh: ReturnType<typeof createReleaseRefresher> } | undefined;
  const releaseTable = async (
    current: AuditConfig,
  ): Promise<{ table: AuditConfig['releaseTable']; notes: string[] }> => {
    const { url, file } = current.releases;
    if (url === null || file === null) return { table: current.releaseTable, notes: [] };
    const key = `${url}\0${file}`;
    if (refresher?.key !== key)
      refresher = {
        key,
        refresh: createReleaseRefresher({
          url,
          file,
          write: writeFileAtomic,
          userAgent: `scs-node-audit/${TOOL_VERSION}`,
        }),
      };
    return refresher.refresh(new Date(), current.releaseTable);
  };
  const handle = await runDaemon<AuditConfig>({
    settings: { config, intervalMs: config.intervalMs, timeoutMs: config.auditTimeoutMs },
    reload: () => {
      const next = reread();
      return { config: next, intervalMs: next.intervalMs, timeoutMs: next.auditTimeoutMs };
    },
    // In a worker thread, so that the HTTP server and the signals keep being served (issue 9); the
    // release table is refreshed here, in the main thread, at most daily.
    audit: async (current, signal) => {
      const releases = await releaseTable(current);
      const report = await runAuditInWorker({ ...current, releaseTable: releases.table }, signal);
      return releases.notes.length > 0 ? { ...report, notes: [...report.notes, ...releases.notes] } : report;
    },
    listen: config.listen,
    webConfigFile: config.web.configFile ?? undefined,
    logger,
    version: TOOL_VERSION,
  });
  await handle.closed;
  return EXIT.ok;
}

/** `scs-node-audit releases update`: one refresh of the release table, outside any audit. */
async function runReleasesCommand(args: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: RELEASES_OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    complain(io, `releases: ${usageMessage(error)} (see scs-node-audit releases --help)`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout.write(RELEASES_HELP);
    return EXIT.ok;
  }
  if (parsed.positionals.length !== 1 || parsed.positionals[0] !== 'update') {
    complain(io, `releases: expected the subcommand "update" (see scs-node-audit releases --help)`);
    return EXIT.usage;
  }
  let config: AuditConfig;
  try {
    config = loadConfig({ configPath: parsed.values.config, flags: {}, cwd: io.cwd });
  } catch (error) {
    if (!isConfigError(error)) throw error;
    complain(io, oneLine(error));
    return EXIT.usage;
  }
  const url = parsed.values.url ?? config.releases.url ?? ENDOFLIFE_KUBERNETES_URL;
  const problem = urlProblem(url);
  if (problem) {
    complain(io, `releases update: --url: ${problem}`);
    return EXIT.usage;
  }
  const output = parsed.values.output !== undefined ? path.resolve(io.cwd, parsed.values.output) : config.releases.file;
  if (output === null) {
    complain(io, 'releases update: needs --output FILE (or releases.file in the config)');
    return EXIT.usage;
  }
  const { refreshReleaseTable } = await import('./releases-refresh.js');
  const outcome = await refreshReleaseTable({
    url,
    file: output,
    now: new Date(),
    write: writeFileAtomic,
    userAgent: `scs-node-audit/${TOOL_VERSION}`,
  });
  for (const note of outcome.notes) complain(io, note);
  if (!outcome.updated) return EXIT.auditFailed;
  const minors = outcome.table.minors.map((m) => m.minor);
  io.stdout.write(
    `${output}: release table as of ${outcome.table.asOf!}, minors ${minors[minors.length - 1]!} … ${minors[0]!}\n`,
  );
  return EXIT.ok;
}

export async function main(args: readonly string[], io: Io): Promise<number> {
  if (args[0] === 'releases') return runReleasesCommand(args.slice(1), io);
  const command = parseCommandLine(args);
  if (!command.ok) {
    complain(io, `${command.message} (see --help)`);
    return EXIT.usage;
  }
  if (command.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (command.version) {
    io.stdout.write(`scs-node-audit ${TOOL_VERSION} (standard scs-0217 v1, node ${process.version})\n`);
    return EXIT.ok;
  }

  const load = () => loadConfig({ configPath: command.configPath, flags: command.flags, cwd: io.cwd });
  let config: AuditConfig;
  try {
    config = load();
  } catch (error) {
    if (!isConfigError(error)) throw error;
    complain(io, oneLine(error));
    return EXIT.usage;
  }

  if (!command.once) {
    try {
      return await runDaemonCommand(config, load);
    } catch (error) {
      // Mostly the listen address (in use, not ours) or an invalid --web.config.file.
      complain(io, `the daemon could not start: ${oneLine(error)}`);
      return EXIT.auditFailed;
    }
  }

  let report: Report;
  try {
    report = await runAuditWithProbes({ root: config.root, proc: config.proc, config });
  } catch (error) {
    // PROC_UNREADABLE and anything else that stops collect: no report at all, so no verdict.
    const code = (error as NodeJS.ErrnoException).code;
    complain(io, `the audit could not run${code ? ` (${code})` : ''}: ${oneLine(error)}`);
    if (config.log.level === 'debug' && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT.auditFailed;
  }

  const missing = missingExpected(report, config.expect);
  if (missing.length > 0) {
    // In the report as well, so a report file says why the run failed.
    const note = `--expect: ${missing.join(', ')} not found on this host; this audit covers nothing of ${missing.length === 1 ? 'it' : 'them'}`;
    report = { ...report, notes: [...report.notes, note] };
    complain(io, `${note} (is the host's /proc visible? e.g. hostPID in a pod, --proc/--root)`);
  }

  const toFile = config.output !== null;
  // Into a file only with --color=always: auto means "a terminal looks at it".
  const color = config.color === 'always' || (!toFile && wantsColor(io.stdout, io.env, config.color));
  const text = await render(report, config, color);
  if (config.output !== null) {
    try {
      writeFileAtomic(config.output, text);
    } catch (error) {
      complain(io, `--output ${config.output}: cannot write the report: ${oneLine(error)}`);
      return EXIT.auditFailed;
    }
  } else {
    io.stdout.write(text);
  }
  // An --expect miss fails the run whatever --fail-on says: the operator asked for it by name.
  return missing.length > 0
    ? Math.max(EXIT.failed, exitCodeFor(report, config.failOn))
    : exitCodeFor(report, config.failOn);
}
