// buildServer: the daemon's HTTP(S) server as one fastify instance with one encapsulated plugin
// per route family (STYLE §3.9). It never listens; only runDaemon does.
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { silentLogger, type Logger } from '../log.js';
import type { AuditMetricsState } from '../report/prometheus.js';
import { createBasicAuthVerifier } from './basic-auth.js';
import { healthRoutes } from './routes/health.js';
import { createDaemonRegistry, metricsRoutes } from './routes/metrics.js';
import { reportRoutes } from './routes/report.js';
import { statusRoutes } from './routes/status.js';
import type { TlsSettings, WebConfig } from './web-config.js';

export interface ServerDeps {
  /** The audit loop's current snapshot. */
  readState: () => AuditMetricsState;
  /** Defaults to a fresh registry with process metrics and the audit families. */
  registry?: Registry;
  /** Read per request, so a reloaded web config changes users and headers at once. */
  webConfig?: () => WebConfig;
  logger?: Logger;
  now?: () => Date;
}

export type AuditServer = FastifyInstance;

const NO_WEB_CONFIG: WebConfig = { tls: undefined, basicAuthUsers: new Map(), headers: {} };

export function buildServer(deps: ServerDeps): AuditServer {
  const readWebConfig = deps.webConfig ?? (() => NO_WEB_CONFIG);
  const logger = deps.logger ?? silentLogger;
  const tls = readWebConfig().tls;
  const app = Fastify({
    logger: false,
    // Closing ends idle keep-alive connections (Prometheus keeps one open) and lets the
    // response in flight finish.
    forceCloseConnections: 'idle',
    // TLS is fixed when the server is built; certificates can be replaced with setSecureContext.
    serverFactory: (handler) => (tls === undefined ? createHttpServer(handler) : createTlsServer(tls, handler, logger)),
  });

  // On the root instance, so it guards every route family registered below.
  const verify = createBasicAuthVerifier(() => readWebConfig().basicAuthUsers);
  app.addHook('onRequest', async (request, reply) => {
    const config = readWebConfig();
    for (const [name, value] of Object.entries(config.headers)) void reply.header(name, value);
    void reply.header('x-content-type-options', 'nosniff');
    if (config.basicAuthUsers.size === 0) return;
    const verdict = await verify(request.headers.authorization);
    if (verdict === 'allowed') return;
    logger.debug('basic auth rejected', {
      remote: request.ip,
      path: request.routeOptions.url ?? request.url.split('?')[0],
      busy: verdict === 'busy',
    });
    if (verdict === 'busy') {
      // Too many password checks at once (a brute force, most likely): unchecked, not denied.
      return reply
        .code(429)
        .header('retry-after', '1')
        .type('text/plain; charset=utf-8')
        .send('Too many authentication attempts at once; retry later\n');
    }
    return reply
      .code(401)
      .header('www-authenticate', 'Basic realm="scs-node-audit", charset="UTF-8"')
      .type('text/plain; charset=utf-8')
      .send('Unauthorized\n');
  });

  const registry = deps.registry ?? createDaemonRegistry(deps.readState);
  void app.register(metricsRoutes, { registry });
  void app.register(reportRoutes, { readReport: () => deps.readState().report });
  void app.register(healthRoutes, { isReady: () => deps.readState().report !== undefined });
  void app.register(statusRoutes, { readState: deps.readState, ...(deps.now === undefined ? {} : { now: deps.now }) });
  return app;
}

/** Node TLS options for the exporter-toolkit settings (client_auth_type as Go's tls.ClientAuthType). */
export function tlsServerOptions(tls: TlsSettings): HttpsServerOptions {
  const verifyAtHandshake = tls.clientAuthType === 'RequireAndVerifyClientCert';
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.clientCa === undefined ? {} : { ca: tls.clientCa }),
    minVersion: tls.minVersion,
    maxVersion: tls.maxVersion,
    requestCert: tls.clientAuthType !== 'NoClientCert',
    rejectUnauthorized: verifyAtHandshake,
  };
}

function createTlsServer(tls: TlsSettings, handler: RequestListener, logger: Logger): Server {
  const server = createHttpsServer(tlsServerOptions(tls), handler);
  // Node has no handshake-time policy for "require any certificate" or "verify only if given";
  // these connections are cut right after the handshake, before a request is read.
  if (tls.clientAuthType === 'RequireAnyClientCert' || tls.clientAuthType === 'VerifyClientCertIfGiven') {
    server.on('secureConnection', (socket: TLSSocket) => {
      const presented = Object.keys(socket.getPeerCertificate()).length > 0;
      const refused = tls.clientAuthType === 'RequireAnyClientCert' ? !presented : presented && !socket.authorized;
      if (refused) {
        logger.debug('client certificate refused', {
          remote: socket.remoteAddress,
          reason: presented ? String(socket.authorizationError) : 'no certificate',
        });
        socket.destroy();
      }
    });
  }
  server.on('tlsClientError', (error: Error, socket: TLSSocket) => {
    logger.debug('TLS handshake failed', { remote: socket.remoteAddress, err: error.message });
  });
  return server;
}
