import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssetUnavailableError, createAssetCache } from './asset-cache';
import { createHttpClient, type HttpClient } from './http';
import { seededRandom } from './clock';

const blob = (n: number, seed: number) => {
  const r = seededRandom(seed);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
};
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** A tiny asset server with Range support and switches for cuts and corruption. */
const startAssetServer = async (assets: Buffer[]) => {
  const bySha = new Map(assets.map((b) => [sha(b), b]));
  const requests: { sha: string; range: string | undefined }[] = [];
  const faults = { cutNextAt: 0, corruptNext: 0 };
  const server = http.createServer((req, res) => {
    const key = (req.url ?? '').replace('/assets/', '');
    requests.push({ sha: key, range: req.headers.range });
    const body = bySha.get(key);
    if (!body) {
      res.writeHead(404);
      return void res.end();
    }
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m) start = Number(m[1]);
    let slice = body.subarray(start);
    if (faults.corruptNext > 0) {
      faults.corruptNext--;
      slice = Buffer.from(slice);
      slice[0] = (slice[0]! + 1) % 256;
    }
    const headers: http.OutgoingHttpHeaders = {
      etag: `"${key}"`,
      'content-length': slice.length,
      'accept-ranges': 'bytes',
    };
    if (m) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    res.writeHead(m ? 206 : 200, headers);
    if (faults.cutNextAt > 0) {
      const at = faults.cutNextAt;
      faults.cutNextAt = 0;
      res.write(slice.subarray(0, at), () => res.socket?.destroy());
      return;
    }
    res.end(slice);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    requests,
    faults,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
};

describe('asset cache', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startAssetServer>>;
  let client: HttpClient;
  const assets = [blob(200_000, 1), blob(50_000, 2), blob(50_000, 3), blob(50_000, 4)];
  const shas = assets.map(sha);
  const make = (budgetBytes = 10_000_000, isPinned?: (s: string) => boolean) =>
    createAssetCache({
      dir,
      http: client,
      budgetBytes,
      random: seededRandom(3),
      sleep: async () => undefined,
      isPinned,
    });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asset-cache-'));
    server = await startAssetServer(assets);
    client = createHttpClient({ baseUrl: server.url, clock: () => 0, random: seededRandom(2) });
  });
  afterEach(async () => {
    client.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('downloads each asset once, however many ask at the same time', async () => {
    const cache = make();
    const paths = await Promise.all([cache.ensure(shas[0]!), cache.ensure(shas[0]!), cache.ensure(shas[0]!)]);
    expect(new Set(paths).size).toBe(1);
    expect(fs.readFileSync(paths[0]!).equals(assets[0]!)).toBe(true);
    await cache.ensure(shas[0]!);
    expect(server.requests).toHaveLength(1);
    expect(cache.stats.downloads.get(shas[0]!)).toBe(1);
  });

  it('keeps its folder and files owner-only whatever the umask', async () => {
    const old = process.umask(0);
    try {
      const sub = path.join(dir, 'cache');
      const cache = createAssetCache({
        dir: sub,
        http: client,
        budgetBytes: 10_000_000,
        random: seededRandom(3),
      });
      const file = await cache.ensure(shas[1]!);
      expect(fs.statSync(sub).mode & 0o777).toBe(0o700);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });

  it('resumes a cut download with Range from where the .part file stopped', async () => {
    server.faults.cutNextAt = 70_000;
    const cache = make();
    const p = await cache.ensure(shas[0]!);
    expect(fs.readFileSync(p).equals(assets[0]!)).toBe(true);
    // The second request continues from what reached the disk before the cut (≤ 70,000 bytes).
    const [first, second] = server.requests.map((r) => r.range);
    expect(first).toBeUndefined();
    const from = Number(/^bytes=(\d+)-$/.exec(second ?? '')?.[1]);
    expect(from).toBeGreaterThan(0);
    expect(from).toBeLessThanOrEqual(70_000);
    expect(cache.stats.resumes).toBe(1);
    expect(cache.stats.bytesReceived).toBe(200_000);
  });

  it('discards a body with a bad hash and fetches it again, never keeping the bad bytes', async () => {
    server.faults.corruptNext = 1;
    const cache = make();
    const p = await cache.ensure(shas[1]!);
    expect(fs.readFileSync(p).equals(assets[1]!)).toBe(true);
    expect(cache.stats.badHashes).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('gives up on a body that is always bad, leaving nothing on disk', async () => {
    server.faults.corruptNext = 100;
    const cache = make();
    await expect(cache.ensure(shas[1]!)).rejects.toBeInstanceOf(AssetUnavailableError);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('reports a missing asset without retrying', async () => {
    const cache = make();
    await expect(cache.ensure('0'.repeat(64))).rejects.toBeInstanceOf(AssetUnavailableError);
    expect(server.requests).toHaveLength(1);
  });

  it('keeps to its budget, evicting least recently used and unpinned first', async () => {
    const cache = make(120_000, (s) => s === shas[1]);
    await cache.ensure(shas[1]!);
    await cache.ensure(shas[2]!);
    await cache.ensure(shas[3]!);
    expect(cache.usageBytes()).toBeLessThanOrEqual(120_000);
    expect(cache.localPath(shas[1]!)).not.toBeNull();
    expect(cache.localPath(shas[2]!)).toBeNull();
    expect(cache.stats.evictions).toBe(1);
  });

  it('deletes assets whose leases ended and survives a restart', async () => {
    const cache = make();
    expect(await cache.prefetch(shas.slice(1))).toEqual({ ok: 3, failed: 0 });
    expect((await cache.retainOnly(new Set([shas[1]!]))).sort()).toEqual([shas[2], shas[3]].sort());
    expect(fs.readdirSync(dir)).toEqual([shas[1]]);
    const again = make();
    expect(again.localPath(shas[1]!)).toBe(path.join(dir, shas[1]!));
    expect(again.localPath(shas[2]!)).toBeNull();
  });
});
