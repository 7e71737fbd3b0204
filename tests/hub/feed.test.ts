import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../../src/hub/storage/driver';
import { LATEST_VERSION, migrate } from '../../src/hub/storage/migrations';
import { openStorage } from '../../src/hub/storage/open';
import { SqlStorage } from '../../src/hub/storage/sql-storage';
import {
  HOUR,
  T0,
  unmigratedEngines,
  openPgStorage,
  seed,
  seedRawV1,
  tempDir,
  textConfig,
  warmPglite,
} from './helpers';

const engines: [string, () => Promise<{ storage: SqlStorage; drop: () => Promise<void> }>][] = [
  [
    'SQLite',
    async () => {
      const t = tempDir();
      return { storage: await openStorage({ dataDir: t.dir }), drop: async () => t.remove() };
    },
  ],
  ['PostgreSQL dialect', openPgStorage],
];

beforeAll(warmPglite, 180_000);

describe.each(engines)('the change feed on %s', (_, open) => {
  let opened: { storage: SqlStorage; drop: () => Promise<void> } | undefined;
  afterEach(async () => {
    await opened?.storage.close();
    await opened?.drop();
  });

  it("stores a call's events as one row, and pages of any size read each event once, in order, across batch edges", async () => {
    opened = await open();
    const s = opened.storage;
    await seed(s, { tasks: 30 });
    const granted: string[] = [];
    for (const count of [7, 1, 12])
      granted.push(
        ...(await s.claim({ userId: 'ann', deviceId: 'd', projectId: 'p1', count }, T0)).map((l) => l.taskId),
      );
    await s.updateLabelConfig('p1', textConfig({ labels: [{ name: 'ORG', color: '#00ff00' }] }), T0);
    const rows = await s.db.all('SELECT seq, n, kind FROM feed WHERE user_id = ? ORDER BY seq', ['ann']);
    expect(rows.map((r) => [Number(r.seq), Number(r.n), r.kind])).toEqual([
      [7, 7, 'batch'],
      [8, 1, 'lease.granted'],
      [20, 12, 'batch'],
      [21, 1, 'config.changed'],
    ]);

    for (let limit = 1; limit <= 22; limit++) {
      const seen: { seq: number; kind: string; taskId?: string }[] = [];
      let cursor = 0;
      for (let page = 0; page < 30; page++) {
        const r = await s.pull({ userId: 'ann', cursor, limit }, T0);
        expect(r.events.length).toBeLessThanOrEqual(limit);
        if (r.hasMore) expect(r.events).toHaveLength(limit);
        seen.push(
          ...r.events.map((e) => ({
            seq: e.seq,
            kind: e.kind,
            ...('taskId' in e ? { taskId: e.taskId } : {}),
          })),
        );
        cursor = Number(r.cursor);
        if (!r.hasMore) break;
      }
      expect(seen.map((e) => e.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      expect(seen.slice(0, 20).map((e) => e.taskId)).toEqual(granted);
      expect(seen.map((e) => e.kind)).toEqual([
        ...new Array<string>(20).fill('lease.granted'),
        'config.changed',
      ]);
    }
    // A cursor inside a batch starts right after it; past the end, nothing.
    expect((await s.pull({ userId: 'ann', cursor: 10, limit: 3 }, T0)).events.map((e) => e.seq)).toEqual([
      11, 12, 13,
    ]);
    expect(await s.pull({ userId: 'ann', cursor: 21, limit: 5 }, T0)).toMatchObject({
      events: [],
      hasMore: false,
      cursor: '21',
    });
  });

  it('refuses a batch row whose events do not match its count', async () => {
    opened = await open();
    const s = opened.storage;
    await seed(s, { tasks: 3 });
    await s.claim({ userId: 'ann', deviceId: 'd', projectId: 'p1', count: 3 }, T0);
    await s.db.run('UPDATE feed SET n = 2, seq = 2 WHERE user_id = ?', ['ann']);
    await expect(s.pull({ userId: 'ann', cursor: 0, limit: 10 }, T0)).rejects.toThrow(
      /holds 3 events, not 2/,
    );
  });
});

describe.each(unmigratedEngines)('a version-3 hub database upgraded on %s', (dialect, open) => {
  let opened: { db: SqlDriver; drop: () => Promise<void> } | undefined;
  afterEach(async () => {
    await opened?.db.close();
    await opened?.drop();
  });

  it('keeps its feed and leases, and loses the leases and submissions foreign keys on PostgreSQL only', async () => {
    opened = await open();
    const { db } = opened;
    expect(await migrate(db, 3)).toBe(3);
    const s = new SqlStorage(db);
    await seedRawV1(db, { tasks: 4, users: { ann: 'annotator', bob: 'annotator' } });
    // What a version-3 hub wrote for one lease: the lease, the task's epoch and hint, one feed row.
    const granted = { taskId: 'p1:t0', epoch: 1, deviceId: 'd', expiresAt: T0 + HOUR };
    await db.run(
      "INSERT INTO leases (task_id, epoch, project_id, user_id, device_id, state, granted_at, expires_at, updated_at) VALUES ('p1:t0', 1, 'p1', 'ann', 'd', 'active', ?, ?, ?)",
      [T0, T0 + HOUR, T0],
    );
    await db.run("UPDATE tasks SET lease_epoch = 1, full_until = ? WHERE id = 'p1:t0'", [T0 + HOUR]);
    await db.run(
      "INSERT INTO feed (user_id, seq, kind, project_id, data, created_at) VALUES ('ann', 1, 'lease.granted', 'p1', ?, ?)",
      [JSON.stringify(granted), T0],
    );
    await db.run("UPDATE users SET feed_seq = 1 WHERE id = 'ann'");

    expect(await migrate(db)).toBe(LATEST_VERSION);
    expect(
      (await s.claim({ userId: 'ann', deviceId: 'd', projectId: 'p1', count: 2 }, T0)).map((l) => l.taskId),
    ).toEqual(['p1:t1', 'p1:t2']);
    const page = await s.pull({ userId: 'ann', cursor: 0, limit: 10 }, T0);
    expect(page.events[0]).toEqual({ seq: 1, kind: 'lease.granted', projectId: 'p1', at: T0, ...granted });
    expect(page.events.map((e) => [e.seq, 'taskId' in e ? e.taskId : ''])).toEqual([
      [1, 'p1:t0'],
      [2, 'p1:t1'],
      [3, 'p1:t2'],
    ]);
    expect(page.leases.map((l) => l.taskId)).toEqual(['p1:t0', 'p1:t1', 'p1:t2']);
    for (const table of ['leases', 'submissions']) {
      const fks = await db.get(
        dialect === 'SQLite'
          ? `SELECT COUNT(*) AS n FROM pragma_foreign_key_list('${table}')`
          : `SELECT COUNT(*) AS n FROM information_schema.table_constraints WHERE table_schema = current_schema() AND table_name = '${table}' AND constraint_type = 'FOREIGN KEY'`,
      );
      expect(Number(fks?.n), table).toBe(dialect === 'SQLite' ? 2 : 0);
    }
  });
});
