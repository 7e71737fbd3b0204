import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/contract';
import type { TaskStatus } from '../../src/shared/model';
import { openDatabase, type Db } from '../../src/main/core/db';
import { QueueService } from '../../src/main/core/queue';
import { annotation, manualClock, openQueue, tempDir } from './helpers';

const TASKS = ['t1', 't2', 't3', 't4'];

type Op = { op: 'claim' } | { op: 'save' | 'submit' | 'skip' | 'reopen'; task: string; activeMs: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ op: 'claim' as const }),
  fc.record({
    op: fc.constantFrom('save' as const, 'submit' as const, 'skip' as const, 'reopen' as const),
    task: fc.constantFrom(...TASKS),
    activeMs: fc.nat(10_000),
  }),
);

/** The rules, as a plain model: which transitions are allowed and what they lead to. */
const next = (status: TaskStatus, op: Op['op']): TaskStatus | 'CONFLICT' => {
  const open = status === 'queued' || status === 'in_progress';
  switch (op) {
    case 'save':
      return open ? 'in_progress' : 'CONFLICT';
    case 'submit':
      return open ? 'submitted' : 'CONFLICT';
    case 'skip':
      return open ? 'skipped' : 'CONFLICT';
    case 'reopen':
      return status === 'queued' ? 'CONFLICT' : 'in_progress';
    case 'claim':
      return status;
  }
};

const snapshot = (db: Db) => ({
  tasks: db.prepare('SELECT id, status, finished_at IS NOT NULL AS finished FROM tasks ORDER BY seq').all(),
  counts: db.prepare('SELECT status, n FROM task_counts ORDER BY status').all(),
  outbox: db.prepare('SELECT seq, kind, task_id FROM outbox ORDER BY seq').all(),
  submissions: db.prepare('SELECT count(*) AS n FROM submissions').get(),
  drafts: db.prepare('SELECT task_id, annotation FROM drafts ORDER BY task_id').all(),
  events: db.prepare('SELECT count(*) AS n FROM activity_chain').get(),
  lastSeq: db.prepare("SELECT key, n FROM counters WHERE key LIKE 'outbox.%'").all(),
});

describe('queue against a model (fast-check, seeded)', () => {
  let dir: string;
  let cleanup: () => void;
  let n = 0;
  let template: string;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    template = path.join(dir, 'template.db');
    const { db } = openQueue(template, TASKS.length);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  });
  afterAll(() => cleanup());

  /** A copy of the seeded template (creating and migrating 60 files would dominate the run). */
  const fresh = (): { db: Db; queue: QueueService } => {
    const file = path.join(dir, `m${n++}.db`);
    fs.copyFileSync(template, file);
    const clock = manualClock();
    const db = openDatabase(file, { quickCheck: false });
    // This suite checks logic, not durability: skip the fsyncs to keep it fast.
    db.pragma('synchronous = OFF');
    return { db, queue: new QueueService(db, { clock: () => clock.advance(1000) }) };
  };

  it('every sequence of operations keeps status, counters, outbox and history consistent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
        const { db, queue } = fresh();
        const model = new Map<string, TaskStatus>(TASKS.map((t) => [t, 'queued']));
        let outboxRows = 0;
        try {
          for (const o of ops) {
            if (o.op === 'claim') {
              const inProgress = TASKS.find((t) => model.get(t) === 'in_progress');
              const queued = TASKS.find((t) => model.get(t) === 'queued');
              const r = await queue.claimNext();
              const expected = inProgress ?? queued ?? null;
              expect(r?.view.task.id ?? null).toBe(expected);
              if (!inProgress && queued) model.set(queued, 'in_progress');
              continue;
            }
            const want = next(model.get(o.task)!, o.op);
            const call =
              o.op === 'save'
                ? queue.saveDraft(o.task, annotation(o.activeMs))
                : o.op === 'submit'
                  ? queue.submit(o.task, annotation(o.activeMs))
                  : o.op === 'skip'
                    ? queue.skip(o.task)
                    : queue.reopen(o.task);
            if (want === 'CONFLICT') {
              const before = snapshot(db);
              await expect(call).rejects.toBeInstanceOf(AppError);
              expect(snapshot(db)).toEqual(before);
            } else {
              await call;
              model.set(o.task, want);
              if (o.op === 'submit' || o.op === 'skip') outboxRows++;
            }
          }
          // The database agrees with the model, and with itself.
          for (const t of TASKS) expect((await queue.open(t)).status).toBe(model.get(t));
          const counts = await queue.counts();
          const count = (s: TaskStatus) => TASKS.filter((t) => model.get(t) === s).length;
          expect([counts.queued, counts.inProgress, counts.submitted, counts.skipped]).toEqual([
            count('queued'),
            count('in_progress'),
            count('submitted'),
            count('skipped'),
          ]);
          const seqs = (db.prepare('SELECT seq FROM outbox ORDER BY seq').all() as { seq: number }[]).map(
            (r) => r.seq,
          );
          expect(seqs).toEqual(Array.from({ length: outboxRows }, (_, i) => i + 1));
          const history = await queue.history(100);
          expect(history.map((h) => h.id).sort()).toEqual(
            TASKS.filter((t) => ['submitted', 'skipped'].includes(model.get(t)!)).sort(),
          );
          const times = history.map((h) => h.updatedAt);
          expect(times).toEqual([...times].sort((a, b) => b - a));
          for (const t of TASKS.filter((x) => model.get(x) === 'submitted'))
            expect((await queue.open(t)).submitted).not.toBeNull();
        } finally {
          db.close();
        }
      }),
      { seed: 20261128, numRuns: 60 },
    );
  });
});
