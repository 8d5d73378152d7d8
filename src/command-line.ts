// The command line: flags + config file → one audit (`--once`) or the daemon. `main` returns the
// exit code instead of setting it, so that src/cli.ts stays the only place that ends the process
// and this module can be imported by tests without running anything.
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { exitCodeFor, TOOL_VERSION } from './audit.js';
import { runAuditWithProbes } from './audit-probes.js';
import { runAuditInWorker } from './audit-thread.js';
import {
  DEFAULT_CONFIG_PATH,
  DEFAULT_LISTEN,
  isConfigError,
  loadConfig,
  urlProblem,
  type AuditConfig,
  type ColorMode,
  type FlagValues,
} from './config.js';
import { missingExpected } from './expect.js';
import { ENDOFLIFE_KUBERNETES_URL } from './resolve/endoflife.js';
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
  'web.listen-address': { type: 'string' },
  'web.config.file': { type: 'string' },
  interval: { type: 'string' },
  'log.level': { type: 'string' },
  'log.format': { type: 'string' },
  color: { type: 'string' },
  'hide-skipped': { type: 'boolean' },
  expect: { type: 'string' },
  version: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  // Check selection (issue 11), kube-bench's --check/--skip plus level and component.
  check: { type: 'string' },
  skip: { type: 'string' },
  level: { type: 'string' },
  component: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export const HELP = `Usage: scs-node-audit [--once] [flags]
       scs-node-audit releases update [--output FILE] [--url URL]   (see releases --help)

Audits this Kubernetes host (kube-apiserver, etcd, kubelet, kube-controller-manager,
kube-scheduler, kube-proxy, read from /proc and the filesystem; nothing is executed)
against SCS scs-0217-v1 "Kubernetes cluster hardening".
Without --once it runs as a daemon: audits every --interval and on SIGHUP, and serves
Prometheus metrics (/metrics), the JSON report (/report), /healthz and /readyz.

Flags (all but --once, --config, --version and --help can also be set in the config file;
a flag wins over the file):
  --once                     run one audit, print the report, exit with the verdict
  --format FORMAT            text | json | junit | prometheus | sarif  (default: text)
  --output FILE              write the report to FILE (atomically) instead of stdout
  --fail-on LEVEL            must | should | never                     (default: must)
                               must: a MUST check that fails or errors exits 1
                               should: also SHOULD and RECOMMENDED; OPTIONAL never fails a run
  --expect COMPONENT[,…]     demand components: one not found fails the run (exit 1);
                               kubelet | kube-apiserver | etcd | kube-controller-manager |
                               kube-scheduler | kube-proxy
  --color WHEN               auto | always | never (default: auto: on a terminal, unless
                               NO_COLOR is set; FORCE_COLOR turns it on in a pipe too)
  --hide-skipped             text report: leave out the rows of skipped checks
  --check ID[,ID]            run only these checks (the others are left out of the report)
  --skip ID[,ID]             do not run these checks
  --level LEVEL[,LEVEL]      run only checks of these levels: must, should, recommended, optional
  --component NAME[,NAME]    run only checks of these components: kube-apiserver, etcd, kubelet, node
  --no-probes                no live probes (TLS handshake, etcd auth status) on loopback
  --root DIR                 host filesystem to audit, e.g. /host or a mounted image (default: /)
  --proc DIR                 the proc filesystem to read                (default: <root>/proc)
  --config FILE              config file (default: ${DEFAULT_CONFIG_PATH};
                               a missing default file is fine, a missing named file is an error;
                               /dev/null for none)
  --listen ADDR:PORT         daemon HTTP address                        (default: ${DEFAULT_LISTEN})
  --web.listen-address ADDR:PORT  the same, as node_exporter names it
  --web.config.file FILE     TLS and basic auth, Prometheus exporter-toolkit format (default: none)
  --interval DURATION        daemon audit interval, Go syntax, at least 5s (default: 60s)
  --log.level LEVEL          debug | info | warn | error                (default: info)
  --log.format FORMAT        logfmt | json                              (default: logfmt)
  --version                  print the version and exit
  -h, --help                 print this help and exit

Exit codes (--once):
  0  nothing at or above --fail-on failed
  1  a check at or above --fail-on has status fail or error, or an --expect
     component was not found
  2  bad usage or invalid config (the message names the flag or key)
  3  the audit could not run (e.g. --proc unreadable)

Examples:
  sudo scs-node-audit --once --hide-skipped
  sudo scs-node-audit --once --expect kubelet           # fail if no kubelet is visible
  sudo scs-node-audit --once --format json --output /var/lib/scs-node-audit/report.json
  sudo scs-node-audit --once --format junit --fail-on should > scs-0217.xml
  scs-node-audit --once --root /mnt/node-image        # audit a mounted disk image
  scs-node-audit --root /host --listen 0.0.0.0:20217  # in a DaemonSet, host root at /host
  sudo scs-node-audit --once --component etcd --skip etcd-auth-enabled
  sudo scs-node-audit --once --format sarif --output scs-0217.sarif
  scs-node-audit releases update --output /var/lib/scs-node-audit/releases.json

Needs CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE (or root) to read other processes' files.
`;

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

type Parsed =
  | { ok: true; once: boolean; help: boolean; version: boolean; configPath: string | undefined; flags: FlagValues }
  | { ok: false; message: string };

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
    if (seen.has(token.name)) return { ok: false, message: `${token.rawName.split('=')[0]!}: given more than once` };
    seen.add(token.name);
  }
  const { once, help, version, config, ...flags } = parsed.values;
  if (flags['web.listen-address'] !== undefined) {
    // One setting under two names (ours and node_exporter's); both at once is a contradiction.
    if (flags.listen !== undefined)
      return { ok: false, message: '--listen and --web.listen-address: give one of them, they are the same setting' };
    flags.listen = flags['web.listen-address'];
  }
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
      return message
        .replace(/^Option '([^']+)'/, '$1')
        .replace(/ argument missing$/, ' needs a value')
        .split('\n')[0]!;
    default:
      return message.split('\n')[0]!;
  }
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

async function render(report: Report, config: AuditConfig, color: boolean): Promise<string> {
  switch (config.format) {
    case 'text':
      return renderText(report, { color, hideSkipped: config.hideSkipped });
    case 'json':
      return renderJson(report);
    case 'junit':
      return renderJunit(report);
    case 'prometheus': {
      // Loaded only here: prom-client is not needed for the other formats.
      const { renderPrometheus } = await import('./report/prometheus.js');
      return renderPrometheus(report, config.intervalMs);
    }
    case 'sarif': {
      const { renderSarif } = await import('./report/sarif.js');
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

export const RELEASES_HELP = `Usage: scs-node-audit releases update [--output FILE] [--url URL] [--config FILE]

Fetches Kubernetes release data in the endoflife.date format (default URL:
${ENDOFLIFE_KUBERNETES_URL}), validates it, merges it with the bundled table and
earlier fetches, and writes a release table atomically to FILE; point releases.file at it.
On any failure the old FILE stays as it was and the exit code is 3.

  --output FILE   where to write the table (default: releases.file of the config)
  --url URL       where to fetch from (default: releases.url of the config, else the URL above)
  --config FILE   config file (default: ${DEFAULT_CONFIG_PATH}; a missing default file is fine)
`;

const RELEASES_OPTIONS = {
  output: { type: 'string' },
  url: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

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
