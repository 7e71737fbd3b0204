import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../tests/db/helpers';
import { openDatabase, type Db } from './open';
import { AppError } from '../../../shared/contract';
import { Outbox, OUTBOX_SQL } from './outbox';

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
    expect(ob.peek(1)[0]).toMatchObject({
      seq: 1,
      payload: { k: 'submit' },
      taskId: 't',
      createdAt: 5,
      clientId: ob.clientId(),
    });
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
  describe('read (what push sends)', () => {
    const ann = (activeMs: number) => ({ results: [], activeMs });
    /** A submit as the queue writes it: the submission row, then its outbox row, in one transaction. */
    const submit = (ob: Outbox, annotation: unknown, at = 7) =>
      db.transaction(() => {
        const annotationJson = JSON.stringify(annotation);
        const seq = Number(
          db
            .prepare(
              "INSERT INTO submissions (id, task_id, annotation, submitted_at) VALUES ('s' || random(), 't', ?, ?)",
            )
            .run(annotationJson, at).lastInsertRowid,
        );
        return {
          seq,
          entry: ob.append('submit', 't', { submissionId: 'x', annotation, submittedAt: at }, at, {
            seq,
            annotationJson,
          }),
        };
      })();

    it('sends the stored annotation text as is, pages by seq, and carries the lease epoch', () => {
      const ob = new Outbox(db);
      submit(ob, ann(1));
      db.transaction(() => ob.append('skip', 't', { reason: 'blurry' }, 8))();
      submit(ob, ann(3));
      expect(ob.read(0, 10).map((r) => [r.seq, r.kind, r.annotationJson, r.leaseEpoch])).toEqual([
        [1, 'submit', JSON.stringify(ann(1)), null],
        [2, 'skip', null, null],
        [3, 'submit', JSON.stringify(ann(3)), null],
      ]);
      db.prepare("UPDATE tasks SET hub_lease_epoch = 4 WHERE id = 't'").run();
      const after = ob.read(1, 1);
      expect(after).toMatchObject([{ seq: 2, payload: { reason: 'blurry' }, leaseEpoch: 4 }]);
      // The digest stays a local detail: it is not part of what push sends.
      expect(ob.read(0, 1)[0]!.payload).toEqual({ submissionId: 'x', submittedAt: 7 });
    });

    it('an annotation changed since it was written is parsed in full: valid is re-serialized, invalid names the field', () => {
      const ob = new Outbox(db);
      const { seq } = submit(ob, ann(5));
      // Same value, different text: the digest no longer matches, the schema still accepts it.
      db.prepare('UPDATE submissions SET annotation = ? WHERE seq = ?').run(
        '{ "activeMs": 5, "results": [] }',
        seq,
      );
      expect(ob.read(0, 1)[0]!.annotationJson).toBe(JSON.stringify(ann(5)));
      db.prepare('UPDATE submissions SET annotation = ? WHERE seq = ?').run(
        '{"results":[{"type":"bbox"}],"activeMs":5}',
        seq,
      );
      expect(() => ob.read(0, 1)).toThrow(AppError);
      expect(() => ob.read(0, 1)).toThrow(/unreadable outbox row .*submission_annotation\.results\.0/);
      db.prepare("UPDATE outbox SET payload = '[1]'").run();
      expect(() => ob.read(0, 1)).toThrow(/payload: not a JSON object/);
    });

    it('reads a batch as a range of the key, joins by key, and never sorts', () => {
      const plan = (
        db.prepare(`EXPLAIN QUERY PLAN ${OUTBOX_SQL.read}`).all('c', 0, 10) as { detail: string }[]
      )
        .map((r) => r.detail)
        .join('\n');
      expect(plan).toMatch(/SEARCH outbox USING PRIMARY KEY \(client_id=\? AND seq>\?\)/);
      expect(plan).toMatch(/SEARCH submissions USING INTEGER PRIMARY KEY/);
      expect(plan).toMatch(/SEARCH tasks USING INDEX sqlite_autoindex_tasks_1 \(id=\?\)/);
      expect(plan).not.toMatch(/TEMP B-TREE|SCAN/);
    });

    it('acks a batch in one statement and counts only the rows it removed', () => {
      const ob = new Outbox(db);
      const ids = [submit(ob, ann(1)), submit(ob, ann(2)), submit(ob, ann(3))].map((x) => x.entry.mutationId);
      expect(ob.ack([ids[0]!, ids[2]!, 'not-there'])).toBe(2);
      expect(ob.ack([])).toBe(0);
      expect(ob.read(0, 10).map((r) => r.mutationId)).toEqual([ids[1]]);
    });
  });
});
