import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../../src/hub/storage/driver';
import { LATEST_VERSION, QUARTERS_FROM_LINKS, migrate } from '../../src/hub/storage/migrations';
import { SqlStorage } from '../../src/hub/storage/sql-storage';
import { appendLinks, genesisHead } from '../../src/shared/metrics';
import { HOUR, T0, labelled, seedRawV1, unmigratedEngines, warmPglite } from './helpers';

beforeAll(warmPglite, 180_000);

const Q = 900_000;

describe.each(unmigratedEngines)('hub migration 13 (review and per-label rollups) on %s', (_, open) => {
  let opened: { db: SqlDriver; drop: () => Promise<void> } | undefined;
  afterEach(async () => {
    await opened?.db.close();
    await opened?.drop();
  });

  it('rolls up the verdicts and labels already held, and keeps both up to date after', async () => {
    opened = await open();
    const { db } = opened;
    expect(await migrate(db, 12)).toBe(12);
    await seedRawV1(db, { tasks: 4, users: { ann: 'annotator', rev: 'reviewer' } });
    const link = (seq: number, task: string, at: number, labels: string) =>
      db.run(
        `INSERT INTO activity_links (chain_id, seq, hash, user_id, kind, task_id, project_id, batch, at, active_ms, wall_ms, regions, spans, event, received_at)
         VALUES ('c1', ?, ?, 'ann', 'task.submitted', ?, 'p1', 'default', ?, 10000, 11000, 0, 0, ?, ?)`,
        [seq, `h${seq}`, task, at, `{"data":{"labels":${labels}},"type":"task"}`, at],
      );
    await link(1, 'p1:t0', T0 + 1_000, '{"car":2,"person":1}');
    await link(2, 'p1:t1', T0 + 2_000, '{"car":1}');
    await link(3, 'p1:t2', T0 + 5 * Q, '{"car":"x","bus":0}');
    // A hub at version 12 kept activity_quarters as the links arrived.
    await db.run(QUARTERS_FROM_LINKS);
    await db.run(
      "INSERT INTO activity_chains (chain_id, user_id, head_seq, head_hash, updated_at) VALUES ('c1', 'ann', 3, 'h3', ?)",
      [T0],
    );
    const sub = (id: string, task: string, at: number) =>
      db.run(
        `INSERT INTO submissions (id, task_id, project_id, user_id, lease_epoch, annotation, conflict, superseded, received_at)
         VALUES (?, ?, 'p1', 'ann', 1, '{}', 0, 0, ?)`,
        [id, task, at],
      );
    const verdict = (
      id: string,
      subId: string,
      task: string,
      kind: string,
      at: number,
      flag: string | null = null,
    ) =>
      db.run(
        `INSERT INTO verdicts (id, submission_id, task_id, project_id, reviewer_id, kind, comments, active_ms, flag, created_at)
         VALUES (?, ?, ?, 'p1', 'rev', ?, '[]', 1000, ?, ?)`,
        [id, subId, task, kind, flag, at],
      );
    // t0: rejected, reworked (s0b) and accepted; t1: a stale accept (counts nothing), then fixed;
    // t2: never reviewed.
    await sub('s0', 'p1:t0', T0 + 1_500);
    await sub('s0b', 'p1:t0', T0 + 9_000);
    await sub('s1', 'p1:t1', T0 + 2_500);
    await sub('s2', 'p1:t2', T0 + 5 * Q + 500);
    await verdict('v1', 's0', 'p1:t0', 'rejected', T0 + 3_000);
    await verdict('v2', 's0b', 'p1:t0', 'accepted', T0 + 10_000);
    await verdict('v3', 's1', 'p1:t1', 'accepted', T0 + 3_000, 'stale');
    await verdict('v4', 's1', 'p1:t1', 'fixed', T0 + 4_000);

    expect(await migrate(db)).toBe(LATEST_VERSION);
    const rollup = await db.all(
      'SELECT task_id, first_at, first_kind, rejects FROM review_rollup ORDER BY task_id',
    );
    expect(rollup.map((r) => [r.task_id, Number(r.first_at), r.first_kind, Number(r.rejects)])).toEqual([
      ['p1:t0', T0 + 1_000, 'rejected', 1],
      ['p1:t1', T0 + 2_000, 'fixed', 0],
    ]);
    const labels = await db.all(
      'SELECT q, label, n FROM activity_label_quarters WHERE project_id = ? ORDER BY q, label',
      ['p1'],
    );
    expect(labels.map((r) => [Number(r.q), r.label, Number(r.n)])).toEqual([
      [Math.floor(T0 / Q), 'car', 3],
      [Math.floor(T0 / Q), 'person', 1],
    ]);
    const s = new SqlStorage(db);
    const q = { from: T0, to: T0 + 2 * HOUR, tzOffset: 0 };
    const m = await s.teamMetrics('p1', q);
    // By hand: t0 and t1 have verdicts on version 1, neither a first-pass accept; t0 reworked.
    expect(m.members[0]).toMatchObject({
      submitted: 3,
      firstVersionsReviewed: 2,
      firstPassAcceptance: 0,
      reviewed: 2,
      reworkRate: 0.5,
    });
    expect(m.labels).toEqual([
      { userId: 'ann', label: 'car', count: 3 },
      { userId: 'ann', label: 'person', count: 1 },
    ]);

    // A workbench's new chain adds to the label rollup in the same transaction as its links.
    const event = labelled('p1:t3', T0 + 10, { person: 4 });
    await s.recordActivity(
      { userId: 'ann', chainId: 'c2', links: appendLinks(genesisHead('c2'), [event]).links },
      T0 + HOUR,
    );
    expect((await s.teamMetrics('p1', q)).labels).toEqual([
      { userId: 'ann', label: 'car', count: 3 },
      { userId: 'ann', label: 'person', count: 5 },
    ]);
  });
});
