// One bounded HTTP GET, for the release data (`releases.url`). Not on the audit path: the daemon's
// daily refresh and `scs-node-audit releases update` call it. Bounded in time (one deadline for
// connect, headers and body together) and in size (counted while reading, not trusted from
// Content-Length), so a slow or endless answer cannot hold the caller.

export interface HttpGetOptions {
  timeoutMs: number;
  maxBytes: number;
  /** Sent as User-Agent, so a server operator can tell who asks. */
  userAgent: string;
}

export type HttpGetResult = { ok: true; text: string } | { ok: false; reason: string };

export const RELEASE_FETCH_TIMEOUT_MS = 15_000;
/** endoflife.date's kubernetes.json is about 10 KiB; 1 MiB leaves room and bounds memory. */
export const RELEASE_FETCH_MAX_BYTES = 1024 * 1024;

export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpGetResult> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      signal,
      redirect: 'follow',
      headers: { 'user-agent': options.userAgent, accept: 'application/json' },
    });
  } catch (error) {
    return { ok: false, reason: failureReason(error, options.timeoutMs) };
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, reason: `HTTP status ${response.status}` };
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, reason: `answer larger than ${options.maxBytes} bytes` };
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    const body: AsyncIterable<Uint8Array> | Iterable<Uint8Array> = response.body ?? [];
    for await (const chunk of body) {
      length += chunk.byteLength;
      if (length > options.maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        return { ok: false, reason: `answer larger than ${options.maxBytes} bytes` };
      }
      chunks.push(chunk);
    }
  } catch (error) {
    return { ok: false, reason: failureReason(error, options.timeoutMs) };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)) };
  } catch {
    return { ok: false, reason: 'answer is not valid UTF-8' };
  }
}

function failureReason(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no complete answer within ${timeoutMs} ms`;
  // fetch wraps the network error (ECONNREFUSED, ENOTFOUND, …) as `cause`.
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
