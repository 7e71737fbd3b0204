import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseResponse, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src/shared/sync';
import { hashToken } from '../../src/hub/auth/tokens';
import { openStorage } from '../../src/hub/storage/open';
import { PG_URL, tempDir, textConfig, textTasks } from './helpers';
import { startHubProcess } from './hub-process';

const CLAIMERS = 50;
const TASKS = 200;

if (!PG_URL)
  console.info(
    'OUTRIGGER_PG_URL is not set: skipping the two-hub-processes-on-one-PostgreSQL test (CI sets it).',
  );

const startHub = (dataDir: string, pgUrl: string) => startHubProcess(dataDir, ['--pg', pgUrl]);

describe('two hub processes on one PostgreSQL', () => {
  const dbName = `outrigger_mp_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const dbUrl = PG_URL ? Object.assign(new URL(PG_URL), { pathname: `/${dbName}` }).toString() : '';
  const data = tempDir();
  const hubs: { proc: ChildProcess; url: string }[] = [];

  const admin = async (sql: string): Promise<void> => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(sql);
    await c.end();
  };

  beforeAll(async () => {
    if (!PG_URL) return;
    await admin(`CREATE DATABASE ${dbName}`);
    const s = await openStorage({ pgUrl: dbUrl });
    await s.createProject(
      { id: 'mp', name: 'Multi', kind: 'text', labelConfig: textConfig(), leaseHours: 72, overlap: 1 },
      textTasks('mp', TASKS),
      [],
      Date.now(),
    );
    for (let i = 0; i < CLAIMERS; i++) {
      await s.addUser(
        { id: `u${i}`, name: `u${i}`, tokenHash: hashToken(`mp-token-${i}-0123456789`) },
        Date.now(),
      );
      await s.grantRole(`u${i}`, 'mp', 'annotator');
    }
    await s.close();
    hubs.push(...(await Promise.all([startHub(data.dir, dbUrl), startHub(data.dir, dbUrl)])));
  }, 120_000);

  afterAll(async () => {
    for (const h of hubs) {
      const exited = new Promise((r) => h.proc.once('exit', r));
      h.proc.kill('SIGTERM');
      await exited;
    }
    if (PG_URL) await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    data.remove();
  }, 60_000);

  it.skipIf(!PG_URL)(
    `${CLAIMERS} concurrent claimers never get the same task`,
    async () => {
      const claim = async (i: number): Promise<string[]> => {
        const hub = hubs[i % hubs.length];
        const res = await fetch(`${hub?.url}/v1/leases`, {
          method: 'POST',
          headers: {
            authorization: `Bearer mp-token-${i}-0123456789`,
            'content-type': 'application/json',
            [PROTOCOL_HEADER]: PROTOCOL_VERSION,
          },
          body: JSON.stringify({ projectId: 'mp', deviceId: `dev-${i}`, count: 3 }),
        });
        expect(res.status).toBe(200);
        return LeaseResponse.parse(await res.json()).leases.map((l) => l.taskId);
      };
      const granted: string[] = [];
      // Two rounds of 50 simultaneous requests, split over both processes: 300 asked, 200 exist.
      for (let round = 0; round < 2; round++)
        granted.push(...(await Promise.all(Array.from({ length: CLAIMERS }, (_, i) => claim(i)))).flat());
      expect(new Set(granted).size).toBe(granted.length);
      expect(granted.length).toBeGreaterThanOrEqual(TASKS * 0.95);
      expect(granted.length).toBeLessThanOrEqual(TASKS);
      const c = new pg.Client({ connectionString: dbUrl });
      await c.connect();
      const doubled = await c.query(
        "SELECT task_id FROM leases WHERE state = 'active' GROUP BY task_id HAVING COUNT(*) > 1",
      );
      const total = await c.query("SELECT COUNT(*)::int AS n FROM leases WHERE state = 'active'");
      await c.end();
      expect(doubled.rows).toEqual([]);
      expect(total.rows[0]?.n).toBe(granted.length);
    },
    60_000,
  );
});
