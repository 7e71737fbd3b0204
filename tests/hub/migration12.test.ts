import { beforeAll, describe, expect, it } from 'vitest';
import { LATEST_VERSION, migrate } from '../../src/hub/storage/migrations';
import { SqlStorage } from '../../src/hub/storage/sql-storage';
import { appendLinks, genesisHead } from '../../src/shared/metrics';
import { HOUR, T0, outcome, seedRawV1, unmigratedEngines, warmPglite } from './helpers';
import { freshDatabases } from './fresh-databases';

beforeAll(warmPglite, 180_000);

const Q = 900_000;

describe.each(unmigratedEngines)('hub migration 12 (team figures rollup) on %s', (_, open) => {
  const fresh = freshDatabases();

  it('rolls up the task events already held, and keeps the rollup up to date after', async () => {
    const db = await fresh(open);
    expect(await migrate(db, 11)).toBe(11);
    await seedRawV1(db, { tasks: 4, users: { ann: 'annotator', lee: 'lead' } });
    const link = (seq: number, kind: string, task: string | null, at: number, active: number, spans = 0) =>
      db.run(
        `INSERT INTO activity_links (chain_id, seq, hash, user_id, kind, task_id, project_id, batch, at, active_ms, wall_ms, regions, spans, event, received_at)
         VALUES ('c1', ?, ?, 'ann', ?, ?, ?, ?, ?, ?, ?, 0, ?, '{}', ?)`,
        [
          seq,
          `h${seq}`,
          kind,
          task,
          task ? 'p1' : null,
          task ? 'default' : null,
          at,
          active,
          active + 1,
          spans,
          at,
        ],
      );
    // Two submissions and a skip in the first quarter hour, one submission in the fifth.
    await link(1, 'task.submitted', 'p1:t0', T0 + 1_000, 10_000, 2);
    await link(2, 'task.skipped', 'p1:t1', T0 + 2_000, 4_000);
    await link(3, 'presence', null, T0 + 2_500, 0);
    await link(4, 'task.submitted', 'p1:t2', T0 + 3_000, 30_000, 1);
    await link(5, 'task.submitted', 'p1:t3', T0 + 4 * Q + 5, 20_000);
    await db.run(
      "INSERT INTO activity_chains (chain_id, user_id, head_seq, head_hash, updated_at) VALUES ('c1', 'ann', 5, 'h5', ?)",
      [T0],
    );
    const q = { from: T0, to: T0 + 2 * HOUR, tzOffset: 0 };

    expect(await migrate(db)).toBe(LATEST_VERSION);
    const rollup = await db.all(
      'SELECT q, submitted, skipped, active_ms, spans FROM activity_quarters WHERE project_id = ? ORDER BY q',
      ['p1'],
    );
    expect(
      rollup.map((r) => [
        Number(r.q),
        Number(r.submitted),
        Number(r.skipped),
        Number(r.active_ms),
        Number(r.spans),
      ]),
    ).toEqual([
      [Math.floor(T0 / Q), 2, 1, 44_000, 3],
      [Math.floor(T0 / Q) + 4, 1, 0, 20_000, 0],
    ]);
    const s = new SqlStorage(db);
    const now = await s.teamMetrics('p1', q);
    // By hand: 3 submitted (10, 30, 20 s), 1 skipped (4 s) → 64 s; median 20 s; p90 at rank
    // 1.8 of 10, 20, 30 → 20 + 0.8 × 10 = 28 s.
    expect(now.daily).toEqual([
      { userId: 'ann', day: new Date(T0).toISOString().slice(0, 10), submitted: 3, activeMs: 64_000 },
    ]);
    expect(now.members[0]!.p90ActiveSec).toBeCloseTo(28, 9);
    expect(now.members[0]).toMatchObject({ submitted: 3, skipped: 1, activeMs: 64_000, spans: 3 });
    expect(now.members[0]!.medianActiveSec).toBe(20);

    // A workbench's new chain adds to the rollup in the same transaction as its links.
    const links = appendLinks(genesisHead('c2'), [outcome('task.submitted', 'p1:t1', T0 + 10, 6_000)]).links;
    await s.recordActivity({ userId: 'ann', chainId: 'c2', links }, T0 + HOUR);
    const first = await db.get(
      'SELECT submitted, active_ms FROM activity_quarters WHERE project_id = ? AND q = ?',
      ['p1', Math.floor(T0 / Q)],
    );
    expect([Number(first?.submitted), Number(first?.active_ms)]).toEqual([3, 50_000]);
    expect((await s.teamMetrics('p1', q)).members[0]).toMatchObject({ submitted: 4, activeMs: 70_000 });
  });
});
