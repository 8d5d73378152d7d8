// The command line: flags + config file → one audit (`--once`) or the daemon. `main` returns the
// exit code instead of setting it, so that src/cli.ts stays the only place that ends the process
// and this module can be imported by tests without running anything.
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { exitCodeFor, TOOL_VERSION } from './audit.js';
import { runAuditWithProbes } from './audit-probes.js';
import { runAuditInWorker } from './audit-thread.js';
import { DEFAULT_CONFIG_PATH, DEFAULT_LISTEN, isConfigError, loadConfig, type AuditConfig, type FlagValues } from './config.js';
import { renderJson } from './report/json.js';
import { renderJunit } from './report/junit.js';
import { printable, renderText } from './report/text.js';
import type { Report } from './report/types.js';

/** Exit codes of DESIGN §1. */
export const EXIT = { ok: 0, failed: 1, usage: 2, auditFailed: 3 } as const;

const OPTIONS = {
  once: { type: 'boolean' },
  format: { type: 'string' },
  output: { type: 'string' },
  'fail-on': { type: 'string' },
  'no-probes': { type: 'boolean' },
  root: { type: 'string' },
  proc: { type: 'string' },
  config: { type: 'string' },
  listen: { type: 'string' },
  'web.config.file': { type: 'string' },
  interval: { type: 'string' },
  'log.level': { type: 'string' },
  'log.format': { type: 'string' },
  version: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export const HELP = `Usage: scs-node-audit [--once] [flags]

Audits this Kubernetes host (kube-apiserver, etcd, kubelet, kube-controller-manager,
kube-scheduler, kube-proxy, read from /proc and the filesystem; nothing is executed)
against SCS scs-0217-v1 "Kubernetes cluster hardening".
Without --once it runs as a daemon: audits every --interval and on SIGHUP, and serves
Prometheus metrics (/metrics), the JSON report (/report), /healthz and /readyz.

Flags (all but --once, --config, --version and --help can also be set in the config file;
a flag wins over the file):
  --once                     run one audit, print the report, exit with the verdict
  --format FORMAT            text | json | junit | prometheus          (default: text)
  --output FILE              write the report to FILE (atomically) instead of stdout
  --fail-on LEVEL            must | should | never                     (default: must)
                               must: a MUST check that fails or errors exits 1
                               should: also SHOULD and RECOMMENDED; OPTIONAL never fails a run
  --no-probes                no live probes (TLS handshake, etcd auth status) on loopback
  --root DIR                 host filesystem to audit, e.g. /host or a mounted image (default: /)
  --proc DIR                 the proc filesystem to read                (default: <root>/proc)
  --config FILE              config file (default: ${DEFAULT_CONFIG_PATH};
                               a missing default file is fine, a missing named file is an error;
                               /dev/null for none)
  --listen ADDR:PORT         daemon HTTP address                        (default: ${DEFAULT_LISTEN})
  --web.config.file FILE     TLS and basic auth, Prometheus exporter-toolkit format (default: none)
  --interval DURATION        daemon audit interval, Go syntax, at least 5s (default: 60s)
  --log.level LEVEL          debug | info | warn | error                (default: info)
  --log.format FORMAT        logfmt | json                              (default: logfmt)
  --version                  print the version and exit
  -h, --help                 print this help and exit

Exit codes (--once):
  0  nothing at or above --fail-on failed
  1  a check at or above --fail-on has status fail or error
  2  bad usage or invalid config (the message names the flag or key)
  3  the audit could not run (e.g. --proc unreadable)

Examples:
  sudo scs-node-audit --once
  sudo scs-node-audit --once --format json --output /var/lib/scs-node-audit/report.json
  sudo scs-node-audit --once --format junit --fail-on should > scs-0217.xml
  scs-node-audit --once --root /mnt/node-image        # audit a mounted disk image
  scs-node-audit --root /host --listen 0.0.0.0:20217  # in a DaemonSet, host root at /host

Needs CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE (or root) to read other processes' files.
`;

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

type Parsed = { ok: true; once: boolean; help: boolean; version: boolean; configPath: string | undefined; flags: FlagValues } | { ok: false; message: string };

/** Parse argv strictly: an unknown, repeated or malformed flag is a usage error naming it. */
export function parseCommandLine(args: readonly string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false, tokens: true });
  } catch (error) {
    return { ok: false, message: usageMessage(error) };
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    // parseArgs keeps the last of a repeated flag silently; an operator who wrote two meant one of them.
    if (seen.has(token.name)) return { ok: false, message: `${token.rawName.split('=')[0]}: given more than once` };
    seen.add(token.name);
  }
  const { once, help, version, config, ...flags } = parsed.values;
  return { ok: true, once: once === true, help: help === true, version: version === true, configPath: config, flags };
}

function usageMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  const named = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${named ?? message}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(named ?? message)} (this command takes flags only)`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.replace(/^Option '([^']+)'/, '$1').replace(/ argument missing$/, ' needs a value').split('\n')[0]!;
    default:
      return message.split('\n')[0]!;
  }
}

/** `NO_COLOR` (any non-empty value, no-color.org) and dumb terminals turn colour off; a pipe never gets it. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

async function render(report: Report, config: AuditConfig, color: boolean): Promise<string> {
  switch (config.format) {
    case 'text':
      return renderText(report, { color });
    case 'json':
      return renderJson(report);
    case 'junit':
      return renderJunit(report);
    case 'prometheus': {
      // Loaded only here: prom-client is not needed for the other formats.
      const { renderPrometheus } = await import('./report/prometheus.js');
      return renderPrometheus(report);
    }
  }
}

/** Write `text` to `file` atomically: a temp file in the same directory, fsync, rename; mode 0644. */
export function writeFileAtomic(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fd = openSync(temp, 'wx', 0o644);
  let open = true;
  try {
    fchmodSync(fd, 0o644); // the umask may have narrowed the mode given to open
    const buffer = Buffer.from(text, 'utf8');
    for (let written = 0; written < buffer.length; ) written += writeSync(fd, buffer, written);
    fsyncSync(fd);
    closeSync(fd);
    open = false;
    renameSync(temp, file);
  } catch (error) {
    if (open) closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
}

/** One line on stderr; host-controlled text (paths, flag names) cannot drive the terminal or add lines. */
function complain(io: Io, message: string): void {
  io.stderr.write(`scs-node-audit: ${printable(message)}\n`);
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/**
 * Run the daemon until SIGTERM/SIGINT. Imported lazily so that `--once` never loads fastify.
 * SIGHUP re-reads the config file; the flags of this command line keep winning over it.
 */
async function runDaemonCommand(config: AuditConfig, reread: () => AuditConfig): Promise<number> {
  const [{ runDaemon }, { createLogger }] = await Promise.all([import('./server/daemon.js'), import('./log.js')]);
  const logger = createLogger({ level: config.log.level, format: config.log.format });
  const handle = await runDaemon<AuditConfig>({
    settings: { config, intervalMs: config.intervalMs, timeoutMs: config.auditTimeoutMs },
    reload: () => {
      const next = reread();
      return { config: next, intervalMs: next.intervalMs, timeoutMs: next.auditTimeoutMs };
    },
    // In a worker thread, so that the HTTP server and the signals keep being served (issue 9).
    audit: runAuditInWorker,
    listen: config.listen,
    webConfigFile: config.web.configFile ?? undefined,
    logger,
    version: TOOL_VERSION,
  });
  await handle.closed;
  return EXIT.ok;
}

export async function main(args: readonly string[], io: Io): Promise<number> {
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

  const toFile = config.output !== null;
  const text = await render(report, config, !toFile && wantsColor(io.stdout, io.env));
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
  return exitCodeFor(report, config.failOn);
}
