import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/contract';
import { Sha256 } from '../../../shared/model';
import type { Db } from '../db/open';
import { mkdirPrivate, PRIVATE_FILE_MODE, syncDir } from '../private-files';
import { AssetRow, parseRow } from '../db/rows';
import type { Clock } from '../../../shared/clock';

export type AssetInfo = { sha256: string; path: string; bytes: number; mime: string };

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Content-addressed files under `<dataDir>/assets/<sha256>`, indexed in the `assets` table. A
 * write is verified against its hash and lands atomically (temp file, fsync, rename), so a file
 * under a hash name always holds exactly those bytes.
 */
export class AssetStore {
  readonly dir: string;
  private readonly s;

  constructor(
    private readonly dataDir: string,
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.dir = path.join(dataDir, 'assets');
    mkdirPrivate(this.dir);
    this.s = {
      get: db.prepare<[string]>('SELECT * FROM assets WHERE sha256 = ?'),
      upsert: db.prepare<[string, string, number, string, number]>(
        `INSERT INTO assets (sha256, path, bytes, mime, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (sha256) DO UPDATE SET path = excluded.path, bytes = excluded.bytes, mime = excluded.mime`,
      ),
      // A row this store already has (a demo image with the same bytes) stays its own.
      addCached: db.prepare<[string, string, number, string, number]>(
        'INSERT INTO assets (sha256, path, bytes, mime, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING',
      ),
      removeCached: db.prepare<[string, string]>('DELETE FROM assets WHERE sha256 = ? AND path = ?'),
    };
  }

  private fileOf(sha256: string): string {
    return path.join(this.dir, sha256);
  }

  /**
   * Stores bytes. With `expectedSha256` (a download, a manifest entry) a mismatch is refused and
   * nothing is written.
   */
  write(bytes: Uint8Array, mime: string, expectedSha256?: string): AssetInfo {
    const sha256 = sha256Hex(bytes);
    if (expectedSha256 !== undefined && expectedSha256 !== sha256) {
      throw new AppError(
        'INVALID_INPUT',
        `asset bytes hash to ${sha256}, expected ${expectedSha256}`,
        'sha256',
      );
    }
    const file = this.fileOf(sha256);
    if (!this.fileMatches(file, bytes.length)) {
      const tmp = path.join(this.dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
      const fd = fs.openSync(tmp, 'w', PRIVATE_FILE_MODE);
      try {
        fs.fchmodSync(fd, PRIVATE_FILE_MODE);
        fs.writeSync(fd, bytes);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, file);
      syncDir(this.dir);
    }
    // Stored relative to the data folder, so a moved workspace keeps its assets.
    this.s.upsert.run(
      sha256,
      path.relative(this.dataDir, file),
      bytes.length,
      mime,
      Math.trunc(this.clock()),
    );
    return { sha256, path: file, bytes: bytes.length, mime };
  }

  private fileMatches(file: string, size: number): boolean {
    try {
      return fs.statSync(file).size === size;
    } catch {
      return false;
    }
  }

  info(sha256: string): AssetInfo | null {
    if (!Sha256.safeParse(sha256).success) return null;
    const raw = this.s.get.get(sha256);
    if (raw === undefined) return null;
    const r = parseRow(AssetRow, 'assets', raw);
    return { sha256: r.sha256, path: path.resolve(this.dataDir, r.path), bytes: r.bytes, mime: r.mime };
  }

  /** The file to serve for a hash, or null (unknown hash, malformed hash, or file missing). */
  path(sha256: string): string | null {
    const info = this.info(sha256);
    if (!info) return null;
    return this.fileMatches(info.path, info.bytes) ? info.path : null;
  }

  /** The bytes, re-verified against the hash (a damaged file is never served as good). */
  read(sha256: string): Buffer | null {
    const file = this.path(sha256);
    if (!file) return null;
    const bytes = fs.readFileSync(file);
    if (sha256Hex(bytes) !== sha256)
      throw new AppError('INTERNAL', `asset ${sha256} on disk does not match its hash`);
    return bytes;
  }

  /**
   * Makes a file another owner keeps verified (the sync engine's cache of hub images, at `relPath`
   * under the data folder) visible to `path` and `read`.
   */
  addCached(sha256: string, relPath: string, bytes: number, mime: string): void {
    this.s.addCached.run(sha256, relPath, bytes, mime, Math.trunc(this.clock()));
  }

  /** Forgets a file `addCached` listed at `relPath` (the cache evicted it); other rows stay. */
  removeCached(sha256: string, relPath: string): void {
    this.s.removeCached.run(sha256, relPath);
  }
}
