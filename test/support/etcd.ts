// Real etcd for the probe tests: a throwaway CA and certificates made with openssl in a temp dir,
// etcd processes on free loopback ports, and cleanup that also runs when a test fails or the
// test process exits early. Needs /usr/bin/etcd, etcdctl and openssl (Debian etcd-server,
// etcd-client, openssl; .ci/run installs them).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpRequest, type ClientCredentials } from '../../src/collect/probes/net.js';
import { issue, selfSigned } from './openssl.js';

export const ETCD_BINARY = '/usr/bin/etcd';
export const ETCDCTL_BINARY = '/usr/bin/etcdctl';

/** True when real etcd tests can run here; tests skip with this reason otherwise. */
export function etcdUnavailable(): string | undefined {
  for (const binary of [ETCD_BINARY, ETCDCTL_BINARY, '/usr/bin/openssl'])
    if (!existsSync(binary)) return `${binary} is not installed`;
  if (process.platform !== 'linux') return 'needs Linux /proc';
  return undefined;
}

export interface TestPki {
  dir: string;
  caFile: string;
  /** etcd's server and peer certificate (SANs 127.0.0.1, ::1, localhost; server and client auth). */
  memberCert: string;
  memberKey: string;
  /** Client certificate with CN=root: etcdctl acts as the root user with it. */
  rootCert: string;
  rootKey: string;
  /** Client certificate as kubeadm's health check has it (CN=kube-etcd-healthcheck-client). */
  probeCert: string;
  probeKey: string;
}

/** A CA and certificates signed by it, in a new temp dir (EC P-256, valid one day). */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'scs-probe-pki-'));
  selfSigned(dir, 'ca', '/CN=scs-test-etcd-ca', 1);
  const usage = 'keyUsage=critical,digitalSignature,keyEncipherment\n';
  issue(dir, 'member', {
    ca: 'ca',
    subject: '/CN=etcd-member',
    days: 1,
    extensions: `subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n${usage}`,
  });
  issue(dir, 'root', { ca: 'ca', subject: '/CN=root', days: 1, extensions: `extendedKeyUsage=clientAuth\n${usage}` });
  issue(dir, 'probe', {
    ca: 'ca',
    subject: '/CN=kube-etcd-healthcheck-client',
    days: 1,
    extensions: `extendedKeyUsage=clientAuth\n${usage}`,
  });
  const at = (f: string) => path.join(dir, f);
  return {
    dir,
    caFile: at('ca.crt'),
    memberCert: at('member.crt'),
    memberKey: at('member.key'),
    rootCert: at('root.crt'),
    rootKey: at('root.key'),
    probeCert: at('probe.crt'),
    probeKey: at('probe.key'),
  };
}

export function credentialsOf(pki: TestPki, who: 'root' | 'probe'): ClientCredentials {
  const [cert, key] = who === 'root' ? [pki.rootCert, pki.rootKey] : [pki.probeCert, pki.probeKey];
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8'), ca: readFileSync(pki.caFile, 'utf8') };
}

/** A loopback port free right now (the kernel picks it; a race with another binder is unlikely). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const running = new Set<ChildProcess>();
// Last resort: a test runner that exits (or a test that throws before its cleanup) leaves no etcd behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface StartedProcess {
  child: ChildProcess;
  pid: number;
  /** Where stdout and stderr went, for failure messages. */
  logFile: string;
  stop(): Promise<void>;
}

/** Spawn a process whose exit is tracked; `stop` sends SIGTERM, then SIGKILL after 5 s. */
export function startTracked(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd: string; argv0?: string; logName: string },
): StartedProcess {
  const logFile = path.join(options.cwd, `${options.logName}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? {},
    stdio: ['ignore', log, log],
    ...(options.argv0 !== undefined && { argv0: options.argv0 }),
  });
  closeSync(log);
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));
  return {
    child,
    pid: child.pid!,
    logFile,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

export interface EtcdSetup {
  /** etcd flags after the binary; `--data-dir` and `--name` are added unless the setup uses a config file or env. */
  args?: string[];
  /** Extra environment (ETCD_* variables). */
  env?: Record<string, string>;
  /** The URL the readiness check asks, and the credentials it needs. */
  clientUrl: string;
  credentials?: ClientCredentials;
}

export interface RunningEtcd extends StartedProcess {
  dataDir: string;
  clientUrl: string;
}

/** Start etcd and wait until its client URL answers `/health` (at most 20 s). */
export async function startEtcd(workDir: string, name: string, setup: EtcdSetup): Promise<RunningEtcd> {
  const dataDir = path.join(workDir, `${name}.data`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const started = startTracked(ETCD_BINARY, setup.args ?? [], {
    cwd: workDir,
    env: { PATH: '/usr/bin:/bin', ...setup.env },
    logName: name,
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (started.child.exitCode !== null)
      throw new Error(`etcd ${name} exited with ${started.child.exitCode}: ${tail(started.logFile)}`);
    const answer = await httpRequest({
      url: `${setup.clientUrl}/health`,
      timeoutMs: 1_000,
      ...(setup.credentials && { credentials: setup.credentials }),
    });
    if (answer.outcome === 'response' && answer.status === 200) break;
    if (Date.now() > deadline) {
      await started.stop();
      throw new Error(`etcd ${name} not healthy within 20 s (${JSON.stringify(answer)}): ${tail(started.logFile)}`);
    }
    await sleep(100);
  }
  return { ...started, dataDir, clientUrl: setup.clientUrl };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-2_000);
  } catch {
    return '(no log)';
  }
}

/** Run etcdctl (API v3) against one endpoint with the root client certificate. */
export function etcdctl(pki: TestPki, endpoint: string, args: string[]): string {
  return execFileSync(
    ETCDCTL_BINARY,
    [
      `--endpoints=${endpoint}`,
      `--cacert=${pki.caFile}`,
      `--cert=${pki.rootCert}`,
      `--key=${pki.rootKey}`,
      '--dial-timeout=5s',
      ...args,
    ],
    {
      env: { PATH: '/usr/bin:/bin', ETCDCTL_API: '3' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    },
  );
}

/** `auth enable` as etcd 3.4 needs it: a root user with the root role first. */
export function enableEtcdAuth(pki: TestPki, endpoint: string): void {
  etcdctl(pki, endpoint, ['user', 'add', 'root:scs-test-password']);
  etcdctl(pki, endpoint, ['user', 'grant-role', 'root', 'root']);
  etcdctl(pki, endpoint, ['auth', 'enable']);
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

const HOST_LOCK = path.join(tmpdir(), 'scs-node-audit-live-host.lock');

function lockOwnerAlive(): boolean {
  try {
    const pid = Number(readFileSync(path.join(HOST_LOCK, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but is not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Run `fn` while no other test process on this machine audits the real /proc with components it
 * started: the test runner runs files in parallel, and one file's fake kubelet would change
 * another file's node-wide verdicts (endpoints-https, etcd-isolated). `cleanup` stops what `fn`
 * started before the lock is released, also when `fn` throws.
 */
export async function exclusiveHost<T>(fn: () => Promise<T>, cleanup: () => Promise<void>): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(HOST_LOCK);
      writeFileSync(path.join(HOST_LOCK, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A holder that died (killed runner) leaves its lock behind; a pid file not yet written is a live holder.
      if (existsSync(path.join(HOST_LOCK, 'pid')) && !lockOwnerAlive())
        rmSync(HOST_LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${HOST_LOCK} held for 3 minutes`, { cause: error });
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    try {
      await cleanup();
    } finally {
      rmSync(HOST_LOCK, { recursive: true, force: true });
    }
  }
}
