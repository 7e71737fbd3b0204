import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../tests/db/helpers';
import { openDatabase, type Db } from '../db/open';
import { AssetStore, sha256Hex } from './store';

describe('AssetStore', () => {
  let dir: string;
  let cleanup: () => void;
  let db: Db;
  let store: AssetStore;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    db = openDatabase(path.join(dir, 'w.db'));
    store = new AssetStore(dir, db, () => 1000);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  const bytes = Buffer.from('pretend this is a PNG');
  const sha = sha256Hex(bytes);

  it('writes content-addressed under <dataDir>/assets/<sha256> and serves it back', () => {
    const info = store.write(bytes, 'image/png');
    expect(info).toEqual({
      sha256: sha,
      path: path.join(dir, 'assets', sha),
      bytes: bytes.length,
      mime: 'image/png',
    });
    expect(store.path(sha)).toBe(path.join(dir, 'assets', sha));
    expect(store.read(sha)).toEqual(bytes);
    expect(store.info(sha)?.mime).toBe('image/png');
    // Writing the same bytes again is harmless.
    expect(store.write(bytes, 'image/png').path).toBe(info.path);
    expect(fs.readdirSync(path.join(dir, 'assets'))).toEqual([sha]);
  });

  it('refuses bytes that do not match the expected hash, writing nothing', () => {
    const wrong = '0'.repeat(64);
    expect(() => store.write(bytes, 'image/png', wrong)).toThrow(/expected 0000/);
    expect(store.path(wrong)).toBeNull();
    expect(fs.readdirSync(path.join(dir, 'assets'))).toEqual([]);
    expect(store.write(bytes, 'image/png', sha).sha256).toBe(sha);
  });

  it('answers null for unknown, malformed or missing assets, and never serves a damaged file', () => {
    expect(store.path('f'.repeat(64))).toBeNull();
    expect(store.path('../../etc/passwd')).toBeNull();
    store.write(bytes, 'image/png');
    fs.writeFileSync(path.join(dir, 'assets', sha), Buffer.from('pretend this is a GIF'));
    expect(() => store.read(sha)).toThrow(/does not match/);
    fs.rmSync(path.join(dir, 'assets', sha));
    expect(store.path(sha)).toBeNull();
  });
});
