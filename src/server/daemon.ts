// runDaemon: `scs-node-audit` without `--once` (DESIGN §1). Audits on a timer and on SIGHUP,
// serves the last good report over HTTP(S), and stops cleanly on SIGTERM/SIGINT.
import type { AddressInfo } from 'node:net';
import type { Server as TlsServer } from 'node:tls';
import type { Logger } from '../log.js';
import { createAuditLoop, MIN_INTERVAL_MS, type AuditFunction } from './audit-loop.js';
import { buildServer, tlsServerOptions } from './index.js';
import { readWebConfig, type WebConfig } from './web-config.js';

/** What may change on SIGHUP: the audit configuration, the interval and the audit deadline. */
export interface DaemonSettings<Config> {
  config: Config;
  intervalMs: number;
  /** Deadline of one audit (default: the interval); past it the audit is aborted and counts as failed. */
  timeoutMs?: number;
}

export interface DaemonOptions<Config> {
  /** Effective settings at start (flags + config file), already validated by the caller. */
  settings: DaemonSettings<Config>;
  /** Re-reads the config file on SIGHUP; throws (an error with `key`, ideally) to reject it. */
  reload: () => DaemonSettings<Config> | Promise<DaemonSettings<Config>>;
  audit: AuditFunction<Config>;
  /** `host:port`, `[v6]:port` or `:port` (all interfaces); port 0 picks a free one. */
  listen: string;
  /** `--web.config.file`; undefined serves plain HTTP without auth. */
  webConfigFile: string | undefined;
  logger: Logger;
  /** Tool version for `scs_node_audit_build_info` and the status page. */
  version: string;
  /** Install SIGHUP/SIGTERM/SIGINT handlers on `process` (default true). */
  handleSignals?: boolean;
}

export interface DaemonHandle {
  /** The bound address, e.g. `127.0.0.1:41234` or `[::1]:41234`. */
  address: string;
  /** `http` or `https`. */
  scheme: 'http' | 'https';
  /** Resolves once the server has closed after stop() or a termination signal. */
  closed: Promise<void>;
  /** What SIGHUP does: reload settings and web config; on success audit at once. */
  reload(): Promise<void>;
  /** What SIGTERM does: stop accepting, finish responses in flight, stop auditing. */
  stop(): Promise<void>;
}

// systemd waits 90 s by default, but the issue promises an exit within 5 s.
const SHUTDOWN_GRACE_MS = 4_000;

export class ListenAddressError extends Error {
  readonly code = 'SCS_ERR_LISTEN_ADDRESS';
}

export function parseListenAddress(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = match === null ? NaN : Number(match[3]);
  if (match === null || port > 65535)
    throw new ListenAddressError(`--listen ${JSON.stringify(text)}: expected HOST:PORT, [IPv6]:PORT or :PORT`);
  // Go's ":9100" means every interface; '::' is dual-stack on Linux.
  const host = match[1] ?? (match[2] === '' ? '::' : match[2]!);
  return { host, port };
}

export async function runDaemon<Config>(options: DaemonOptions<Config>): Promise<DaemonHandle> {
  const { logger } = options;
  if (options.settings.intervalMs < MIN_INTERVAL_MS)
    throw new RangeError(`--interval must be at least ${MIN_INTERVAL_MS / 1000}s`);
  const { host, port } = parseListenAddress(options.listen);
  let webConfig: WebConfig =
    options.webConfigFile === undefined
      ? { tls: undefined, basicAuthUsers: new Map(), headers: {} }
      : readWebConfig(options.webConfigFile);

  const loop = createAuditLoop({
    audit: options.audit,
    config: options.settings.config,
    intervalMs: options.settings.intervalMs,
    ...(options.settings.timeoutMs === undefined ? {} : { timeoutMs: options.settings.timeoutMs }),
    version: options.version,
    logger,
  });
  const app = buildServer({ readState: () => loop.state(), webConfig: () => webConfig, logger });
  await app.listen({ host, port });
  const bound = app.server.address() as AddressInfo;
  const address = bound.family === 'IPv6' ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`;
  const scheme = webConfig.tls === undefined ? 'http' : 'https';
  logger.info('listening', {
    address,
    tls: webConfig.tls !== undefined,
    client_auth: webConfig.tls?.clientAuthType ?? 'none',
    basic_auth: webConfig.basicAuthUsers.size > 0,
    interval_s: options.settings.intervalMs / 1000,
    audit_timeout_s: (options.settings.timeoutMs ?? options.settings.intervalMs) / 1000,
  });

  let closing: Promise<void> | undefined;
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });

  const reloadWebConfig = (file: string): void => {
    const next = readWebConfig(file);
    const weakened = weakenedProtection(webConfig, next);
    if (weakened !== undefined)
      throw Object.assign(new Error(`${file}: ${weakened}; the running protection stays`), {
        code: 'SCS_ERR_WEB_CONFIG_RELOAD',
      });
    const current = webConfig.tls;
    if (
      (next.tls === undefined) !== (current === undefined) ||
      (next.tls !== undefined && next.tls.clientAuthType !== current?.clientAuthType)
    ) {
      throw new Error(`${file}: switching TLS on or off or changing client_auth_type needs a restart`);
    }
    // New certificates apply to new connections; established ones keep theirs.
    // fastify types its server as http.Server; with TLS, buildServer made it an https.Server.
    if (next.tls !== undefined) (app.server as unknown as TlsServer).setSecureContext(tlsServerOptions(next.tls));
    webConfig = next;
  };

  const reload = async (): Promise<void> => {
    if (closing !== undefined) return;
    let settings: DaemonSettings<Config>;
    try {
      settings = await options.reload();
      if (settings.intervalMs < MIN_INTERVAL_MS)
        throw Object.assign(new RangeError(`interval must be at least ${MIN_INTERVAL_MS / 1000}s`), {
          key: 'interval',
        });
      if (options.webConfigFile !== undefined) reloadWebConfig(options.webConfigFile);
    } catch (error) {
      logger.error('configuration reload rejected; keeping the previous configuration', errorFields(error));
      return;
    }
    loop.configure(settings.config, settings.intervalMs, settings.timeoutMs);
    logger.info('configuration reloaded', {
      interval_s: settings.intervalMs / 1000,
      audit_timeout_s: (settings.timeoutMs ?? settings.intervalMs) / 1000,
    });
    await loop.runNow();
  };

  const onHangup = (): void => void reload();
  const onTerminate = (signal: NodeJS.Signals): void => {
    logger.info('shutting down', { signal });
    void stop();
  };
  const stop = (): Promise<void> => {
    closing ??= (async () => {
      loop.stop();
      if (options.handleSignals !== false) {
        process.off('SIGHUP', onHangup);
        process.off('SIGTERM', onTerminate);
        process.off('SIGINT', onTerminate);
      }
      // Past the grace period, connections still open (a stuck client) are cut.
      const force = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      try {
        await app.close();
      } finally {
        clearTimeout(force);
      }
      logger.info('stopped');
      resolveClosed();
    })();
    return closing;
  };

  if (options.handleSignals !== false) {
    process.on('SIGHUP', onHangup);
    process.on('SIGTERM', onTerminate);
    process.on('SIGINT', onTerminate);
  }

  // The first audit starts now; /readyz answers 503 until it is done.
  void loop.runNow();
  return { address, scheme, closed, reload, stop };
}

/**
 * What a reload would take away, in words, or undefined. Protection is only ever added by a reload
 * (new users, new certificates); removing it needs a restart, so that an emptied or truncated web
 * config file cannot silently open /metrics to anyone (exporter-toolkit has no such guard).
 */
export function weakenedProtection(current: WebConfig, next: WebConfig): string | undefined {
  if (current.basicAuthUsers.size > 0 && next.basicAuthUsers.size === 0)
    return 'removing basic_auth_users (all authentication) needs a restart';
  if (current.tls !== undefined && next.tls === undefined) return 'removing tls_server_config (TLS) needs a restart';
  return undefined;
}

function errorFields(error: unknown): Record<string, string | undefined> {
  if (!(error instanceof Error)) return { err: String(error) };
  const { key, code } = error as Error & { key?: unknown; code?: unknown };
  return {
    err: error.message,
    key: typeof key === 'string' ? key : undefined,
    code: typeof code === 'string' ? code : undefined,
  };
}
