import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../../../tests/db/helpers';
import { checkpoint, openDatabase, startCheckpointTimer, type Db } from './open';

/** Frames in the WAL now (a PASSIVE checkpoint reports the log size without blocking). */
const walFrames = (db: Db): number => (db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log;

describe('checkpoints', () => {
  let cleanup: () => void;
  let db: Db;
  beforeEach(() => {
    const t = tempDir();
    cleanup = t.cleanup;
    db = openDatabase(path.join(t.dir, 'w.db'));
    db.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, v TEXT)');
    db.pragma('wal_autocheckpoint = 0'); // only our checkpoints run in this test
  });
  afterEach(() => {
    vi.useRealTimers();
    db.close();
    cleanup();
  });

  const write = (n: number) => {
    const insert = db.prepare('INSERT INTO scratch (v) VALUES (?)');
    for (let i = 0; i < n; i++) insert.run('x'.repeat(2000));
  };

  it('checkpoint(RESTART) folds the WAL back so the next writes start it over', () => {
    write(50);
    const r = checkpoint(db);
    expect(r.busy).toBe(0);
    expect(r.log).toBeGreaterThan(40);
    expect(r.checkpointed).toBe(r.log);
    write(1);
    expect(walFrames(db)).toBeLessThanOrEqual(3);
  });

  it('the timer checkpoints periodically and stops when asked', () => {
    vi.useFakeTimers();
    const stop = startCheckpointTimer(db, 1000);
    write(50);
    vi.advanceTimersByTime(1000);
    write(1);
    expect(walFrames(db)).toBeLessThanOrEqual(3);
    stop();
    write(50);
    vi.advanceTimersByTime(5000);
    expect(walFrames(db)).toBeGreaterThan(40);
  });

  it('a timer tick after close does not throw', () => {
    vi.useFakeTimers();
    startCheckpointTimer(db, 1000);
    db.close();
    expect(() => vi.advanceTimersByTime(1000)).not.toThrow();
    db = openDatabase(db.name);
  });
});
