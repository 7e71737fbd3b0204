import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay, createHttpClient, HttpStatusError, NetworkError, parseRetryAfter } from './http';
import { seededRandom } from './clock';

type Handler = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, n: number) => void;
const servers: http.Server[] = [];
const serve = async (handler: Handler) => {
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks), res, n++));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
};
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const clock = () => 1_000_000;
const sleeps: number[] = [];
const fakeSleep = async (ms: number) => {
  sleeps.push(ms);
};

describe('sync http client', () => {
  it('sends the token, gzips large bodies and decodes gzip answers', async () => {
    const url = await serve((req, body, res) => {
      const plain = req.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(body) : body;
      const answer = zlib.gzipSync(
        JSON.stringify({
          auth: req.headers.authorization,
          enc: req.headers['content-encoding'] ?? null,
          len: plain.length,
        }),
      );
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': answer.length });
      res.end(answer);
    });
    const c = createHttpClient({
      baseUrl: url,
      getToken: () => 'tok',
      clock,
      random: seededRandom(1),
      sleep: fakeSleep,
    });
    const big = await c.request({ method: 'POST', path: '/push', json: { x: 'a'.repeat(5000) } });
    expect(JSON.parse(big.body.toString())).toEqual({ auth: 'Bearer tok', enc: 'gzip', len: 5008 });
    const small = await c.request({ method: 'POST', path: '/push', json: { x: 1 } });
    expect(JSON.parse(small.body.toString()).enc).toBeNull();
    c.close();
  });

  it('retries 503 honouring Retry-After, then succeeds', async () => {
    sleeps.length = 0;
    const url = await serve((_req, _b, res, n) => {
      if (n < 2) {
        res.writeHead(503, { 'retry-after': '7' });
        res.end();
      } else res.end('ok');
    });
    const c = createHttpClient({ baseUrl: url, clock, random: () => 0, sleep: fakeSleep });
    const r = await c.request({ method: 'GET', path: '/x' });
    expect(r.body.toString()).toBe('ok');
    expect(sleeps).toEqual([7000, 7000]);
    c.close();
  });

  it('leaves a Retry-After longer than its backoff cap to the caller, unslept', async () => {
    sleeps.length = 0;
    let hits = 0;
    const url = await serve((_req, _b, res) => {
      hits++;
      res.writeHead(429, { 'retry-after': '120' });
      res.end();
    });
    const c = createHttpClient({
      baseUrl: url,
      clock,
      random: () => 0,
      sleep: fakeSleep,
      backoff: { baseMs: 200, maxMs: 5000 },
    });
    const e = await c.request({ method: 'GET', path: '/x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpStatusError);
    expect(e).toMatchObject({ status: 429, retryAfterMs: 120_000 });
    expect(hits).toBe(1);
    expect(sleeps).toEqual([]);
    c.close();
  });

  it('does not retry 401 and reports it', async () => {
    let hits = 0;
    const url = await serve((_req, _b, res) => {
      hits++;
      res.writeHead(401);
      res.end('no');
    });
    const c = createHttpClient({ baseUrl: url, clock, random: () => 0.5, sleep: fakeSleep });
    await expect(c.request({ method: 'GET', path: '/x' })).rejects.toBeInstanceOf(HttpStatusError);
    expect(hits).toBe(1);
    c.close();
  });

  it('times out a held answer and detects a truncated body', async () => {
    const url = await serve((req, _b, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 500);
      res.writeHead(200, { 'content-length': 100 });
      res.write('short');
      res.socket?.destroy();
    });
    const c = createHttpClient({
      baseUrl: url,
      clock,
      random: () => 0,
      sleep: fakeSleep,
      timeoutMs: 100,
      maxAttempts: 2,
    });
    await expect(c.request({ method: 'GET', path: '/slow' })).rejects.toBeInstanceOf(NetworkError);
    await expect(c.request({ method: 'GET', path: '/cut' })).rejects.toBeInstanceOf(NetworkError);
    c.close();
  });

  it('keeps a slow but moving transfer alive past its deadline, and cuts a stalled one', async () => {
    // The deadline is on idleness: 200 ms without a byte moving, not 200 ms in all.
    const url = await serve((req, _b, res) => {
      res.writeHead(200, { 'content-length': req.url === '/slow' ? 2000 : 1000 });
      let sent = 0;
      const tick = setInterval(() => {
        if (req.url === '/stall' && sent >= 500) return;
        res.write('x'.repeat(100));
        sent += 100;
        if (sent >= 2000) {
          clearInterval(tick);
          res.end();
        }
      }, 40);
      res.on('close', () => clearInterval(tick));
    });
    const c = createHttpClient({ baseUrl: url, clock, random: () => 0, sleep: fakeSleep, timeoutMs: 200 });
    const t0 = Date.now();
    const slow = await c.request({ method: 'GET', path: '/slow', retry: false });
    expect(slow.body.length).toBe(2000);
    expect(Date.now() - t0).toBeGreaterThan(600);
    const e = await c.request({ method: 'GET', path: '/stall', retry: false }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetworkError);
    expect(String(e)).toContain('no progress');
    c.close();
  });

  it('does not cut an upload the hub reads slowly, but cuts one it stops reading', async () => {
    // 48 MiB: far more than the OS buffers between two loopback sockets hold, so the client sees the
    // upload move (or stall) through its own writes.
    const big = crypto.randomBytes(48 * 1024 * 1024);
    const server = http.createServer((req, res) => {
      if (req.url === '/stall') return void req.pause();
      let got = 0;
      req.on('data', (c: Buffer) => {
        got += c.length;
        req.pause();
        setTimeout(() => req.resume(), 1);
      });
      req.on('end', () => res.end(String(got)));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const c = createHttpClient({
      baseUrl: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
      clock,
      random: () => 0,
      sleep: fakeSleep,
      timeoutMs: 1500,
      // The last ~4 MiB drain from OS buffers unseen: allowed 2 s at this rate.
      minUploadBytesPerSec: 2 * 1024 * 1024,
    });
    const body = { data: big, headers: { 'content-type': 'application/octet-stream' }, rawBytes: big.length };
    const t0 = Date.now();
    const ok = await c.request({ method: 'POST', path: '/slow', body, retry: false });
    expect(Number(ok.body.toString())).toBe(big.length);
    expect(Date.now() - t0).toBeGreaterThan(1500);
    const e = await c
      .request({ method: 'POST', path: '/stall', body, retry: false })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetworkError);
    c.close();
  });

  it('backs off exponentially with full jitter, capped', () => {
    const policy = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0.999)).toBe(799);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(10, policy, () => 0)).toBe(0);
  });

  it('never waits less than the floor, so retries spread over seconds', () => {
    const policy = { minMs: 1000, baseMs: 2000, maxMs: 8000 };
    expect(backoffDelay(0, policy, () => 0)).toBe(1000);
    expect(backoffDelay(0, policy, () => 0.999)).toBe(1999);
    expect(backoffDelay(2, policy, () => 0.999)).toBe(7993);
    expect(backoffDelay(9, { minMs: 500, baseMs: 1, maxMs: 100 }, () => 0.5)).toBe(500);
  });

  it('parses Retry-After seconds and dates against the given clock', () => {
    expect(parseRetryAfter('3', clock)).toBe(3000);
    expect(parseRetryAfter(new Date(1_005_000).toUTCString(), () => 1_000_000)).toBe(5000);
    expect(parseRetryAfter('soon', clock)).toBeNull();
  });
});
