// Issue 17: web mode's checks hold against a hostile page or a crafted URL (each failed before its fix).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWorkbench, type ServedHost } from '../../src/main/web-host/app';
import { createFakeCore } from './fake-core';
import { call } from './http-call';

const TOKEN = 'a-test-token-of-some-length';
const json = { 'content-type': 'application/json' };

describe('web host against hostile requests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'outrigger-websec-'));
  const secret = join(dir, 'secret.txt');
  let host: ServedHost;
  let port: number;
  const core = createFakeCore();
  const calls: string[] = [];
  const dispatch = core.dispatch;
  core.dispatch = (method, input) => {
    calls.push(method);
    return dispatch(method, input);
  };

  beforeAll(async () => {
    writeFileSync(secret, 'TOP SECRET');
    mkdirSync(join(dir, 'renderer', '.git'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Outrigger</title>');
    writeFileSync(join(dir, 'renderer', '.env'), 'TOKEN=hunter2');
    writeFileSync(join(dir, 'renderer', '.git', 'config'), '[core] secret');
    symlinkSync(secret, join(dir, 'renderer', 'linked.txt'));
    symlinkSync(dir, join(dir, 'renderer', 'up'));
    host = await serveWorkbench(core, { token: TOKEN, rendererDir: join(dir, 'renderer') });
    port = host.port;
  });
  afterAll(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for the token on a percent-encoded API or asset path too', async () => {
    calls.length = 0;
    for (const path of [
      '/%61pi/sync.signOut',
      '/api/sync%2EsignOut',
      '/%61ssets/' + '0'.repeat(64),
      '/%61pi/events',
    ]) {
      const a = await call(port, {
        method: path.includes('events') || path.includes('ssets') ? 'GET' : 'POST',
        path,
        headers: json,
        body: path.includes('pi/sync') ? '{}' : undefined,
      });
      expect(a.status, path).toBe(401);
    }
    expect(calls).toEqual([]);
  });

  it('refuses a call from another site, by Origin or Sec-Fetch-Site, even with the token', async () => {
    const auth = { ...json, authorization: `Bearer ${TOKEN}` };
    for (const headers of [
      { origin: 'http://evil.example' } as Record<string, string>,
      { origin: `http://127.0.0.1:${port + 1}` },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ]) {
      const a = await call(port, {
        method: 'POST',
        path: '/api/app.info',
        headers: { ...auth, ...headers },
        body: '{}',
      });
      expect(a.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(a.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    for (const headers of [
      { origin: `http://127.0.0.1:${port}` } as Record<string, string>,
      { 'sec-fetch-site': 'same-origin' },
      {},
    ]) {
      const a = await call(port, {
        method: 'POST',
        path: '/api/app.info',
        headers: { ...auth, ...headers },
        body: '{}',
      });
      expect(a.status, JSON.stringify(headers)).toBe(200);
    }
  });

  it('takes API bodies only as application/json: a forged text/plain or form sign-in is refused', async () => {
    calls.length = 0;
    const body = JSON.stringify({ hubUrl: 'http://attacker.example', token: 'x' });
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const a = await call(port, {
        method: 'POST',
        path: `/api/sync.signIn?token=${TOKEN}`,
        headers: { 'content-type': type },
        body,
      });
      expect(a.status, type).toBe(415);
    }
    const untyped = await call(port, { method: 'POST', path: `/api/sync.signIn?token=${TOKEN}`, body });
    expect(untyped.status).toBe(415);
    expect(calls).toEqual([]);
    const typed = await call(port, {
      method: 'POST',
      path: '/api/app.info',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${TOKEN}` },
      body: '{}',
    });
    expect(typed.status).toBe(200);
  });

  it('serves no dotfile and follows no symbolic link out of the renderer folder', async () => {
    for (const path of [
      '/.env',
      '/.git/config',
      '/%2Eenv',
      '/linked.txt',
      '/up/secret.txt',
      '/up/renderer/.env',
    ]) {
      const a = await call(port, { path });
      expect(a.body, path).not.toContain('SECRET');
      expect(a.body, path).not.toContain('hunter2');
      expect(a.body, path).not.toContain('[core]');
    }
  });
});
