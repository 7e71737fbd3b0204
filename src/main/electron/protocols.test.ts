import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { createAppProtocolHandler, createAssetProtocolHandler, type FetchFile } from './protocols';

const dir = mkdtempSync(join(tmpdir(), 'outrigger-proto-'));
mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
writeFileSync(join(dir, 'renderer', 'index.html'), '<html>app</html>');
writeFileSync(join(dir, 'renderer', 'assets', 'main.js'), 'js');
writeFileSync(join(dir, 'secret.txt'), 'secret');
writeFileSync(join(dir, 'image.bin'), 'image-bytes');

/** Stands in for Electron's net.fetch on file: URLs. */
const fetchFile = vi.fn<FetchFile>(async (url) => {
  try {
    return new Response(readFileSync(fileURLToPath(url)), {
      status: 200,
      headers: { 'content-type': 'application/octet-stream' },
    });
  } catch {
    return new Response('', { status: 404 });
  }
});

describe('app protocol', () => {
  const handle = createAppProtocolHandler({ rendererDir: join(dir, 'renderer'), fetchFile });
  const get = (url: string) => handle(new Request(url));

  it('serves the renderer with the CSP header', async () => {
    const res = await get('outrigger-app://app/index.html');
    expect(await res.text()).toBe('<html>app</html>');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await (await get('outrigger-app://app/assets/main.js')).text()).toBe('js');
    expect(await (await get('outrigger-app://app/queue/today')).text()).toBe('<html>app</html>');
  });

  it('answers 400 to a malformed % escape or a NUL instead of throwing', async () => {
    for (const url of [
      'outrigger-app://app/%E0%A4%A',
      'outrigger-app://app/%',
      'outrigger-app://app/a%00.js',
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(400);
    }
    expect((await get('outrigger-app://app/index.html')).status).toBe(200);
  });

  it('never leaves the renderer folder', async () => {
    // URL parsing folds some of these away; the rest are caught by the folder check.
    expect((await get('outrigger-app://app/..%2Fsecret.txt')).status).toBe(403);
    for (const url of [
      'outrigger-app://app/%2e%2e/secret.txt',
      'outrigger-app://app/../secret.txt',
      'outrigger-app://app/assets/..%2F..%2Fsecret.txt',
    ]) {
      const res = await get(url);
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(await res.text()).not.toBe('secret');
    }
    expect((await get('outrigger-app://other/index.html')).status).toBe(404);
  });
});

describe('asset protocol', () => {
  const sha = 'a'.repeat(64);
  const handle = createAssetProtocolHandler({
    assetPath: (s) => (s === sha ? join(dir, 'image.bin') : null),
    fetchFile,
  });

  it('serves a known asset with immutable caching, CORS for our origin only, and passes Range on', async () => {
    const res = await handle(new Request(`outrigger-asset://${sha}`, { headers: { range: 'bytes=0-4' } }));
    expect(await res.text()).toBe('image-bytes');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('access-control-allow-origin')).toBe('outrigger-app://app');
    expect(fetchFile.mock.lastCall?.[1]).toEqual({ headers: { range: 'bytes=0-4' } });
  });

  it('answers 400 for a bad id and 404 for an unknown one', async () => {
    expect((await handle(new Request('outrigger-asset://not-a-hash'))).status).toBe(400);
    expect((await handle(new Request(`outrigger-asset://${'b'.repeat(64)}`))).status).toBe(404);
  });
});
