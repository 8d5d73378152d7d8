// Starts a daemon in a child process and follows its JSON log lines: report-file-daemon (a daemon
// whose audit reads a report from a file) or the real command line.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface DaemonProcess {
  child: ChildProcess;
  /** Bound `host:port` from the `listening` log line. */
  address: string;
  lines: Record<string, unknown>[];
  /** Resolves with the first matching line at index `since` or later. */
  waitForLine(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
    since?: number,
  ): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// Under tsx the tests are .ts files, after `tsc` they are .js: run the script the same way.
const runningTypeScript = import.meta.url.endsWith('.ts');
const extension = runningTypeScript ? 'ts' : 'js';
const reportFileDaemon = fileURLToPath(new URL(`./report-file-daemon.${extension}`, import.meta.url));
const cli = fileURLToPath(new URL(`../../src/cli.${extension}`, import.meta.url));

export function spawnDaemon(args: string[], env: NodeJS.ProcessEnv = {}): Promise<DaemonProcess> {
  return spawnLogged(process.execPath, [...nodeOptions, reportFileDaemon, ...args], env);
}

/**
 * `scs-node-audit` itself, in daemon mode; pass `--log.format json` so its lines can be followed.
 * `executable` runs a built single executable instead of the source.
 */
export function spawnCliDaemon(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  executable?: string,
): Promise<DaemonProcess> {
  return executable !== undefined
    ? spawnLogged(executable, args, env)
    : spawnLogged(process.execPath, [...nodeOptions, cli, ...args], env);
}

/**
 * A daemon started by `command` (benchmarks: the single executable, or a script of another build
 * run with this Node); its log must be JSON lines with a `listening` line.
 */
export function spawnDaemonCommand(command: string[], env: NodeJS.ProcessEnv = {}): Promise<DaemonProcess> {
  return spawnLogged(command[0]!, command.slice(1), env);
}

const nodeOptions = runningTypeScript ? ['--import', 'tsx'] : [];

async function spawnLogged(executable: string, args: string[], env: NodeJS.ProcessEnv): Promise<DaemonProcess> {
  const child = spawn(executable, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const text of complete) {
      if (text.trim() === '') continue;
      lines.push(JSON.parse(text) as Record<string, unknown>);
    }
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const wake of waiters) wake();
      resolve({ code, signal });
    });
  });

  const waitForLine = (
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs = 10_000,
    since = 0,
  ): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      let seen = since;
      const check = (): void => {
        for (; seen < lines.length; seen += 1) {
          if (predicate(lines[seen]!)) {
            done();
            resolve(lines[seen]!);
            return;
          }
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          done();
          reject(
            new Error(
              `daemon exited (${child.exitCode ?? child.signalCode}) before the expected log line; stderr: ${stderr}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`no matching log line within ${timeoutMs} ms; lines: ${JSON.stringify(lines)}; stderr: ${stderr}`),
        );
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  try {
    const listening = await waitForLine((line) => line.msg === 'listening', 20_000);
    return { child, address: String(listening.address), lines, waitForLine, exited };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}
