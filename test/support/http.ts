// Plain-HTTP requests to a daemon under test, by the `host:port` its `listening` log line gives.
import { request } from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** GET `urlPath`; 5 s at most, so a frozen daemon fails the test instead of hanging it. */
export function get(address: string, urlPath: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  // The last colon splits, so a bracketed IPv6 address keeps its own.
  const at = address.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: address.slice(0, at), port: Number(address.slice(at + 1)), path: urlPath, headers, timeout: 5_000 },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`GET ${urlPath}: no answer within 5 s`)));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** The value of an unlabelled series in a Prometheus exposition, or undefined. */
export const sample = (text: string, series: string): string | undefined =>
  text
    .split('\n')
    .find((line) => line.startsWith(`${series} `))
    ?.slice(series.length + 1);
