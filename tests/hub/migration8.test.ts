import { beforeAll, describe, expect, it } from 'vitest';
import { pushBatchOf } from '../../src/hub/push/decode';
import { LATEST_VERSION, migrate } from '../../src/hub/storage/migrations';
import { SqlStorage } from '../../src/hub/storage/sql-storage';
import { HOUR, T0, seedRawV1, submit, unmigratedEngines, verdict, warmPglite } from './helpers';
import { freshDatabases } from './fresh-databases';

beforeAll(warmPglite, 180_000);

describe.each(unmigratedEngines)('a hub database from before review, upgraded on %s', (_, open) => {
  const fresh = freshDatabases();

  it('puts existing tasks in the default batch with no review, and reviews from there on', async () => {
    const db = await fresh(open);
    expect(await migrate(db, 6)).toBe(6);
    // What a version-6 hub holds: a project, three tasks, two users, a lease and a submission.
    await seedRawV1(db, { tasks: 3, users: { ann: 'annotator', rev: 'reviewer' } });
    await db.run("UPDATE tasks SET lease_epoch = 1 WHERE id = 'p1:t0'");
    await db.run(
      "INSERT INTO leases (task_id, epoch, project_id, user_id, device_id, state, granted_at, expires_at, updated_at) VALUES ('p1:t0', 1, 'p1', 'ann', 'd', 'submitted', ?, ?, ?)",
      [T0, T0 + HOUR, T0],
    );
    await db.run(
      "INSERT INTO submissions (id, task_id, project_id, user_id, lease_epoch, annotation, conflict, superseded, received_at) VALUES ('old-sub', 'p1:t0', 'p1', 'ann', 1, ?, 0, 0, ?)",
      [JSON.stringify({ results: [], activeMs: 50 }), T0],
    );
    await db.run("UPDATE tasks SET done_count = 1, done = 1 WHERE id = 'p1:t0'");

    expect(await migrate(db)).toBe(LATEST_VERSION);
    const s = new SqlStorage(db);
    expect(await s.getProject('p1')).toMatchObject({ reviewPolicy: 'none', rejectReasons: [] });
    expect((await s.progress('p1', T0)).batches).toEqual([
      { batch: 'default', tasks: 3, done: 1, pending: 0, accepted: 0, fixed: 0, rejected: 0, inRework: 0 },
    ]);
    expect(await s.taskHistory('p1:t0')).toMatchObject({
      batch: 'default',
      versions: [{ id: 'old-sub', userName: 'ann', activeMs: 50 }],
      verdicts: [],
    });
    expect(await s.taskHistory('p1:t0')).not.toHaveProperty('reviewStatus');

    // Old work is not put up for review retroactively; new work is, once the lead asks.
    await s.setReviewPolicy('p1', 'all');
    expect(await s.claimReviews({ userId: 'rev', deviceId: 'r', projectId: 'p1', count: 5 }, T0)).toEqual([]);
    const [l] = await s.claim({ userId: 'ann', deviceId: 'd', projectId: 'p1', count: 1 }, T0 + 1);
    await s.push(
      pushBatchOf({
        userId: 'ann',
        clientId: 'c',
        mutations: [submit('c', 1, l?.taskId ?? '', l?.epoch ?? 0)],
      }),
      T0 + 2,
    );
    const [item] = await s.claimReviews({ userId: 'rev', deviceId: 'r', projectId: 'p1', count: 5 }, T0 + 3);
    expect(item).toMatchObject({ taskId: 'p1:t1', batch: 'default' });
    const r = await s.push(
      pushBatchOf({
        userId: 'rev',
        clientId: 'rc',
        mutations: [
          verdict('review.accept', 'rc', 1, {
            taskId: item?.taskId ?? '',
            epoch: item?.epoch ?? 0,
            submissionId: item?.submissionId ?? '',
          }),
        ],
      }),
      T0 + 4,
    );
    expect(r.answers[0]).toMatchObject({ status: 'applied', conflict: false });
    expect((await s.progress('p1', T0 + 5)).batches[0]).toMatchObject({ done: 2, accepted: 1, pending: 0 });
  });
});
