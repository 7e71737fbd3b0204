import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../private-files';
import { type Sleep, realSleep } from './clock';
import { backoffDelay, type HttpClient } from './http';

const SHA = /^[0-9a-f]{64}$/;

/** The hub will not give us this asset (404/403) or every attempt failed; nothing was shown. */
export class AssetUnavailableError extends Error {
  constructor(
    readonly sha256: string,
    message: string,
    /** The hub's refusal (401/403/404): it will not give this asset to us; null for other failures. */
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'AssetUnavailableError';
  }
}

export interface AssetCacheOptions {
  dir: string;
  http: HttpClient;
  /** Total bytes the cache may hold; least recently used files go first beyond it. */
  budgetBytes: number;
  random: () => number;
  sleep?: Sleep;
  maxAttempts?: number;
  /** Assets the engine still needs (leased tasks); eviction under the budget skips these while it can. */
  isPinned?: (sha256: string) => boolean;
  /** The hub's path for an asset (default `/assets/<sha256>`). */
  assetPath?: (sha256: string) => string;
  /** Told when a file is evicted for the budget (the engine unregisters it). */
  onEvicted?: (sha256: string) => void;
}

export type AssetCacheStats = {
  /** Completed downloads per sha (a full fetch counts once, however many resumes it took). */
  downloads: Map<string, number>;
  bytesReceived: number;
  resumes: number;
  badHashes: number;
  evictions: number;
};

export interface AssetCache {
  /** The local path of a verified copy, downloading it (once, resumably) if needed. */
  ensure(sha256: string): Promise<string>;
  /** A verified local path or null; never downloads. */
  localPath(sha256: string): string | null;
  /** Downloads in the background with bounded concurrency; failures are left for `ensure`. */
  prefetch(shas: Iterable<string>, concurrency?: number): Promise<{ ok: number; failed: number }>;
  /** Deletes every cached asset not in `keep` (lease ended or revoked: no client data lingers); returns those removed. */
  retainOnly(keep: Set<string>): Promise<string[]>;
  remove(sha256: string): Promise<void>;
  usageBytes(): number;
  readonly stats: AssetCacheStats;
}

type Entry = { bytes: number; lastUsed: number };

export const createAssetCache = (options: AssetCacheOptions): AssetCache => {
  const { dir, http } = options;
  const sleep = options.sleep ?? realSleep;
  const maxAttempts = options.maxAttempts ?? 6;
  mkdirPrivate(dir);
  const entries = new Map<string, Entry>();
  let useCounter = 0;
  // Files already verified on an earlier run; their mtime orders them for eviction.
  for (const name of fs.readdirSync(dir)) {
    if (!SHA.test(name)) continue;
    const st = fs.statSync(path.join(dir, name));
    entries.set(name, { bytes: st.size, lastUsed: st.mtimeMs });
  }
  useCounter = Math.max(0, ...[...entries.values()].map((e) => e.lastUsed));
  const inflight = new Map<string, Promise<string>>();
  const stats: AssetCacheStats = {
    downloads: new Map(),
    bytesReceived: 0,
    resumes: 0,
    badHashes: 0,
    evictions: 0,
  };
  const finalPath = (sha: string) => path.join(dir, sha);
  const partPath = (sha: string) => path.join(dir, `${sha}.part`);
  const usage = () => [...entries.values()].reduce((s, e) => s + e.bytes, 0);

  const hashFile = async (file: string): Promise<string> => {
    const h = crypto.createHash('sha256');
    await pipeline(fs.createReadStream(file), h);
    return h.digest('hex');
  };

  const sizeOf = (file: string): number => {
    try {
      return fs.statSync(file).size;
    } catch {
      return 0;
    }
  };

  /** One attempt: continue the .part file from its length (Range) or start it over. */
  const fetchOnce = async (sha: string): Promise<void> => {
    const part = partPath(sha);
    const have = sizeOf(part);
    if (have > 0) stats.resumes++;
    await http.stream(
      {
        method: 'GET',
        path: (options.assetPath ?? ((x: string) => `/assets/${x}`))(sha),
        // The client's idle deadline: a large image on a slow link is cut only if it stalls.
        headers: have > 0 ? { range: `bytes=${have}-` } : {},
      },
      async (res) => {
        const status = res.statusCode ?? 0;
        if (status === 416) {
          res.resume();
          await fsp.rm(part, { force: true });
          throw new Error('range not satisfiable; restarting');
        }
        if (status === 404 || status === 403 || status === 401) {
          res.resume();
          throw new AssetUnavailableError(sha, `hub answered ${status} for asset ${sha}`, status);
        }
        let append = false;
        if (status === 206) {
          const start = /^bytes (\d+)-/.exec(String(res.headers['content-range'] ?? ''))?.[1];
          if (Number(start) !== have) {
            res.resume();
            await fsp.rm(part, { force: true });
            throw new Error(`unexpected Content-Range ${String(res.headers['content-range'])}`);
          }
          append = true;
        } else if (status !== 200) {
          res.resume();
          throw new Error(`hub answered ${status} for asset ${sha}`);
        }
        res.on('data', (c: Buffer) => {
          stats.bytesReceived += c.length;
        });
        // Not `pipeline`: on a cut it destroys the file stream and drops buffered bytes; we end
        // the file gracefully so everything received is on disk for the next Range request.
        const out = fs.createWriteStream(part, { flags: append ? 'a' : 'w', mode: PRIVATE_FILE_MODE });
        let cut: Error | null = null;
        await new Promise<void>((resolve, reject) => {
          res.on('error', (e) => {
            cut = e;
            res.unpipe(out);
            out.end();
          });
          out.on('close', resolve);
          out.on('error', reject);
          res.pipe(out);
        });
        if (cut) throw cut;
        const expected = res.headers['content-length'];
        const got = sizeOf(part) - (append ? have : 0);
        if (expected !== undefined && Number(expected) !== got)
          throw new Error(`asset ${sha} cut at ${got} of ${expected} bytes`);
      },
    );
  };

  const evictForBudget = async (justAdded: string) => {
    let total = usage();
    if (total <= options.budgetBytes) return;
    const byAge = [...entries.entries()]
      .filter(([s]) => s !== justAdded)
      .sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    // Unpinned first, then pinned (a pinned asset is re-fetched when its task opens).
    const order = [
      ...byAge.filter(([s]) => !options.isPinned?.(s)),
      ...byAge.filter(([s]) => options.isPinned?.(s)),
    ];
    for (const [sha, e] of order) {
      if (total <= options.budgetBytes) break;
      await fsp.rm(finalPath(sha), { force: true });
      entries.delete(sha);
      total -= e.bytes;
      stats.evictions++;
      options.onEvicted?.(sha);
    }
  };

  const download = async (sha: string): Promise<string> => {
    let lastError: unknown = null;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      try {
        await fetchOnce(sha);
        const actual = await hashFile(partPath(sha));
        if (actual !== sha) {
          // Never shown, never kept: start over from byte 0.
          stats.badHashes++;
          await fsp.rm(partPath(sha), { force: true });
          throw new Error(`asset ${sha} arrived with sha256 ${actual}`);
        }
        const fd = await fsp.open(partPath(sha), 'r+');
        await fd.chmod(PRIVATE_FILE_MODE);
        await fd.sync();
        await fd.close();
        await fsp.rename(partPath(sha), finalPath(sha));
        stats.downloads.set(sha, (stats.downloads.get(sha) ?? 0) + 1);
        entries.set(sha, { bytes: sizeOf(finalPath(sha)), lastUsed: ++useCounter });
        await evictForBudget(sha);
        return finalPath(sha);
      } catch (e) {
        if (e instanceof AssetUnavailableError) throw e;
        lastError = e;
        if (attempt + 1 < maxAttempts)
          await sleep(backoffDelay(attempt, { baseMs: 100, maxMs: 5000 }, options.random));
      }
    }
    throw new AssetUnavailableError(
      sha,
      `asset ${sha} failed after ${maxAttempts} attempts: ${String(lastError)}`,
    );
  };

  const cache: AssetCache = {
    stats,
    localPath(sha) {
      const e = entries.get(sha);
      if (!e) return null;
      e.lastUsed = ++useCounter;
      return finalPath(sha);
    },
    ensure(sha) {
      if (!SHA.test(sha)) return Promise.reject(new AssetUnavailableError(sha, `not a sha256: ${sha}`));
      const local = cache.localPath(sha);
      if (local) return Promise.resolve(local);
      let p = inflight.get(sha);
      if (!p) {
        p = download(sha).finally(() => inflight.delete(sha));
        inflight.set(sha, p);
      }
      return p;
    },
    async prefetch(shas, concurrency = 4) {
      const todo = [...new Set(shas)].filter((s) => !entries.has(s));
      let ok = 0;
      let failed = 0;
      let next = 0;
      const worker = async () => {
        while (next < todo.length) {
          const sha = todo[next++]!;
          try {
            await cache.ensure(sha);
            ok++;
          } catch {
            failed++;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
      return { ok, failed };
    },
    async retainOnly(keep) {
      const removed: string[] = [];
      const doomed = (await fsp.readdir(dir)).filter((name) => {
        const sha = name.replace(/\.part$/, '');
        return SHA.test(sha) && !keep.has(sha) && !inflight.has(sha);
      });
      // A few unlinks at a time (a submitted batch can end a thousand leases at once).
      for (let i = 0; i < doomed.length; i += 32) {
        await Promise.all(
          doomed.slice(i, i + 32).map(async (name) => {
            const sha = name.replace(/\.part$/, '');
            if (inflight.has(sha)) return;
            await fsp.unlink(path.join(dir, name)).catch((e: NodeJS.ErrnoException) => {
              if (e.code !== 'ENOENT') throw e;
            });
            if (entries.delete(sha)) removed.push(sha);
          }),
        );
      }
      return removed;
    },
    async remove(sha) {
      entries.delete(sha);
      await fsp.rm(finalPath(sha), { force: true });
      await fsp.rm(partPath(sha), { force: true });
    },
    usageBytes: usage,
  };
  return cache;
};
