// Issue 17, "keep it fixed": a seeded fuzz run against a served hub process. Thousands of hostile
// requests across every route (every role's token, none, a wrong one): malformed JSON, wrong
// types, deep nesting, huge strings, NUL and invalid UTF-8, __proto__ keys, gzip bombs and empty
// gzip, bad ranges, encoded paths, stray methods and encodings. Asserted: no 5xx, the process
// still answers, a valid call still works, the stored data is unchanged.
// FUZZ_SEED=<n> replays a run; FUZZ_RUNS=<n> changes its size.
import { createHash, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseResponse, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src/shared/sync';
import { openStorage, SQLITE_FILE } from '../../src/hub/storage/open';
import { submit, tempDir } from '../hub/helpers';
import { startHubProcess } from '../hub/hub-process';
import { seedWorld, type WorldTokens } from '../hub/http.fixture';
import { hostile, type HostileRequest } from './hostile';

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS = Number(process.env.FUZZ_RUNS ?? 2400);

interface Answer {
  status: number;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

const send = (base: URL, r: HostileRequest): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: base.hostname, port: base.port, method: r.method, path: r.path, headers: r.headers, agent },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body.length < 4096 ? (body += c) : undefined));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    // A request left hanging is a finding too, not a stuck run.
    req.setTimeout(15_000, () => req.destroy(new Error('no answer in 15 s')));
    req.end(r.body);
  });

/** Every table the hub keeps, except lease renewal times (a valid pull may move them). */
const digest = (file: string): string => {
  const db = new Database(file, { readonly: true });
  try {
    const h = createHash('sha256');
    const tables: [string, string][] = [
      ['projects', 'id'],
      ['tasks', 'id'],
      ['assets', 'sha256'],
      ['users', 'id'],
      ['memberships', 'user_id, project_id'],
      ['leases', 'task_id, epoch'],
      ['submissions', 'id, task_id'],
      ['clients', 'client_id'],
      ['mutations', 'client_id, mutation_id'],
      ['feed', 'user_id, seq'],
    ];
    for (const [t, order] of tables) {
      for (const row of db.prepare(`SELECT * FROM ${t} ORDER BY ${order}`).all() as Record<
        string,
        unknown
      >[]) {
        if (t === 'leases') {
          delete row.expires_at;
          delete row.updated_at;
        }
        h.update(`${t}:${JSON.stringify(row)}\n`);
      }
    }
    return h.digest('hex');
  } finally {
    db.close();
  }
};

describe('hub fuzz', () => {
  const t = tempDir('hub-fuzz-');
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let base: URL;
  let tokens: WorldTokens;
  let world: { imageProject: string; textProject: string; taskId: string; epoch: number; sha256: string };

  beforeAll(async () => {
    const storage = await openStorage({ dataDir: t.dir });
    const seeded = await seedWorld(storage, t.dir, () => Date.now());
    tokens = seeded.tokens;
    const user = (await storage.findUserByName('ann'))!;
    const leases = await storage.claim(
      { userId: user.id, deviceId: 'fuzz-dev', projectId: seeded.imageProject, count: 2 },
      Date.now(),
    );
    const [a, b] = leases;
    if (!a || !b || a.task.data.kind !== 'image') throw new Error('the fuzz world needs two image leases');
    // Something stored, so "unchanged" means something.
    const { pushBatchOf } = await import('../../src/hub/push/decode');
    await storage.push(
      pushBatchOf({
        userId: user.id,
        clientId: 'fuzz-seed',
        mutations: [submit('fuzz-seed', 1, a.taskId, a.epoch)],
      }),
      Date.now(),
    );
    world = {
      imageProject: seeded.imageProject,
      textProject: seeded.textProject,
      taskId: b.taskId,
      epoch: b.epoch,
      sha256: a.task.data.image.sha256,
    };
    await storage.close();
    hub = await startHubProcess(t.dir);
    base = new URL(hub.url);
  }, 120_000);

  afterAll(async () => {
    agent.destroy();
    hub?.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    t.remove();
  });

  it(`answers ${RUNS} hostile requests without a 5xx, keeps its data, and still serves valid calls`, async () => {
    const before = digest(join(t.dir, SQLITE_FILE));
    const requests = fc.sample(hostile({ tokens, ...world }), { seed: SEED, numRuns: RUNS });
    const t0 = performance.now();
    const statuses = new Map<number, number>();
    let next = 0;
    const failures: string[] = [];
    const worker = async (): Promise<void> => {
      while (next < requests.length && failures.length === 0) {
        const i = next++;
        const r = requests[i]!;
        let a: Answer;
        try {
          a = await send(base, r);
        } catch (e) {
          // A reset after a refused body (413 while uploading) is the server's right; a dead hub is not.
          if (hub.exited()) failures.push(`#${i} ${r.label}: the hub died: ${hub.exited()}`);
          else if (String(e).includes('no answer'))
            failures.push(`#${i} ${r.label} ${r.method} ${r.path.slice(0, 200)}: ${String(e)}`);
          continue;
        }
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
        if (a.status >= 500 || a.status === 0)
          failures.push(
            `#${i} ${r.label} ${r.method} ${r.path.slice(0, 200)} → ${a.status} ${a.body.slice(0, 300)}`,
          );
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const ms = performance.now() - t0;
    console.info(
      `hub fuzz: ${requests.length} requests in ${(ms / 1000).toFixed(1)} s (seed ${SEED}); statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    if (failures.length > 0) console.error(`hub fuzz failed with FUZZ_SEED=${SEED}:\n${failures.join('\n')}`);
    expect(failures, `FUZZ_SEED=${SEED}`).toEqual([]);
    expect(hub.exited(), `FUZZ_SEED=${SEED}`).toBeNull();

    // Nothing a refused request sent was kept.
    expect(digest(join(t.dir, SQLITE_FILE)), `FUZZ_SEED=${SEED}`).toBe(before);

    // And the hub still does its work: a valid submit of the lease ann holds.
    const call = (method: string, path: string, token: string, body?: unknown) =>
      send(base, {
        label: 'valid',
        method,
        path,
        headers: {
          authorization: `Bearer ${token}`,
          [PROTOCOL_HEADER]: PROTOCOL_VERSION,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: Buffer.from(JSON.stringify(body)) } : {}),
      });
    expect((await call('GET', '/v1/health', tokens.ann)).status).toBe(200);
    expect((await call('GET', '/v1/me', tokens.ann)).status).toBe(200);
    const push = await call('POST', '/v1/push', tokens.ann, {
      clientId: 'fuzz-after',
      mutations: [{ ...submit('fuzz-after', 1, world.taskId, world.epoch), mutationId: randomUUID() }],
    });
    expect(push.status, push.body).toBe(200);
    expect(JSON.parse(push.body)).toMatchObject({ answers: [{ status: 'applied' }] });
    const leased = await call('POST', '/v1/leases', tokens.ann, {
      projectId: world.imageProject,
      deviceId: 'fuzz-dev',
      count: 1,
    });
    expect(LeaseResponse.parse(JSON.parse(leased.body)).leases).toHaveLength(1);
    // A zipped empty body, the request that used to end the process, one last time.
    const gz = { label: 'gz', method: 'GET', path: '/v1/health', headers: { 'content-encoding': 'gzip' } };
    expect((await send(base, gz)).status).toBe(200);
  }, 180_000);
});
