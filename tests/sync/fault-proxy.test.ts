import http from 'node:http';
import type net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

/** A counting echo server: every POST increments, answers {n, body}. */
const startUpstream = async () => {
  let hits = 0;
  const order: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits++;
      order.push(req.url ?? '');
      const body = JSON.stringify({ n: hits, url: req.url, body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    hits: () => hits,
    order,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
};

type Answer = { status: number; body: string } | { error: string };
const call = (port: number, path: string, body = 'x', timeoutMs = 3000): Promise<Answer> =>
  new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('aborted', () => resolve({ error: 'aborted' }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end(body);
  });

describe('fault proxy', () => {
  let up: Awaited<ReturnType<typeof startUpstream>>;
  let proxy: FaultProxy;
  beforeEach(async () => {
    up = await startUpstream();
    proxy = await startFaultProxy({ targetPort: up.port, seed: 1, holdMs: 400, reorderWaitMs: 500 });
  });
  afterEach(async () => {
    await proxy.close();
    await up.close();
  });

  it('passes requests through unchanged', async () => {
    const a = await call(proxy.port, '/push', 'hello');
    expect(a).toMatchObject({ status: 200 });
    expect(JSON.parse((a as { body: string }).body)).toMatchObject({ n: 1, url: '/push', body: 'hello' });
    expect(proxy.log).toEqual([{ i: 0, method: 'POST', path: '/push', fault: 'pass' }]);
  });

  it('drop: the hub never sees the request, the client sees a reset', async () => {
    proxy.enqueue('drop');
    expect(await call(proxy.port, '/push')).toHaveProperty('error');
    expect(up.hits()).toBe(0);
  });

  it('cut: the hub applies the request, the client never gets the answer', async () => {
    proxy.enqueue('cut');
    expect(await call(proxy.port, '/push')).toHaveProperty('error');
    expect(up.hits()).toBe(1);
  });

  it('dup: the hub receives the request twice', async () => {
    proxy.enqueue('dup');
    const a = await call(proxy.port, '/push');
    expect(JSON.parse((a as { body: string }).body).n).toBe(2);
    expect(up.hits()).toBe(2);
  });

  it('hold: the answer comes after the client gave up, yet the hub applied it', async () => {
    proxy.enqueue('hold');
    expect(await call(proxy.port, '/push', 'x', 150)).toEqual({ error: 'timeout' });
    expect(up.hits()).toBe(1);
  });

  it('truncate: the client gets half a body and a cut', async () => {
    proxy.enqueue('truncate');
    const a = await call(proxy.port, '/push');
    expect('error' in a || (a as { body: string }).body.length < 20).toBe(true);
    expect(up.hits()).toBe(1);
  });

  it('e503 carries Retry-After; e401 answers without forwarding', async () => {
    proxy.enqueue('e503', 'e401');
    expect(await call(proxy.port, '/a')).toMatchObject({ status: 503 });
    expect(await call(proxy.port, '/b')).toMatchObject({ status: 401 });
    expect(up.hits()).toBe(0);
  });

  it('reorder: the first request reaches the hub after the second', async () => {
    proxy.enqueue('reorder');
    const [a, b] = await Promise.all([
      call(proxy.port, '/first'),
      new Promise((r) => setTimeout(r, 50)).then(() => call(proxy.port, '/second')),
    ]);
    expect(a).toMatchObject({ status: 200 });
    expect(b).toMatchObject({ status: 200 });
    expect(up.order).toEqual(['/second', '/first']);
  });

  it('refuses connections for a while, then listens again on the same port', async () => {
    const refusing = proxy.refuseFor(300);
    await new Promise((r) => setTimeout(r, 50));
    expect(await call(proxy.port, '/x')).toEqual({ error: 'ECONNREFUSED' });
    await refusing;
    expect(await call(proxy.port, '/x')).toMatchObject({ status: 200 });
  });

  it('is deterministic for a seed and logs every decision', async () => {
    const runOnce = async (seed: number) => {
      const p = await startFaultProxy({ targetPort: up.port, seed, rates: { pass: 1, e503: 1, e401: 1 } });
      for (let i = 0; i < 12; i++) await call(p.port, `/r${i}`);
      await p.close();
      return p.log.map((d) => d.fault);
    };
    const a = await runOnce(42);
    expect(await runOnce(42)).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(1);
  });
});
