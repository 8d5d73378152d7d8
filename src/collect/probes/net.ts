// Network primitives of the live probes: one TLS handshake, one HTTP(S) request, each bounded
// in time and in the bytes it reads. They never throw: every outcome is a value.
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';

/**
 * OpenSSL's error text without its internals (`80EC…:error:0A000412:SSL routines:ssl3_read_bytes:
 * sslv3 alert bad certificate:../deps/…:1601:SSL alert number 42`) → `sslv3 alert bad certificate`.
 */
export function tlsErrorText(message: string): string {
  const line = message.split('\n')[0]!;
  return (
    /((?:sslv3|tlsv1\d?) alert [a-z ]+)/i.exec(line)?.[1]?.trim() ??
    line.replace(/^[0-9A-F]+:error:[0-9A-F]+:SSL routines:[^:]*:/, '').replace(/:\.\.\/deps\/.*$/, '')
  );
}

export interface ClientCredentials {
  /** PEM texts, read by the caller from operator-configured paths; never logged. */
  cert: string;
  key: string;
  ca?: string;
}

export type HandshakeOutcome =
  | { outcome: 'tls'; protocol: string }
  | { outcome: 'plain-http' }
  | { outcome: 'refused' | 'timeout' | 'error'; detail: string };

const MAX_BODY_BYTES = 64 * 1024;

/** Does `host:port` speak TLS? A server answering a ClientHello with plain HTTP is `plain-http`. */
export function probeHandshake(host: string, port: number, timeoutMs: number): Promise<HandshakeOutcome> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      rejectUnauthorized: false,
      ...(net.isIP(host) ? {} : { servername: host }),
    });
    const done = (result: HandshakeOutcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => done({ outcome: 'timeout', detail: `no TLS handshake within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.once('secureConnect', () => done({ outcome: 'tls', protocol: socket.getProtocol() ?? 'TLS' }));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') {
        done({ outcome: 'refused', detail: 'connection refused' });
        return;
      }
      // OpenSSL reports an HTTP answer to a ClientHello as a wrong version / packet length, and a
      // plain-HTTP server that multiplexes protocols (etcd's cmux) just hangs up. Either way, ask
      // in plain HTTP whether it speaks that instead, in the time the handshake left.
      clearTimeout(timer);
      socket.destroy();
      const remainingMs = Math.round(deadline - performance.now());
      if (remainingMs < 1) {
        resolve({ outcome: 'timeout', detail: `no TLS handshake within ${timeoutMs} ms` });
        return;
      }
      void answersPlainHttp(host, port, remainingMs).then((plain) =>
        resolve(plain ? { outcome: 'plain-http' } : { outcome: 'error', detail: error.message.split('\n')[0]! }),
      );
    });
  });
}

/** True when `host:port` answers a plain HTTP request with an HTTP status line. */
export function answersPlainHttp(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let received = '';
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => socket.write(`GET / HTTP/1.0\r\nHost: ${host}\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.length >= 5) done(received.startsWith('HTTP/'));
    });
    socket.once('error', () => done(false));
    socket.once('end', () => done(received.startsWith('HTTP/')));
  });
}

export type HttpOutcome =
  | { outcome: 'response'; status: number; body: string }
  | { outcome: 'refused' | 'timeout' | 'tls-rejected' | 'error'; detail: string };

export interface HttpRequestOptions {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  timeoutMs: number;
  credentials?: ClientCredentials;
}

/**
 * One HTTP(S) request. Without credentials the server's certificate is not verified: we probe what
 * a local port does and send it nothing worth protecting. With credentials (only ever for the etcd
 * client URL the operator configured) and a CA, the server must present a certificate of that CA
 * before the request is sent; the host name is not checked, because we connect to the address
 * etcd's own listener is bound to, not to a name.
 */
export function httpRequest(options: HttpRequestOptions): Promise<HttpOutcome> {
  return new Promise((resolve) => {
    const url = new URL(options.url);
    const isHttps = url.protocol === 'https:';
    const common = {
      method: options.method ?? 'GET',
      agent: false as const,
      headers: {
        'user-agent': 'scs-node-audit-probe',
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
      },
    };
    let settled = false;
    const done = (result: HttpOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const onResponse = (response: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      response.once('end', () =>
        done({ outcome: 'response', status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.once('error', (error) => done({ outcome: 'error', detail: error.message }));
    };
    const verifyWith = options.credentials?.ca;
    let request: http.ClientRequest;
    try {
      request = isHttps
        ? https.request(
            url,
            {
              ...common,
              rejectUnauthorized: verifyWith !== undefined,
              ...(verifyWith !== undefined && { ca: verifyWith, checkServerIdentity: () => undefined }),
              ...(options.credentials && { cert: options.credentials.cert, key: options.credentials.key }),
            },
            onResponse,
          )
        : http.request(url, common, onResponse);
    } catch (error) {
      // A malformed PEM fails when the TLS context is built; say so without repeating any of it.
      const code = (error as NodeJS.ErrnoException).code;
      resolve({ outcome: 'error', detail: `the client certificate or key cannot be used${code ? ` (${code})` : ''}` });
      return;
    }
    const timer = setTimeout(
      () => done({ outcome: 'timeout', detail: `no answer within ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    request.once('error', (error: NodeJS.ErrnoException) => done(requestFailure(error, tlsErrorText(error.message))));
    request.end(options.body);
  });
}

/** A request that failed: refused, rejected in the TLS handshake, or `otherDetail` for any other error. */
function requestFailure(
  error: NodeJS.ErrnoException,
  otherDetail: string,
): { outcome: 'refused' | 'tls-rejected' | 'error'; detail: string } {
  if (error.code === 'ECONNREFUSED') return { outcome: 'refused', detail: 'connection refused' };
  // A server that requires a client certificate ends the handshake with an alert
  // (TLS 1.3: after the client's Finished, so it surfaces here as a reset or an alert).
  if (/alert|certificate required|handshake failure|ECONNRESET|EPIPE/i.test(`${error.code ?? ''} ${error.message}`)) {
    return { outcome: 'tls-rejected', detail: tlsErrorText(error.message) };
  }
  return { outcome: 'error', detail: otherDetail };
}

export type GrpcOutcome =
  | { outcome: 'grpc'; code: number; message: string }
  | { outcome: 'refused' | 'timeout' | 'tls-rejected' | 'error'; detail: string };

export interface GrpcRequestOptions {
  /** `https://host:port` or `http://host:port` (h2c, as etcd serves gRPC on plain client URLs). */
  origin: string;
  /** `/package.Service/Method`. */
  method: string;
  /** The serialised protobuf request. */
  message: Uint8Array;
  timeoutMs: number;
  credentials?: ClientCredentials;
}

/**
 * One unary gRPC call over HTTP/2, reading only its status (`grpc-status`, `grpc-message`); the
 * response message is not decoded. For servers whose HTTP/JSON gateway is off (etcd 3.4 started
 * with `--config-file` has none).
 */
export function grpcUnary(options: GrpcRequestOptions): Promise<GrpcOutcome> {
  return new Promise((resolve) => {
    const verifyWith = options.credentials?.ca;
    let session: http2.ClientHttp2Session;
    try {
      session = http2.connect(options.origin, {
        rejectUnauthorized: verifyWith !== undefined,
        ...(verifyWith !== undefined && { ca: verifyWith, checkServerIdentity: () => undefined }),
        ...(options.credentials && { cert: options.credentials.cert, key: options.credentials.key }),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      resolve({ outcome: 'error', detail: `the client certificate or key cannot be used${code ? ` (${code})` : ''}` });
      return;
    }
    let settled = false;
    const done = (result: GrpcOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => done({ outcome: 'timeout', detail: `no answer within ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    const fail = (error: NodeJS.ErrnoException) => done(requestFailure(error, error.message.split('\n')[0]!));
    session.once('error', fail);
    const frame = Buffer.alloc(5 + options.message.length);
    frame.writeUInt8(0, 0); // not compressed
    frame.writeUInt32BE(options.message.length, 1);
    frame.set(options.message, 5);
    const stream = session.request({
      ':method': 'POST',
      ':path': options.method,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    stream.once('error', fail);
    const status = (headers: http2.IncomingHttpHeaders) => {
      const code = headers['grpc-status'];
      if (code === undefined) return;
      let message = String(headers['grpc-message'] ?? '');
      try {
        message = decodeURIComponent(message);
      } catch {
        // keep the raw text: it is only shown
      }
      done({ outcome: 'grpc', code: Number(code), message: message.slice(0, 200) });
    };
    // An error answer is "trailers-only": the status arrives with the response headers.
    stream.once('response', status);
    stream.once('trailers', status);
    stream.on('data', () => undefined);
    stream.once('end', () => done({ outcome: 'error', detail: 'the gRPC call ended without a status' }));
    stream.end(frame);
  });
}
