import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, TaskSummary, TaskView } from '../../src/shared/contract';
import type { Db } from '../../src/main/core/db';
import type { QueueService } from '../../src/main/core/queue';
import { annotationDigest } from '../../src/main/core/db/outbox';
import { annotation, manualClock, openQueue, tempDir, textProject, textTask } from './helpers';

const rows = (db: Db, sql: string, ...params: unknown[]) =>
  db.prepare(sql).all(...params) as Record<string, unknown>[];
const count = (db: Db, table: string) =>
  (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof AppError ? e.code : `thrown: ${String(e)}`;
  }
};

describe('QueueService', () => {
  let dir: string;
  let cleanup: () => void;
  let db: Db;
  let queue: QueueService;
  let clock: ReturnType<typeof manualClock>;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    clock = manualClock();
    ({ db, queue } = openQueue(path.join(dir, 'w.db'), 5, clock));
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it('claimNext takes the oldest queued task, then resumes it until it is finished', async () => {
    const a = await queue.claimNext();
    expect(a?.claimed).toBe(true);
    expect(a?.view.task.id).toBe('t1');
    expect(a?.view.status).toBe('in_progress');
    expect(TaskView.parse(a?.view)).toBeTruthy();
    const again = await queue.claimNext();
    expect(again?.claimed).toBe(false);
    expect(again?.view.task.id).toBe('t1');
    await queue.submit('t1', annotation());
    expect((await queue.claimNext())?.view.task.id).toBe('t2');
    expect(rows(db, "SELECT kind, task_id FROM activity_chain WHERE kind = 'task.claimed'")).toEqual([
      { kind: 'task.claimed', task_id: 't1' },
      { kind: 'task.claimed', task_id: 't2' },
    ]);
  });

  it('claimNext with taskId claims the task the screen shows, even before the last one is submitted', async () => {
    await queue.claimNext(); // t1 in progress (its submit still on its way)
    const shown = await queue.claimNext({ taskId: 't2' });
    expect(shown?.view.task.id).toBe('t2');
    expect(shown?.claimed).toBe(true);
    expect(shown?.view.status).toBe('in_progress');
    // Asked again (a retry): resumed, not claimed twice.
    expect((await queue.claimNext({ taskId: 't2' }))?.claimed).toBe(false);
    // A named task no longer open falls back to queue order.
    await queue.submit('t2', annotation());
    expect((await queue.claimNext({ taskId: 't2' }))?.view.task.id).toBe('t1');
    expect((await queue.claimNext({ taskId: 'missing' }))?.view.task.id).toBe('t1');
  });

  it('claimNext filters by project and answers null when nothing is left', async () => {
    queue.addProjectsAndTasks([textProject('p2')], [textTask('x1', 'p2')]);
    expect((await queue.claimNext({ projectId: 'p2' }))?.view.task.id).toBe('x1');
    await queue.skip('x1');
    expect(await queue.claimNext({ projectId: 'p2' })).toBeNull();
    expect(await queue.claimNext({ projectId: 'nope' })).toBeNull();
  });

  it('open returns the task, project, draft and last submission; unknown ids are NOT_FOUND', async () => {
    const v = await queue.open('t3');
    expect(v.project.id).toBe('p-text');
    expect(v.status).toBe('queued');
    expect(v.draft).toBeNull();
    expect(v.submitted).toBeNull();
    expect(await codeOf(queue.open('missing'))).toBe('NOT_FOUND');
  });

  it('saveDraft upserts the draft exactly, moves a queued task in progress, and logs active time', async () => {
    await queue.reportActivity('w', [
      { kind: 'focus', ago: 0 },
      { kind: 'task', taskId: 't2', ago: 0 },
    ]);
    clock.advance(1000);
    await queue.reportActivity('w', [{ kind: 'input', ago: 0 }]);
    const first = await queue.saveDraft('t2', annotation(500));
    expect(first).toEqual({ savedAt: clock(), statusChanged: true });
    clock.advance(500);
    await queue.reportActivity('w', [{ kind: 'input', ago: 0 }]);
    // The renderer's figure is not taken: the draft carries what the core recorded.
    const ann = {
      results: [
        { type: 'span' as const, id: 's1', label: 'PER', start: 0, end: 4, text: 'Text', attributes: {} },
      ],
      activeMs: 99_999,
    };
    await queue.saveDraft('t2', ann);
    const v = await queue.open('t2');
    expect(v.status).toBe('in_progress');
    expect(v.draft).toEqual({ taskId: 't2', annotation: { ...ann, activeMs: 1500 }, savedAt: clock() });
    expect(count(db, 'drafts')).toBe(1);
    expect((await queue.counts()).activeMsToday).toBe(1500);
  });

  it('saveDraft and submit check span text against the task text, naming the field', async () => {
    const bad = {
      results: [
        { type: 'span' as const, id: 's1', label: 'PER', start: 0, end: 4, text: 'Nope', attributes: {} },
      ],
      activeMs: 0,
    };
    await expect(queue.saveDraft('t1', bad)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      path: 'annotation.results.0.text',
    });
    await expect(queue.submit('t1', bad)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(count(db, 'drafts') + count(db, 'submissions') + count(db, 'outbox')).toBe(0);
  });

  it('submit writes submission, status, activity event and one outbox row together', async () => {
    await queue.claimNext();
    await queue.reportActivity('w', [
      { kind: 'focus', ago: 0 },
      { kind: 'task', taskId: 't1', ago: 0 },
    ]);
    await queue.saveDraft('t1', annotation(300));
    clock.advance(2000);
    await queue.reportActivity('w', [{ kind: 'input', ago: 0 }]);
    clock.advance(3000); // no input: not active, but wall time
    const r = await queue.submit('t1', annotation(900));
    expect(r.submittedAt).toBe(clock());
    const v = await queue.open('t1');
    expect(v.status).toBe('submitted');
    expect(v.draft).toBeNull();
    // Every submission carries the active and wall time the core recorded.
    const sent = { ...annotation(900), activeMs: 2000, wallMs: 5000 };
    expect(v.submitted).toEqual(sent);
    const ob = rows(db, 'SELECT kind, task_id, seq, payload, submission_seq FROM outbox');
    expect(ob).toHaveLength(1);
    expect(ob[0]).toMatchObject({ kind: 'submit', task_id: 't1', seq: 1 });
    // The annotation is stored once, in the submission the outbox row names.
    const stored = JSON.parse(String(ob[0]!.payload)) as Record<string, unknown>;
    // …with a digest of its text, so sync can send the text without parsing it again.
    expect(stored).toEqual({
      submissionId: r.submissionId,
      submittedAt: r.submittedAt,
      annotationSha256: annotationDigest(JSON.stringify(sent)),
    });
    expect(rows(db, 'SELECT id, annotation FROM submissions WHERE seq = ?', ob[0]!.submission_seq)).toEqual([
      { id: r.submissionId, annotation: JSON.stringify(sent) },
    ]);
    // What sync reads carries the whole payload, annotation included.
    expect(queue.outbox.peek()).toMatchObject([
      {
        kind: 'submit',
        taskId: 't1',
        seq: 1,
        payload: { submissionId: r.submissionId, annotation: sent, submittedAt: r.submittedAt },
      },
    ]);
    expect(
      rows(
        db,
        "SELECT event ->> '$.activeMs' AS a, event ->> '$.wallMs' AS w FROM activity_chain WHERE kind = 'task.submitted'",
      ),
    ).toEqual([{ a: 2000, w: 5000 }]);
    expect(await codeOf(queue.submit('t1', annotation()))).toBe('CONFLICT');
    expect(await codeOf(queue.saveDraft('t1', annotation()))).toBe('CONFLICT');
    expect(await codeOf(queue.submit('missing', annotation()))).toBe('NOT_FOUND');
  });

  it('skip keeps the draft, logs the reason and queues a skip mutation', async () => {
    await queue.saveDraft('t1', annotation(100));
    await queue.skip('t1', 'blurry');
    const v = await queue.open('t1');
    expect(v.status).toBe('skipped');
    expect(v.draft?.annotation).toEqual(annotation(0)); // active time is the core's: none recorded
    expect(rows(db, 'SELECT kind, seq FROM outbox')).toEqual([{ kind: 'skip', seq: 1 }]);
    expect(
      JSON.parse(
        String(
          rows(db, "SELECT event ->> '$.data' AS d FROM activity_chain WHERE kind = 'task.skipped'")[0]!.d,
        ),
      ),
    ).toEqual({ projectId: 'p-text', reason: 'blurry' });
    expect(await codeOf(queue.skip('t1'))).toBe('CONFLICT');
  });

  it('reopen brings a submitted task back in progress, editing from its submission', async () => {
    await queue.submit('t1', annotation(700, 'A'));
    const r = await queue.reopen('t1');
    expect(r.changed).toBe(true);
    expect(r.view.status).toBe('in_progress');
    // The submission carries the core's active and wall time (none recorded here), not the 700.
    const recorded = { ...annotation(0, 'A'), wallMs: 0 };
    expect(r.view.draft?.annotation).toEqual(recorded);
    expect(r.view.submitted).toEqual(recorded);
    // Reopening again changes nothing; a queued task cannot be reopened.
    expect((await queue.reopen('t1')).changed).toBe(false);
    expect(await codeOf(queue.reopen('t2'))).toBe('CONFLICT');
    // Resubmitting records a second submission and a second outbox row with the next seq.
    await queue.submit('t1', annotation(800, 'B'));
    expect(count(db, 'submissions')).toBe(2);
    expect((await queue.open('t1')).submitted).toEqual({ ...annotation(0, 'B'), wallMs: 0 });
    expect(rows(db, 'SELECT seq FROM outbox ORDER BY seq')).toEqual([{ seq: 1 }, { seq: 2 }]);
  });

  it('history lists finished tasks newest first', async () => {
    await queue.submit('t1', annotation());
    clock.advance(10);
    await queue.skip('t2');
    clock.advance(10);
    await queue.submit('t3', annotation());
    const h = await queue.history(10);
    expect(h.map((t) => [t.id, t.status])).toEqual([
      ['t3', 'submitted'],
      ['t2', 'skipped'],
      ['t1', 'submitted'],
    ]);
    expect(h[1]!.submittedAt).toBeNull();
    expect(h.every((t) => TaskSummary.safeParse(t).success)).toBe(true);
    expect(await queue.history(1)).toHaveLength(1);
  });

  it('counts by status and for today, by the injected clock', async () => {
    const day = 86_400_000;
    const input = () => queue.reportActivity('w', [{ kind: 'input', ago: 0 }]);
    await queue.reportActivity('w', [
      { kind: 'focus', ago: 0 },
      { kind: 'task', taskId: 't1', ago: 0 },
    ]);
    clock.advance(1000);
    await input();
    await queue.submit('t1', annotation(1000));
    clock.advance(day); // the next day: the night was one long pause
    await queue.reportActivity('w', [{ kind: 'task', taskId: 't2', ago: 0 }]);
    await input();
    clock.advance(200);
    await input();
    await queue.submit('t2', annotation(200));
    await queue.skip('t3');
    await queue.saveDraft('t4', annotation(50));
    expect(await queue.counts()).toEqual({
      queued: 1,
      inProgress: 1,
      submitted: 2,
      skipped: 1,
      submittedToday: 1,
      skippedToday: 1,
      activeMsToday: 200,
    });
  });

  it("localMetrics counts the days that end on the core's clock, and says which instant that is", async () => {
    const day = 86_400_000;
    await queue.reportActivity('w', [
      { kind: 'focus', ago: 0 },
      { kind: 'task', taskId: 't1', ago: 0 },
    ]);
    clock.advance(1000);
    await queue.reportActivity('w', [{ kind: 'input', ago: 0 }]);
    await queue.submit('t1', annotation(1000));
    const today = await queue.localMetrics(1, 0);
    expect(today.now).toBe(clock());
    expect(today.outcomes.map((o) => o.taskId)).toEqual(['t1']);
    expect(Object.values(today.activeByDay)).toEqual([1000]);
    clock.advance(day);
    const next = await queue.localMetrics(1, 0);
    expect(next.now).toBe(clock());
    expect(next.outcomes).toEqual([]);
    expect((await queue.localMetrics(2, 0)).outcomes.map((o) => o.taskId)).toEqual(['t1']);
  });

  it('list filters by project, status and search, pages, and reports the total', async () => {
    queue.addProjectsAndTasks([textProject('p2')], [textTask('x1', 'p2'), textTask('x_%2', 'p2')]);
    await queue.submit('t2', annotation());
    await queue.saveDraft('t3', annotation());
    const all = await queue.list({ limit: 100, offset: 0 });
    expect(all.total).toBe(7);
    expect(all.items.map((t) => t.id)).toEqual(['t1', 't2', 't3', 't4', 't5', 'x1', 'x_%2']);
    expect(all.items.find((t) => t.id === 't3')?.hasDraft).toBe(true);
    const page = await queue.list({ limit: 2, offset: 2 });
    expect(page.items.map((t) => t.id)).toEqual(['t3', 't4']);
    expect(page.total).toBe(7);
    const open = await queue.list({ status: ['queued', 'in_progress'], limit: 100, offset: 0 });
    expect(open.items.map((t) => t.id)).toEqual(['t1', 't3', 't4', 't5', 'x1', 'x_%2']);
    const p2 = await queue.list({ projectId: 'p2', limit: 100, offset: 0 });
    expect(p2.total).toBe(2);
    // LIKE wildcards in the search are taken literally.
    const lit = await queue.list({ search: '_%', limit: 100, offset: 0 });
    expect(lit.items.map((t) => t.id)).toEqual(['x_%2']);
    const byTitle = await queue.list({ search: 'title t4', limit: 100, offset: 0 });
    expect(byTitle.items.map((t) => t.id)).toEqual(['t4']);
  });

  it('an error mid-submit leaves no partial rows', async () => {
    await queue.claimNext();
    await queue.saveDraft('t1', annotation(100));
    const before = {
      submissions: count(db, 'submissions'),
      events: count(db, 'activity_chain'),
      outbox: count(db, 'outbox'),
    };
    // Fail the last write of the transaction (the outbox insert).
    db.exec(
      "CREATE TEMP TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'outbox full'); END",
    );
    await expect(queue.submit('t1', annotation(200))).rejects.toThrow('outbox full');
    expect({
      submissions: count(db, 'submissions'),
      events: count(db, 'activity_chain'),
      outbox: count(db, 'outbox'),
    }).toEqual(before);
    const v = await queue.open('t1');
    expect(v.status).toBe('in_progress');
    expect(v.draft?.annotation).toEqual(annotation(0));
    expect((await queue.counts()).submitted).toBe(0);
    // The seq counter rolled back too: the next successful submit gets seq 1.
    db.exec('DROP TRIGGER fail_outbox');
    await queue.submit('t1', annotation(200));
    expect(rows(db, 'SELECT seq FROM outbox')).toEqual([{ seq: 1 }]);
  });

  it('an error mid-skip leaves no partial rows', async () => {
    db.exec("CREATE TEMP TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'nope'); END");
    await expect(queue.skip('t1')).rejects.toThrow('nope');
    expect((await queue.open('t1')).status).toBe('queued');
    expect(count(db, 'activity_chain')).toBe(0);
  });
});

describe('QueueService project reads', () => {
  it('see a label config rewritten in the database (the parse cache keys on the raw row)', async () => {
    const { dir, cleanup } = tempDir();
    const { db, queue } = openQueue(path.join(dir, 'w.db'), 1);
    try {
      const before = await queue.open('t1');
      expect(Object.isFrozen(before.project)).toBe(true);
      const config = {
        ...before.project.labelConfig,
        labels: [{ name: 'ORG', color: '#00ff00', attributes: [] }],
      };
      db.prepare('UPDATE projects SET label_config = ? WHERE id = ?').run(JSON.stringify(config), 'p-text');
      expect((await queue.open('t1')).project.labelConfig.labels.map((l) => l.name)).toEqual(['ORG']);
      db.prepare("UPDATE projects SET label_config = '{\"tools\": []}' WHERE id = 'p-text'").run();
      await expect(queue.open('t1')).rejects.toMatchObject({
        code: 'INTERNAL',
        message: expect.stringContaining('label_config.tools'),
      });
    } finally {
      db.close();
      cleanup();
    }
  });
});

describe('every change is all-or-nothing', () => {
  const snapshot = (db: Db) => ({
    tasks: db.prepare('SELECT id, status, updated_at, finished_at FROM tasks ORDER BY seq').all(),
    drafts: db.prepare('SELECT * FROM drafts ORDER BY task_id').all(),
    submissions: db.prepare('SELECT * FROM submissions ORDER BY id').all(),
    outbox: db.prepare('SELECT * FROM outbox ORDER BY seq').all(),
    clients: db.prepare('SELECT * FROM outbox_clients').all(),
    counters: db.prepare('SELECT * FROM counters ORDER BY key').all(),
    counts: db.prepare('SELECT * FROM task_counts ORDER BY status').all(),
    events: db.prepare('SELECT count(*) AS n FROM activity_chain').get(),
  });

  const ops: [string, (q: QueueService) => Promise<unknown>][] = [
    ['claimNext', (q) => q.claimNext()],
    ['saveDraft', (q) => q.saveDraft('t2', annotation(50))],
    ['submit', (q) => q.submit('t2', annotation(60))],
    ['skip', (q) => q.skip('t2', 'why')],
    ['reopen', (q) => q.reopen('t3')],
  ];

  it.each(ops)('%s leaves nothing behind when its activity event cannot be written', async (_name, op) => {
    const { dir, cleanup } = tempDir();
    const { db, queue } = openQueue(path.join(dir, 'w.db'), 4);
    try {
      await queue.submit('t3', annotation(20));
      await queue.skip('t4');
      db.exec(
        "CREATE TEMP TRIGGER fail_event BEFORE INSERT ON activity_chain BEGIN SELECT RAISE(ABORT, 'log full'); END",
      );
      const before = snapshot(db);
      await expect(op(queue)).rejects.toThrow('log full');
      expect(snapshot(db)).toEqual(before);
    } finally {
      db.close();
      cleanup();
    }
  });
});
