/**
 * Hub speed over loopback HTTP, on SQLite and on PostgreSQL (the server at OUTRIGGER_PG_URL,
 * else PGlite in-process — noted in the output): 10,000 tasks leased ("pulled") in requests of
 * 1,000, the 10,000-event change feed read, 10,000 submissions (ten boxes each) pushed in
 * gzip batches of 500 and durably applied, and 50 concurrent claimers (double leases counted).
 * A hub is a long-running server, so a warm-up user first leases, pushes and pulls 3,000 tasks
 * of another project (JIT-compiling the request path) before anything is timed. The timed part
 * runs BENCH_ROUNDS times (default 3; each round its own project and annotator) and reports
 * the median, with every round's figures beside it: this machine's speed drifts by half
 * between minutes.
 * Run: `npx tsx bench/hub.ts` (or `npm run bench -- hub`). Prints one JSON line and writes
 * bench/results/hub.json.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import {
  LeaseResponse,
  PullResponse,
  PushResponse,
  type LeasedTask,
  type MutationInput,
} from '../src/shared/sync';
import { hashToken, type HubStorage } from '../src/hub';
import type { SqlStorage } from '../src/hub/storage/sql-storage';
import { machineAtStart, onPostgres, onSqlite } from './lib/engines';
import { benchConfig as config, benchTasks as tasks, DECODE_THREADS, startBenchHub } from './lib/hub-bench';
import { boxes, cpu, ms } from './lib/measure';

const TASKS = Number(process.env.BENCH_TASKS ?? 10_000);
const LEASE_BATCH = 1000;
const PUSH_BATCH = Number(process.env.BENCH_PUSH_BATCH ?? 1000); // what the workbench sends (src/main/core/sync engine default)
const CLAIMERS = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_TASKS = 3000;
const seed = async (s: HubStorage): Promise<void> => {
  const now = Date.now();
  for (let r = 0; r < ROUNDS; r++) {
    await s.createProject(
      { id: `bench${r}`, name: `Bench ${r}`, kind: 'text', labelConfig: config, leaseHours: 72, overlap: 1 },
      tasks(`bench${r}`, TASKS),
      [],
      now,
    );
    await s.addUser(
      { id: `ann${r}`, name: `ann${r}`, tokenHash: hashToken(`bench-token-ann${r}-0123456789`) },
      now,
    );
    await s.grantRole(`ann${r}`, `bench${r}`, 'annotator');
  }
  await s.createProject(
    { id: 'race', name: 'Race', kind: 'text', labelConfig: config, leaseHours: 72, overlap: 1 },
    tasks('race', 1000),
    [],
    now,
  );
  await s.createProject(
    { id: 'warm', name: 'Warm-up', kind: 'text', labelConfig: config, leaseHours: 72, overlap: 1 },
    tasks('warm', WARMUP_TASKS),
    [],
    now,
  );
  await s.addUser({ id: 'warm', name: 'warm', tokenHash: hashToken('bench-token-warm-0123456789') }, now);
  await s.grantRole('warm', 'warm', 'annotator');
  for (let i = 0; i < CLAIMERS; i++) {
    await s.addUser(
      { id: `c${i}`, name: `c${i}`, tokenHash: hashToken(`bench-token-c${i}-0123456789`) },
      now,
    );
    await s.grantRole(`c${i}`, 'race', 'annotator');
  }
};

const run = async (storage: SqlStorage, engine: string) => {
  await seed(storage);
  const hub = await startBenchHub(storage);
  const { url, headers } = hub;

  // 0. Warm-up (untimed): the same calls as below, by another user on another project.
  const warm = headers('bench-token-warm-0123456789');
  const warmLeases: LeasedTask[] = [];
  for (let i = 0; i < WARMUP_TASKS; i += LEASE_BATCH) {
    const res = await fetch(`${url}/v1/leases`, {
      method: 'POST',
      headers: warm,
      body: JSON.stringify({ projectId: 'warm', deviceId: 'warm', count: LEASE_BATCH }),
    });
    warmLeases.push(...LeaseResponse.parse(await res.json()).leases);
  }
  for (let i = 0; i < warmLeases.length; i += PUSH_BATCH) {
    const mutations = warmLeases.slice(i, i + PUSH_BATCH).map((l, j) => ({
      mutationId: randomUUID(),
      clientId: 'warm',
      seq: i + j + 1,
      kind: 'submit' as const,
      taskId: l.taskId,
      leaseEpoch: l.epoch,
      payload: { annotation: { results: boxes(), activeMs: 12_000 }, submittedAt: Date.now() },
    }));
    const res = await fetch(`${url}/v1/push`, {
      method: 'POST',
      headers: { ...warm, 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ clientId: 'warm', mutations })),
    });
    PushResponse.parse(await res.json());
  }
  PullResponse.parse(
    await (await fetch(`${url}/v1/pull?cursor=0&limit=10000&deviceId=warm`, { headers: warm })).json(),
  );

  /** One timed round on its own project: lease all, read the feed, push every submission. */
  const timedRound = async (round: number) => {
    // 1. Lease ("pull") all tasks, 1,000 per request.
    const ann = headers(`bench-token-ann${round}-0123456789`);
    const project = `bench${round}`;
    let c0 = process.cpuUsage();
    let t0 = performance.now();
    const leased: LeasedTask[] = [];
    while (leased.length < TASKS) {
      const res = await fetch(`${url}/v1/leases`, {
        method: 'POST',
        headers: ann,
        body: JSON.stringify({ projectId: project, deviceId: 'laptop', count: LEASE_BATCH }),
      });
      const got = LeaseResponse.parse(await res.json()).leases;
      if (got.length === 0) throw new Error('ran out of tasks');
      leased.push(...got);
    }
    const leaseMs = ms(t0);
    const leaseCpuMs = cpu(c0);

    // 2. Read the change feed those leases produced (10,000 events, one request).
    c0 = process.cpuUsage();
    t0 = performance.now();
    const feedEvents = PullResponse.parse(
      await (await fetch(`${url}/v1/pull?cursor=0&limit=10000&deviceId=laptop`, { headers: ann })).json(),
    ).events.length;
    const feedMs = ms(t0);
    const feedCpuMs = cpu(c0);
    if (feedEvents !== TASKS) throw new Error(`feed had ${feedEvents} events`);

    // 3. Push one submission per task (ten boxes each) in gzip batches; each answer means committed.
    const mutations: MutationInput[] = leased.map((l, i) => ({
      mutationId: randomUUID(),
      clientId: `laptop${round}`,
      seq: i + 1,
      kind: 'submit' as const,
      taskId: l.taskId,
      leaseEpoch: l.epoch,
      payload: { annotation: { results: boxes(), activeMs: 12_000 }, submittedAt: Date.now() },
    }));
    // The client's part (serialize + gzip each batch) is timed apart: the target is the hub's.
    const c1 = process.cpuUsage();
    const t1 = performance.now();
    const bodies: Buffer[] = [];
    for (let i = 0; i < mutations.length; i += PUSH_BATCH)
      bodies.push(
        gzipSync(
          JSON.stringify({ clientId: `laptop${round}`, mutations: mutations.slice(i, i + PUSH_BATCH) }),
        ),
      );
    const clientGzipMs = ms(t1);
    const clientGzipCpuMs = cpu(c1);
    const wireBytes = bodies.reduce((n, b) => n + b.length, 0);
    // A real client holds only the bodies it sends, not 10,000 parsed tasks and mutations: drop
    // them so the hub's garbage collections do not keep marking the bench's own data.
    mutations.length = 0;
    leased.length = 0;
    let applied = 0;
    c0 = process.cpuUsage();
    t0 = performance.now();
    for (const body of bodies) {
      const res = await fetch(`${url}/v1/push`, {
        method: 'POST',
        headers: { ...ann, 'content-encoding': 'gzip' },
        body,
      });
      applied += PushResponse.parse(await res.json()).answers.filter((a) => a.status === 'applied').length;
    }
    const pushMs = ms(t0);
    const pushCpuMs = cpu(c0);
    if (applied !== TASKS) throw new Error(`only ${applied} submissions applied`);
    return {
      leaseTasksMs: leaseMs,
      leaseTasksCpuMs: leaseCpuMs,
      pullFeedMs: feedMs,
      pullFeedCpuMs: feedCpuMs,
      pushSubmissionsMs: pushMs,
      pushSubmissionsCpuMs: pushCpuMs,
      clientSerializeGzipMs: clientGzipMs,
      clientSerializeGzipCpuMs: clientGzipCpuMs,
      gzipBytesPerSubmission: Math.round(wireBytes / TASKS),
    };
  };
  const rounds: Awaited<ReturnType<typeof timedRound>>[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await timedRound(r));

  // 4. Fifty claimers at once, ten tasks each, on a 1,000-task project.
  const t0 = performance.now();
  const claims = await Promise.all(
    Array.from({ length: CLAIMERS }, async (_, i) => {
      const res = await fetch(`${url}/v1/leases`, {
        method: 'POST',
        headers: headers(`bench-token-c${i}-0123456789`),
        body: JSON.stringify({ projectId: 'race', deviceId: `d${i}`, count: 10 }),
      });
      return LeaseResponse.parse(await res.json()).leases.map((l) => l.taskId);
    }),
  );
  const claimMs = ms(t0);
  const all = claims.flat();
  const doubleLeasesInAnswers = all.length - new Set(all).size;
  const doubled = await storage.db.all(
    "SELECT task_id FROM leases WHERE project_id = 'race' AND state = 'active' GROUP BY task_id HAVING COUNT(*) > 1",
  );

  await hub.close();
  const median = (k: keyof (typeof rounds)[number]): number => {
    const v = rounds.map((r) => r[k]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)] ?? NaN;
  };
  return {
    engine,
    leaseTasksMs: median('leaseTasksMs'),
    leaseTasksCpuMs: median('leaseTasksCpuMs'),
    pullFeedMs: median('pullFeedMs'),
    pullFeedCpuMs: median('pullFeedCpuMs'),
    pushSubmissionsMs: median('pushSubmissionsMs'),
    pushSubmissionsCpuMs: median('pushSubmissionsCpuMs'),
    pushPerSubmissionUs: Math.round((median('pushSubmissionsMs') * 1000) / TASKS),
    clientSerializeGzipMs: median('clientSerializeGzipMs'),
    clientSerializeGzipCpuMs: median('clientSerializeGzipCpuMs'),
    gzipBytesPerSubmission: median('gzipBytesPerSubmission'),
    claimers: CLAIMERS,
    concurrentClaimMs: claimMs,
    tasksClaimed: all.length,
    doubleLeases: doubleLeasesInAnswers + doubled.length,
    rounds,
  };
};

const main = async () => {
  const machine = machineAtStart();
  const sqliteResult = await onSqlite(run);
  if (process.env.BENCH_SQLITE_ONLY) {
    console.log(JSON.stringify(sqliteResult));
    return;
  }
  const pgResult = await onPostgres(run);

  const result = {
    bench: 'hub',
    date: new Date().toISOString(),
    machine: machine.end({
      decodeThreads: DECODE_THREADS,
      rounds: ROUNDS,
      note: "medians of the rounds (each round's figures under rounds); loopback HTTP, after an untimed warm-up (3,000 tasks leased, pushed and pulled by another user, in the timed batch sizes); *CpuMs is this process's CPU time (client + hub + SQLite; PostgreSQL runs apart), wall time is *Ms",
    }),
    tasks: TASKS,
    sqlite: sqliteResult,
    postgres: pgResult,
    // The targets; 'lease' is the "10,000 tasks pulled" (leased with content).
    targets: {
      'push 10k submissions on SQLite < 2000 ms': sqliteResult.pushSubmissionsMs < 2000,
      'lease 10k tasks < 1000 ms (SQLite)': sqliteResult.leaseTasksMs < 1000,
      'read the 10k-event feed < 1000 ms (SQLite)': sqliteResult.pullFeedMs < 1000,
      '0 double leases': sqliteResult.doubleLeases === 0 && pgResult.doubleLeases === 0,
      'PostgreSQL push within 2x of SQLite': pgResult.pushSubmissionsMs <= 2 * sqliteResult.pushSubmissionsMs,
      'PostgreSQL lease within 2x of SQLite': pgResult.leaseTasksMs <= 2 * sqliteResult.leaseTasksMs,
      'PostgreSQL feed within 2x of SQLite': pgResult.pullFeedMs <= 2 * sqliteResult.pullFeedMs,
      'PostgreSQL 50 claimers within 2x of SQLite':
        pgResult.concurrentClaimMs <= 2 * sqliteResult.concurrentClaimMs,
    },
  };
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync('bench/results/hub.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
};

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
