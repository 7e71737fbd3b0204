import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIVITY_SQL, OUTBOX_SQL, type Db } from '../../src/main/core/db';
import { QUEUE_SQL, listQuery, type ListFilter } from '../../src/main/core/queue';
import { annotation, openQueue, tempDir, textProject, textTask } from './helpers';

/** EXPLAIN QUERY PLAN details of a statement, with placeholder values bound. */
const plan = (db: Db, sql: string, params?: unknown[]): string[] => {
  const n = (sql.match(/\?/g) ?? []).length;
  const values = params ?? Array.from({ length: n }, () => 'x');
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as { detail: string }[]).map(
    (r) => r.detail,
  );
};

/** The plan searches `table` by `index` and never scans a big table whole. */
const expectIndexed = (details: string[], table: string, index: string | RegExp): void => {
  const joined = details.join(' | ');
  expect(joined, joined).not.toMatch(
    /\bSCAN (tasks|t|outbox|activity_chain|active_time|submissions|drafts)\b/,
  );
  const re =
    typeof index === 'string' ? new RegExp(`SEARCH ${table} USING (COVERING )?INDEX ${index}\\b`) : index;
  expect(joined, joined).toMatch(re);
};

describe('hot queries use their indexes (EXPLAIN QUERY PLAN)', () => {
  let db: Db;
  let cleanup: () => void;

  beforeAll(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const opened = openQueue(path.join(t.dir, 'w.db'), 2000);
    db = opened.db;
    opened.queue.addProjectsAndTasks(
      [textProject('p2')],
      Array.from({ length: 500 }, (_, i) => textTask(`x${i}`, 'p2')),
    );
    for (let i = 1; i <= 50; i++) await opened.queue.submit(`t${i}`, annotation(10));
    for (let i = 51; i <= 60; i++) await opened.queue.skip(`t${i}`);
  });
  afterAll(() => {
    db.close();
    cleanup();
  });

  it('claim next: oldest task of a status, globally and per project', () => {
    expectIndexed(plan(db, QUEUE_SQL.firstOfStatus), 'tasks', 'tasks_status_seq');
    expectIndexed(plan(db, QUEUE_SQL.firstOfStatusInProject), 'tasks', 'tasks_project_open_seq');
    // No sort step: the index already yields queue order.
    expect(plan(db, QUEUE_SQL.firstOfStatus).join()).not.toMatch(/TEMP B-TREE/);
  });

  it('open: task, draft and last submission by key', () => {
    expectIndexed(plan(db, QUEUE_SQL.task), 'tasks', 'sqlite_autoindex_tasks_1');
    // Drafts are a rowid table since v5; task_id, their declared key, is a unique index.
    expect(plan(db, QUEUE_SQL.draft).join()).toMatch(
      /SEARCH drafts USING INDEX sqlite_autoindex_drafts_1 \(task_id=\?\)/,
    );
    expectIndexed(plan(db, QUEUE_SQL.lastSubmission), 'submissions', 'submissions_task');
    expect(plan(db, QUEUE_SQL.project).join()).toMatch(
      /SEARCH projects USING INDEX sqlite_autoindex_projects_1/,
    );
  });

  it('draft save: every statement of the save path finds its row by key', () => {
    expectIndexed(plan(db, QUEUE_SQL.touch), 'tasks', 'sqlite_autoindex_tasks_1');
    expectIndexed(plan(db, QUEUE_SQL.setStatus), 'tasks', 'sqlite_autoindex_tasks_1');
    expect(plan(db, QUEUE_SQL.draft).join()).toMatch(/SEARCH drafts USING INDEX sqlite_autoindex_drafts_1/);
    expect(plan(db, QUEUE_SQL.draftActiveMs).join()).toMatch(
      /SEARCH drafts USING INDEX sqlite_autoindex_drafts_1/,
    );
    expect(plan(db, QUEUE_SQL.takeDraftActiveMs).join()).toMatch(
      /SEARCH drafts USING INDEX sqlite_autoindex_drafts_1/,
    );
    expectIndexed(plan(db, QUEUE_SQL.taskState), 'tasks', 'sqlite_autoindex_tasks_1');
    expectIndexed(plan(db, QUEUE_SQL.taskData), 'tasks', 'sqlite_autoindex_tasks_1');
    // The upsert's conflict target is the table's declared primary key (task_id, a unique index).
    const pk = db.prepare("SELECT name, pk FROM pragma_table_info('drafts') WHERE pk > 0").all();
    expect(pk).toEqual([{ name: 'task_id', pk: 1 }]);
    expect(QUEUE_SQL.upsertDraft).toMatch(/ON CONFLICT \(task_id\)/);
  });

  it('list by status (one or several), by project and status, and its total', () => {
    const f = (extra: Partial<ListFilter>): ListFilter => ({ limit: 100, offset: 0, ...extra });
    for (const filter of [f({ status: ['queued'] }), f({ status: ['queued', 'in_progress'] })]) {
      const q = listQuery(filter);
      expectIndexed(plan(db, q.sql, q.params), 't', /SEARCH t USING (COVERING )?INDEX tasks_status_\w+/);
      expectIndexed(
        plan(db, q.countSql, q.countParams),
        't',
        /SEARCH t USING (COVERING )?INDEX tasks_status_\w+/,
      );
    }
    const single = listQuery(f({ status: ['queued'] }));
    expect(plan(db, single.sql, single.params).join()).not.toMatch(/TEMP B-TREE/);
    for (const status of [['queued'], ['queued', 'in_progress']] as const) {
      const q = listQuery(f({ projectId: 'p2', status: [...status] }));
      expectIndexed(plan(db, q.sql, q.params), 't', 'tasks_project_open_seq');
      expectIndexed(plan(db, q.countSql, q.countParams), 't', 'tasks_project_open_seq');
      // hasDraft is a keyed lookup per row, not a scan of drafts.
      expect(plan(db, q.sql, q.params).join()).toMatch(
        /SEARCH d USING COVERING INDEX sqlite_autoindex_drafts_1/,
      );
    }
    // Finished tasks of one project: the status index, filtered by project (no scan, no sort).
    const done = listQuery(f({ projectId: 'p2', status: ['submitted'] }));
    expectIndexed(plan(db, done.sql, done.params), 't', /SEARCH t USING INDEX tasks_status_seq/);
    expect(plan(db, done.sql, done.params).join()).not.toMatch(/TEMP B-TREE/);
  });

  it('history and the counts for today', () => {
    expectIndexed(plan(db, QUEUE_SQL.history), 't', 'tasks_finished');
    expect(plan(db, QUEUE_SQL.history).join()).not.toMatch(/TEMP B-TREE/);
    expectIndexed(plan(db, QUEUE_SQL.finishedSince, [0, 'submitted']), 'tasks', 'tasks_finished');
    // "Active today" is a range of the stretches' start; a task's total and first trace are
    // searches by task; the dashboard's outcomes a range of the partial outcome index.
    expectIndexed(plan(db, ACTIVITY_SQL.activeSince), 'active_time', /active_time_from \(from_at>\?\)/);
    expectIndexed(plan(db, ACTIVITY_SQL.taskActive), 'active_time', /active_time_task \(task_id=\?\)/);
    expectIndexed(
      plan(db, ACTIVITY_SQL.taskFirstLink),
      'activity_chain',
      /activity_chain_task \(task_id=\?\)/,
    );
    expectIndexed(plan(db, ACTIVITY_SQL.outcomesSince, [0]), 'activity_chain', 'activity_chain_outcomes');
    expect(plan(db, ACTIVITY_SQL.head).join()).not.toMatch(/TEMP B-TREE/);
  });

  it('outbox drain order: by client and seq, no sort step', () => {
    // The outbox is keyed by (client_id, seq); a submit row's annotation is joined by rowid.
    expectIndexed(plan(db, OUTBOX_SQL.drain), 'outbox', /SEARCH outbox USING PRIMARY KEY \(client_id=\?\)/);
    expect(plan(db, OUTBOX_SQL.drain).join()).toMatch(
      /SEARCH submissions USING INTEGER PRIMARY KEY \(rowid=\?\)/,
    );
    expect(plan(db, OUTBOX_SQL.drain).join()).not.toMatch(/TEMP B-TREE/);
    // Ack has no index on mutation_id since v5 (one b-tree fewer per submit): it reads the
    // outbox once per answered batch, matching ids against the batch's list, not a scan per id.
    expect(plan(db, OUTBOX_SQL.ack)).toEqual([
      'SCAN outbox',
      'LIST SUBQUERY 1',
      expect.stringMatching(/^SCAN json_each/),
      'CREATE BLOOM FILTER',
    ]);
  });

  it('the checker itself fails on a full scan', () => {
    expect(() =>
      expectIndexed(plan(db, 'SELECT * FROM tasks WHERE title = ?'), 'tasks', 'tasks_status_seq'),
    ).toThrow();
  });
});
