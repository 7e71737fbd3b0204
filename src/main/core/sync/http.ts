import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Clock } from '../../../shared/clock';
import { type Sleep, realSleep } from './clock';

/** The hub answered with a status we do not retry (or we ran out of attempts on one we do). */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly retryAfterMs: number | null,
  ) {
    super(`hub answered HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
    this.name = 'HttpStatusError';
  }
}

/** How a request got no answer, for the words a person is shown (see SyncProblem). */
export type NetworkFailure = 'unreachable' | 'timeout' | 'cut' | 'offline';

/** Socket errors that mean nothing answers at that address. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
]);

/** No answer: refused, reset, timed out or cut mid-body. Always safe to retry (pushes are idempotent). */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly failure: NetworkFailure = 'cut',
  ) {
    super(message);
    this.name = 'NetworkError';
  }

  /** A socket error on `what` (method and path), classified by its code. */
  static fromSocket(what: string, e: Error & { code?: string }): NetworkError {
    return new NetworkError(
      `${what}: ${e.message}`,
      e.code !== undefined && UNREACHABLE_CODES.has(e.code) ? 'unreachable' : 'cut',
    );
  }
}

export type HttpResponse = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/**
 * `minMs`: the shortest wait (default 0). A retry that may follow within a few milliseconds
 * lands in the same outage or overload as the try it repeats (issue 16.6: three lost lease
 * answers in 0.2 s); a floor of a second spreads the retries over seconds.
 */
export type BackoffPolicy = { baseMs: number; maxMs: number; minMs?: number };

export interface HttpClientOptions {
  baseUrl: string;
  /** Read on every request so a sign-in takes effect at once. */
  getToken?: () => string | null | undefined;
  clock: Clock;
  /** Uniform [0,1); seeded in tests. */
  random: () => number;
  sleep?: Sleep;
  /**
   * How long a request may go without progress (a byte of the body leaving or of the answer
   * arriving, or the hub thinking) before it is abandoned. Not a total: a big upload on a slow
   * link that keeps moving is never cut, a stalled one is cut after this long.
   */
  timeoutMs?: number;
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Request bodies at least this large are gzipped. */
  gzipMinBytes?: number;
  /**
   * The slowest uplink we still serve, bytes/s. Once a body has been handed to the OS its bytes
   * can sit in socket buffers (megabytes on Linux) where we cannot watch them leave: the wait
   * for the answer is allowed the idle deadline plus the time those bytes take at this rate.
   */
  minUploadBytesPerSec?: number;
}

/** What the OS may hold of a body we handed it (Linux autotunes send buffers up to 4 MiB). */
export const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

/** A request body encoded ahead of time (see `HttpClient.prepareJson`), sent as is on every attempt. */
export type PreparedBody = { data: Buffer; headers: Record<string, string>; rawBytes: number };

export type RequestOptions = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  json?: unknown;
  body?: PreparedBody;
  headers?: Record<string, string>;
  /** false: one attempt only (the caller retries on its own terms). */
  retry?: boolean;
  /** Idle deadline for this request (see `HttpClientOptions.timeoutMs`). */
  timeoutMs?: number;
};

/** Bodies larger than this are written in pieces, each piece leaving counting as progress. */
export const UPLOAD_CHUNK_BYTES = 16 * 1024;

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Full jitter (AWS architecture blog): uniform in [min, max(min, min(max, base·2^attempt))). */
export const backoffDelay = (attempt: number, policy: BackoffPolicy, random: () => number): number => {
  const min = policy.minMs ?? 0;
  const cap = Math.max(min, Math.min(policy.maxMs, policy.baseMs * 2 ** attempt));
  return Math.floor(min + random() * (cap - min));
};

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export const parseRetryAfter = (value: string | string[] | undefined, clock: Clock): number | null => {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - clock());
};

/**
 * Level 1: about a third of level 6's CPU for ~25% more bytes on JSON of numbers (a ten-box task
 * is still a few hundred bytes), and the CPU is what bounds a big push on two cores.
 */
export const GZIP_LEVEL = 1;
const gzip = promisify(zlib.gzip);

export interface HttpClient {
  readonly baseUrl: string;
  /** Encodes JSON text for a later `request({ body })`: gzip off the main thread when large enough. */
  prepareJson(text: string): Promise<PreparedBody>;
  request(options: RequestOptions): Promise<HttpResponse>;
  /** One attempt; hands the live response to `sink` (asset downloads stream into a file). */
  stream<T>(
    options: Omit<RequestOptions, 'json' | 'retry'>,
    sink: (res: http.IncomingMessage) => Promise<T>,
  ): Promise<T>;
  close(): void;
}

export const createHttpClient = (options: HttpClientOptions): HttpClient => {
  const base = new URL(options.baseUrl);
  const lib = base.protocol === 'https:' ? https : http;
  const agent = new lib.Agent({ keepAlive: true, maxSockets: 8 });
  const sleep = options.sleep ?? realSleep;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = options.backoff ?? { baseMs: 250, maxMs: 30_000 };
  const gzipMin = options.gzipMinBytes ?? 1024;
  const minUploadRate = options.minUploadBytesPerSec ?? 16 * 1024;

  const buildHeaders = (extra: Record<string, string> | undefined): Record<string, string> => {
    const headers: Record<string, string> = { 'accept-encoding': 'gzip', ...extra };
    const token = options.getToken?.();
    if (token) headers.authorization = `Bearer ${token}`;
    return headers;
  };

  /**
   * Starts a request. The deadline is an idle one: every piece of the body the socket takes and
   * every piece of the answer read (`progress`) starts it over, so time spent moving bytes is
   * never held against a request, only time in which nothing moves.
   */
  const open = (
    method: string,
    path: string,
    headers: Record<string, string>,
    body: Buffer | null,
    ms: number,
  ): Promise<{
    res: http.IncomingMessage;
    done: () => void;
    fail: (e: Error) => void;
    failed: Promise<never>;
    progress: () => void;
  }> =>
    new Promise((resolve, reject) => {
      const url = new URL(path.replace(/^\//, ''), base.href.endsWith('/') ? base.href : `${base.href}/`);
      let rejectFailed: (e: Error) => void = () => undefined;
      const failed = new Promise<never>((_, rej) => {
        rejectFailed = rej;
      });
      failed.catch(() => undefined);
      const req = lib.request(url, { method, headers, agent });
      let settled = false;
      const expire = (after: number) => () => {
        const e = new NetworkError(`no progress for ${after} ms: ${method} ${path}`, 'timeout');
        req.destroy(e);
        rejectFailed(e);
      };
      let timer = setTimeout(expire(ms), ms);
      const progress = () => void timer.refresh();
      if (body && body.length > 0)
        req.on('finish', () => {
          if (settled) return;
          // Written to the OS; what of it is still buffered drains unseen (see minUploadBytesPerSec).
          const unseen = Math.min(body.length, SOCKET_BUFFER_BYTES);
          const allowance = ms + Math.ceil((unseen / minUploadRate) * 1000);
          clearTimeout(timer);
          timer = setTimeout(expire(allowance), allowance);
        });
      req.on('error', (e) => {
        clearTimeout(timer);
        const ne = e instanceof NetworkError ? e : NetworkError.fromSocket(`${method} ${path}`, e);
        rejectFailed(ne);
        if (!settled) {
          settled = true;
          reject(ne);
        }
      });
      req.on('response', (res) => {
        settled = true;
        // The answer has begun: from here every piece read is progress, seen as it happens.
        clearTimeout(timer);
        timer = setTimeout(expire(ms), ms);
        res.on('aborted', () => rejectFailed(new NetworkError(`${method} ${path}: answer cut`)));
        res.on('error', (e) => rejectFailed(new NetworkError(`${method} ${path}: ${e.message}`)));
        resolve({
          res,
          done: () => clearTimeout(timer),
          fail: (e: Error) => {
            clearTimeout(timer);
            req.destroy(e);
          },
          failed,
          progress,
        });
      });
      writeBody(req, body, progress);
    });

  /** Writes the body piece by piece as the socket takes it; each piece taken is progress. */
  const writeBody = (req: http.ClientRequest, body: Buffer | null, progress: () => void): void => {
    if (!body || body.length <= UPLOAD_CHUNK_BYTES) {
      req.end(body ?? undefined);
      return;
    }
    let at = 0;
    const pump = (): void => {
      while (at < body.length) {
        const piece = body.subarray(at, at + UPLOAD_CHUNK_BYTES);
        at += piece.length;
        if (!req.write(piece, progress)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    req.on('drain', progress);
    pump();
  };

  const readAll = async (
    res: http.IncomingMessage,
    failed: Promise<never>,
    progress: () => void,
  ): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    const reading = (async () => {
      for await (const c of res) {
        chunks.push(c as Buffer);
        progress();
      }
    })();
    await Promise.race([reading, failed]);
    const body = Buffer.concat(chunks);
    const expected = res.headers['content-length'];
    if (expected !== undefined && Number(expected) !== body.length) {
      throw new NetworkError(`answer truncated: ${body.length} of ${expected} bytes`);
    }
    return body;
  };

  const encodeHeaders = (data: Buffer, gzipped: boolean): Record<string, string> => ({
    'content-type': 'application/json',
    ...(gzipped ? { 'content-encoding': 'gzip' } : {}),
    'content-length': String(data.length),
  });

  const prepareJson = async (text: string): Promise<PreparedBody> => {
    const raw = Buffer.from(text);
    if (raw.length < gzipMin) return { data: raw, headers: encodeHeaders(raw, false), rawBytes: raw.length };
    const data = await gzip(raw, { level: GZIP_LEVEL });
    return { data, headers: encodeHeaders(data, true), rawBytes: raw.length };
  };

  const once = async (o: RequestOptions): Promise<HttpResponse> => {
    let extra: Record<string, string> = { ...o.headers };
    let body: Buffer | null = null;
    if (o.body !== undefined) {
      body = o.body.data;
      extra = { ...extra, ...o.body.headers };
    } else if (o.json !== undefined) {
      body = Buffer.from(JSON.stringify(o.json));
      const gzipped = body.length >= gzipMin;
      if (gzipped) body = zlib.gzipSync(body, { level: GZIP_LEVEL });
      extra = { ...extra, ...encodeHeaders(body, gzipped) };
    }
    const { res, done, failed, progress } = await open(
      o.method,
      o.path,
      buildHeaders(extra),
      body,
      o.timeoutMs ?? timeoutMs,
    );
    try {
      const raw = await readAll(res, failed, progress);
      let data = raw;
      if (res.headers['content-encoding'] === 'gzip') {
        try {
          data = zlib.gunzipSync(raw);
        } catch (e) {
          throw new NetworkError(`answer not valid gzip: ${(e as Error).message}`);
        }
      }
      return { status: res.statusCode ?? 0, headers: res.headers, body: data };
    } finally {
      done();
    }
  };

  return {
    baseUrl: base.href,
    prepareJson,
    async request(o) {
      const attempts = o.retry === false ? 1 : maxAttempts;
      let last: Error = new NetworkError('no attempt made');
      for (let attempt = 0; attempt < attempts; attempt++) {
        let waitAtLeast = 0;
        try {
          const r = await once(o);
          if (r.status < 400) return r;
          const retryAfter = parseRetryAfter(r.headers['retry-after'], options.clock);
          last = new HttpStatusError(r.status, r.body.toString('utf8'), retryAfter);
          if (!RETRYABLE_STATUS.has(r.status)) throw last;
          waitAtLeast = retryAfter ?? 0;
          // A wait longer than our own backoff cap is not slept here (it would hold the whole
          // cycle): the error carries it, and the sync loop starts no cycle before it is over.
          if (waitAtLeast > backoff.maxMs) throw last;
        } catch (e) {
          if (
            e instanceof HttpStatusError &&
            (!RETRYABLE_STATUS.has(e.status) || (e.retryAfterMs ?? 0) > backoff.maxMs)
          )
            throw e;
          if (!(e instanceof NetworkError) && !(e instanceof HttpStatusError)) throw e;
          last = e;
        }
        if (attempt + 1 < attempts) {
          await sleep(Math.max(waitAtLeast, backoffDelay(attempt, backoff, options.random)));
        }
      }
      throw last;
    },
    async stream(o, sink) {
      const headers = buildHeaders({ 'accept-encoding': 'identity', ...o.headers });
      const { res, done, fail, progress } = await open(
        o.method,
        o.path,
        headers,
        null,
        o.timeoutMs ?? timeoutMs,
      );
      // Sinks read in flowing mode (pipe / 'data'), so one more listener sees every piece.
      res.on('data', progress);
      try {
        // Wait for the sink itself (not a race): a cut must leave its bytes flushed to disk
        // before the caller resumes from the file's length. A cut or timeout errors `res`.
        return await sink(res);
      } catch (e) {
        fail(e instanceof Error ? e : new Error(String(e)));
        throw e;
      } finally {
        done();
      }
    },
    close() {
      agent.destroy();
    },
  };
};
