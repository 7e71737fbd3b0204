// Issue 17.6: the workbench's database, its WAL and its assets are its user's alone, and deleted
// rows do not linger on disk.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/db';
import { AssetStore } from '../../src/main/core/assets/store';
import { tempDir } from './helpers';

const mode = (p: string): number => fs.statSync(p).mode & 0o777;

describe('workbench data at rest', () => {
  let dir: string;
  let cleanup: () => void;
  let oldUmask: number;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    oldUmask = process.umask(0); // the widest umask: modes must be set explicitly
  });
  afterEach(() => {
    process.umask(oldUmask);
    cleanup();
  });

  it('creates the data folder 0700 and the database, -wal and -shm 0600', () => {
    const data = path.join(dir, 'profile', 'data');
    const file = path.join(data, 'w.db');
    const db = openDatabase(file);
    db.exec('CREATE TABLE scratch (x INTEGER); INSERT INTO scratch VALUES (1)');
    expect(mode(data)).toBe(0o700);
    expect(mode(path.join(dir, 'profile'))).toBe(0o700);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f), f).toBe(0o600);
    db.close();
  });

  it('narrows an existing world-readable database and WAL on open', () => {
    const file = path.join(dir, 'w.db');
    openDatabase(file).close();
    fs.chmodSync(file, 0o644);
    const db = openDatabase(file);
    db.exec('CREATE TABLE scratch (x INTEGER); INSERT INTO scratch VALUES (1)');
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    db.close();
  });

  it('turns secure_delete on for every open, also after reopening', () => {
    const file = path.join(dir, 'w.db');
    for (let i = 0; i < 2; i++) {
      const db = openDatabase(file);
      expect(db.pragma('secure_delete', { simple: true })).toBe(1);
      db.close();
    }
  });

  it('leaves no trace of a deleted row in the file or the WAL', () => {
    const file = path.join(dir, 'w.db');
    const db = openDatabase(file);
    db.exec('CREATE TABLE scratch (x TEXT)');
    db.prepare('INSERT INTO scratch VALUES (?)').run('needle-'.repeat(200));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('DELETE FROM scratch');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = Buffer.concat([fs.readFileSync(file), fs.readFileSync(`${file}-wal`)]);
    expect(bytes.includes('needle-needle-')).toBe(false);
    db.close();
  });

  it('stores assets 0600 in a 0700 folder', () => {
    const db = openDatabase(path.join(dir, 'w.db'));
    const store = new AssetStore(dir, db, () => 0);
    const info = store.write(Buffer.from('png-ish bytes'), 'image/png');
    expect(mode(path.join(dir, 'assets'))).toBe(0o700);
    expect(mode(info.path)).toBe(0o600);
    db.close();
  });
});
