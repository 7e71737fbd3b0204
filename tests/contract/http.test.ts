// What only web mode has: the session token, the Host check, no CORS, assets, the page itself.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWorkbench, type ServedHost } from '../../src/main/web-host/app';
import { CONTRACT_VERSION } from '../../src/shared/contract';
import { startWebHost } from '../../src/main/web-host/server';
import { createFakeCore } from './fake-core';
import { call, type Answer } from './http-call';

const TOKEN = 'a-test-token-of-some-length';
const bearer = { authorization: `Bearer ${TOKEN}` };
const corsHeaders = (a: Answer) => Object.keys(a.headers).filter((h) => h.startsWith('access-control-'));

describe('web host over HTTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'outrigger-http-'));
  const assetBytes = Buffer.from('0123456789abcdefghij');
  const sha = createHash('sha256').update(assetBytes).digest('hex');
  let host: ServedHost;
  let port: number;
  const core = createFakeCore({ [sha]: join(dir, 'asset.bin') });
  let subscribed = 0;
  const subscribe = core.events.subscribe.bind(core.events);
  core.events.subscribe = (listener) => {
    subscribed++;
    const off = subscribe(listener);
    return () => {
      subscribed--;
      return off();
    };
  };

  beforeAll(async () => {
    writeFileSync(join(dir, 'asset.bin'), assetBytes);
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Outrigger</title>');
    writeFileSync(join(dir, 'renderer', 'app.js'), 'console.log(1)');
    host = await serveWorkbench(core, {
      token: TOKEN,
      rendererDir: join(dir, 'renderer'),
    });
    port = host.port;
  });
  afterAll(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const api = (headers: Record<string, string>, path = '/api/app.info', body = '{}') =>
    call(port, { method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body });

  it('listens on 127.0.0.1 only and prints a URL with the token', () => {
    expect(host.baseUrl).toBe(`http://127.0.0.1:${port}`);
    expect(host.url).toBe(`http://127.0.0.1:${port}/?token=${TOKEN}`);
  });

  it('answers 401 without the token, or with a wrong one, on the API, events and assets', async () => {
    for (const a of [
      await api({}),
      await api({ authorization: 'Bearer nope' }),
      await api({}, '/api/app.info?token=nope'),
    ]) {
      expect(a.status).toBe(401);
      expect(JSON.parse(a.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    expect((await call(port, { path: '/api/events', headOnly: true })).status).toBe(401);
    expect((await call(port, { path: `/assets/${sha}` })).status).toBe(401);
  });

  it('accepts the token as a Bearer header or as ?token=', async () => {
    expect(JSON.parse((await api(bearer)).body)).toMatchObject({ ok: true, value: { mode: 'test' } });
    expect(JSON.parse((await api({}, `/api/app.info?token=${TOKEN}`)).body)).toMatchObject({ ok: true });
    const events = await call(port, { path: `/api/events?token=${TOKEN}`, headOnly: true });
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
  });

  it('answers 403 for any Host but 127.0.0.1 or localhost on its own port', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      '127.0.0.1',
      `[::1]:${port}`,
    ]) {
      const a = await api({ ...bearer, host });
      expect(a.status, host).toBe(403);
      expect(JSON.parse(a.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }
    expect((await call(port, { path: '/', headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await api({ ...bearer, host: `localhost:${port}` })).status).toBe(200);
  });

  it('sends no CORS headers, even to a cross-origin request or preflight', async () => {
    const simple = await api({ ...bearer, origin: 'http://evil.example' });
    expect(corsHeaders(simple)).toEqual([]);
    const preflight = await call(port, {
      method: 'OPTIONS',
      path: '/api/app.info',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(corsHeaders(preflight)).toEqual([]);
  });

  it('turns a malformed body into INVALID_INPUT, and keeps serving', async () => {
    const bad = await api(bearer, '/api/tasks.open', '{"taskId": ');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', path: '(body)' },
    });
    const wrongType = await api(bearer, '/api/tasks.open', '{"taskId":7}');
    expect(JSON.parse(wrongType.body)).toMatchObject({ error: { code: 'INVALID_INPUT', path: 'taskId' } });
    const empty = await call(port, { method: 'POST', path: '/api/queue.counts', headers: bearer });
    expect(JSON.parse(empty.body)).toMatchObject({ ok: true });
    expect((await api(bearer)).status).toBe(200);
  });

  it('refuses a page of another contract major with VERSION_MISMATCH', async () => {
    const old = await api({ ...bearer, 'x-outrigger-contract': '0.9.0' });
    expect(old.status).toBe(409);
    expect(JSON.parse(old.body)).toMatchObject({ ok: false, error: { code: 'VERSION_MISMATCH' } });
    expect(
      (await api({ ...bearer, 'x-outrigger-contract': `${CONTRACT_VERSION.split('.')[0]}.99.0` })).status,
    ).toBe(200);
  });

  it('serves an asset with ETag, Range and immutable caching', async () => {
    const full = await call(port, { path: `/assets/${sha}?token=${TOKEN}` });
    expect(full.status).toBe(200);
    expect(full.body).toBe(assetBytes.toString());
    expect(full.headers['etag']).toBeTruthy();
    expect(full.headers['cache-control']).toContain('immutable');
    const part = await call(port, { path: `/assets/${sha}`, headers: { ...bearer, range: 'bytes=5-9' } });
    expect(part.status).toBe(206);
    expect(part.body).toBe('56789');
    const again = await call(port, {
      path: `/assets/${sha}`,
      headers: { ...bearer, 'if-none-match': String(full.headers['etag']) },
    });
    expect(again.status).toBe(304);
    expect((await call(port, { path: `/assets/${'0'.repeat(64)}`, headers: bearer })).status).toBe(404);
    const traversal = await call(port, { path: '/assets/../../etc/passwd', headers: bearer });
    expect(traversal.status).toBeGreaterThanOrEqual(400);
    expect(traversal.body).not.toContain('root:');
    expect((await call(port, { path: '/assets/not-a-hash', headers: bearer })).status).toBe(400);
  });

  it('serves the renderer at / without a token, with a strict CSP, and any page path as the app', async () => {
    const page = await call(port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Outrigger</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-eval');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect((await call(port, { path: '/app.js' })).body).toBe('console.log(1)');
    expect((await call(port, { path: '/queue/today' })).body).toContain('<title>Outrigger</title>');
  });

  it('drops the subscription of a client that left, and keeps going', async () => {
    await call(port, { path: `/api/events?token=${TOKEN}`, headOnly: true }); // cut after the head
    await new Promise<void>((resolve) => {
      const poll = () => (subscribed === 0 ? resolve() : setTimeout(poll, 10));
      poll();
    });
    core.events.emit('task.saved', { taskId: 'after', savedAt: 1 });
    expect((await api(bearer)).status).toBe(200);
  });

  it('answers a body over the limit with an INVALID_INPUT result', async () => {
    const small = await serveWorkbench(createFakeCore(), { token: TOKEN, rendererDir: dir, bodyLimit: 1024 });
    try {
      const big = await call(small.port, {
        method: 'POST',
        path: '/api/tasks.open',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ taskId: 'x'.repeat(4096) }),
      });
      expect(big.status).toBe(413);
      expect(JSON.parse(big.body)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', path: '(body)' },
      });
    } finally {
      await small.close();
    }
  });

  it('closes with an event stream still open', async () => {
    const extra = await serveWorkbench(createFakeCore(), { token: TOKEN, rendererDir: dir });
    const open = await call(extra.port, { path: `/api/events?token=${TOKEN}`, headOnly: true });
    expect(open.status).toBe(200);
    await extra.close(); // would hang here if the stream kept the server alive
  });
});

describe('startWebHost (the e2e entry)', () => {
  it('opens the workbench on a data dir, serves it, and closes it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'outrigger-web-'));
    const host = await startWebHost({
      dataDir,
      resourcesDir: 'resources',
      rendererDir: join(dataDir, 'none'),
    });
    try {
      expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
      expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
      const res = await fetch(`http://127.0.0.1:${host.port}/api/app.info`, {
        method: 'POST',
        headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(await res.json()).toMatchObject({ ok: true, value: { mode: 'web' } });
    } finally {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
