import { beforeAll, describe, expect, it } from 'vitest';
import { LATEST_VERSION, migrate, statementsOf } from '../../src/hub/storage/migrations';
import { SqlStorage } from '../../src/hub/storage/sql-storage';
import { PG_URL, T0, seedRawV1, unmigratedEngines, warmPglite } from './helpers';
import { freshDatabases } from './fresh-databases';

beforeAll(warmPglite, 180_000);

const box = (x: number) =>
  JSON.stringify({
    results: [{ type: 'bbox', id: 'b', label: 'car', x, y: 0, w: 10, h: 10, rotation: 0, attributes: {} }],
  });

describe('migration statements', () => {
  it('splits at semicolons but keeps a DO block whole', () => {
    expect(
      statementsOf(
        'CREATE INDEX a ON t(x);\n DO $$ BEGIN EXECUTE 1; EXCEPTION WHEN others THEN NULL; END $$;',
      ),
    ).toEqual(['CREATE INDEX a ON t(x)', 'DO $$ BEGIN EXECUTE 1; EXCEPTION WHEN others THEN NULL; END $$']);
    expect(statementsOf('SELECT 1')).toEqual(['SELECT 1']);
  });
});

describe.each(unmigratedEngines)('hub migration 14 (quality report indexes) on %s', (_, open) => {
  const fresh = freshDatabases();

  it('adds the indexes the report reads from; submissions stored before count as before', async () => {
    const db = await fresh(open);
    expect(await migrate(db, 13)).toBe(13);
    await seedRawV1(db, { tasks: 3, users: { ann: 'annotator', bea: 'annotator', lee: 'lead' } });
    await db.run("UPDATE tasks SET gold = 1 WHERE id = 'p1:t2'");
    const sub = (id: string, task: string, user: string, x: number, superseded = 0) =>
      db.run(
        `INSERT INTO submissions (id, task_id, project_id, user_id, lease_epoch, annotation, conflict, superseded, client_submitted_at, received_at)
         VALUES (?, ?, 'p1', ?, 1, ?, 0, ?, NULL, ?)`,
        [id, `p1:${task}`, user, box(x), superseded, T0],
      );
    // t0: both drew the same box; t1: bea's box 5 px off (IoU 1/3: no match), after a first
    // try that matched (superseded, so not counted); t2: gold (never in agreement or lots).
    await sub('s1', 't0', 'ann', 0);
    await sub('s2', 't0', 'bea', 0);
    await sub('s3', 't1', 'ann', 0);
    await sub('s4', 't1', 'bea', 0, 1);
    await sub('s5', 't1', 'bea', 5);
    await sub('s6', 't2', 'ann', 0);
    await sub('s7', 't2', 'bea', 0);

    expect(await migrate(db)).toBe(LATEST_VERSION);
    const indexes =
      db.dialect === 'sqlite'
        ? await db.all(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('submissions_quality', 'tasks_gold')",
          )
        : await db.all(
            "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN ('submissions_quality', 'tasks_gold')",
          );
    expect(indexes.map((r) => String(r.name)).sort()).toEqual(['submissions_quality', 'tasks_gold']);
    if (db.dialect === 'postgres') {
      const c = await db.all(
        "SELECT attname, attcompression FROM pg_attribute WHERE attrelid = 'consensus'::regclass AND attname IN ('annotation', 'figures') ORDER BY attname",
      );
      // lz4 where the server has it (Debian's PostgreSQL does; PGlite does not: default kept).
      const want = PG_URL ? 'l' : '';
      expect(c.map((r) => [String(r.attname), String(r.attcompression ?? '')])).toEqual([
        ['annotation', want],
        ['figures', want],
      ]);
    }

    const report = await new SqlStorage(db).qualityReport('p1', T0 + 1);
    expect(report.agreement.tasks).toBe(2);
    expect(report.agreement.score).toBe(0.5);
    expect(report.consensus).toMatchObject({ tasks: 2, agreed: 1, needsReview: 1 });
    expect(report.batches).toEqual([{ batch: 'default', items: 4, openLotId: null }]);
    const rows = await db.all('SELECT task_id, sig FROM consensus ORDER BY task_id');
    expect(rows.map((r) => [String(r.task_id), String(r.sig)])).toEqual([
      ['p1:t0', 's1/ann,s2/bea|'],
      ['p1:t1', 's3/ann,s5/bea|'],
    ]);
  });
});
