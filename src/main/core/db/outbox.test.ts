import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../tests/db/helpers';
import { openDatabase, type Db } from './open';
import { Outbox } from './outbox';

describe('Outbox', () => {
  let dir: string;
  let cleanup: () => void;
  let db: Db;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    db = openDatabase(path.join(dir, 'w.db'));
    db.prepare("INSERT INTO projects VALUES ('p', 'P', 'text', '{}', 72, 1, NULL, 0)").run();
    db.prepare(
      "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at) VALUES ('t', 'p', 'text', 't', 'queued', '{}', 0, 0)",
    ).run();
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it('keeps one client id per database file, across reopenings', () => {
    const id = new Outbox(db).clientId();
    expect(new Outbox(db).clientId()).toBe(id);
    db.close();
    db = openDatabase(path.join(dir, 'w.db'));
    expect(new Outbox(db).clientId()).toBe(id);
  });

  it('refuses to append outside a transaction', () => {
    expect(() => new Outbox(db).append('submit', 't', {}, 1)).toThrow(/inside a transaction/);
  });

  it('numbers mutations densely, peeks in seq order, and never reuses a seq after ack', () => {
    const ob = new Outbox(db);
    const add = (k: 'submit' | 'skip' | 'release') => db.transaction(() => ob.append(k, 't', { k }, 5))();
    const a = add('submit');
    const b = add('skip');
    add('release');
    expect(ob.peek().map((e) => [e.seq, e.kind])).toEqual([
      [1, 'submit'],
      [2, 'skip'],
      [3, 'release'],
    ]);
    expect(a.mutationId).not.toBe(b.mutationId);
    expect(ob.peek(1)[0]).toMatchObject({ seq: 1, payload: { k: 'submit' }, taskId: 't', createdAt: 5, clientId: ob.clientId() });
    expect(ob.ack([a.mutationId, b.mutationId, 'unknown'])).toBe(2);
    expect(ob.size()).toBe(1);
    expect(add('submit').seq).toBe(4);
    expect(ob.peek().map((e) => e.seq)).toEqual([3, 4]);
  });

  it('a rolled-back transaction gives its seq back', () => {
    const ob = new Outbox(db);
    expect(() =>
      db.transaction(() => {
        ob.append('submit', 't', {}, 1);
        throw new Error('abort');
      })(),
    ).toThrow('abort');
    expect(db.transaction(() => ob.append('submit', 't', {}, 1))().seq).toBe(1);
  });
});
