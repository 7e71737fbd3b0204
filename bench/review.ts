/**
 * QA review speed over loopback HTTP, on SQLite and on PostgreSQL (the server at
 * OUTRIGGER_PG_URL, else PGlite in-process — noted in the output). Per round, 10,000
 * submissions (ten boxes each) await review in a project reviewing all; timed:
 *   - leasing the first 1,000 review items with their content (task, version, history);
 *   - pushing 10,000 verdicts (gzip batches of 1,000; 80% accept, 10% fix with ten boxes,
 *     10% reject with a comment pinned to a box), each answer meaning committed.
 * The submissions are stored through the storage API (untimed); an untimed warm-up of 2,000
 * items by another reviewer runs the same requests first. BENCH_ROUNDS rounds (default 3, each
 * its own project), medians reported with every round beside them.
 * Run: `npm run bench -- review`. Prints one JSON line and writes bench/results/review.json.
 * Per round a reviewer's workbench core also leases 1,000 items through `review.lease`, opens
 * each, gives 1,000 verdicts and pushes them (bench/review-workbench.ts; figures `wb*`).
 * Then the browser part (bench/browser/review-screen.ts): a reviewer in headless Chromium on the
 * web-mode host presses A / N through image, text and comparison review items; timed: key → the
 * next item fully drawn, prepared ahead (BENCH_BROWSER=0 skips it; needs out/renderer built).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { PushResponse, ReviewLeaseResponse, type LeasedReview, type MutationInput } from '../src/shared/sync';
import { pushBatchOf } from '../src/hub/push/decode';
import type { SqlStorage } from '../src/hub/storage/sql-storage';
import { Mutation } from '../src/shared/sync';
import { machineAtStart, onPostgres, onSqlite } from './lib/engines';
import {
  addBenchUser,
  benchConfig,
  benchTasks,
  benchToken,
  DECODE_THREADS,
  startBenchHub,
} from './lib/hub-bench';
import { boxes, cpu, ms } from './lib/measure';
import { workbenchRound, type WorkbenchRound } from './review-workbench';
import { reviewScreenBench } from './browser/review-screen';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000);
const LEASE_BATCH = 1000;
const PUSH_BATCH = 1000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = 2000;

/** A project reviewing all, with `n` tasks leased to and submitted by its annotator. */
const seedProject = async (s: SqlStorage, id: string, n: number): Promise<void> => {
  const now = Date.now();
  await s.createProject(
    {
      id,
      name: id,
      kind: 'text',
      labelConfig: benchConfig,
      leaseHours: 72,
      overlap: 1,
      reviewPolicy: 'all',
      rejectReasons: ['wrong label', 'box too loose'],
    },
    benchTasks(id, n),
    [],
    now,
  );
  await addBenchUser(s, `ann-${id}`, id, 'annotator', now);
  await addBenchUser(s, `rev-${id}`, id, 'reviewer', now);
  let seq = 0;
  for (let i = 0; i < n; i += 1000) {
    const leases = await s.claim(
      { userId: `ann-${id}`, deviceId: 'laptop', projectId: id, count: 1000 },
      now,
    );
    const mutations = leases.map((l) =>
      Mutation.parse({
        mutationId: randomUUID(),
        clientId: `ann-${id}`,
        seq: ++seq,
        kind: 'submit',
        taskId: l.taskId,
        leaseEpoch: l.epoch,
        payload: { annotation: { results: boxes(), activeMs: 12_000 } },
      }),
    );
    await s.push(pushBatchOf({ userId: `ann-${id}`, clientId: `ann-${id}`, mutations }), now);
  }
};

/** 80% accept, 10% fix (ten boxes), 10% reject with a comment on a box. */
const verdictOf = (r: LeasedReview, i: number, clientId: string): MutationInput => {
  const base = { mutationId: randomUUID(), clientId, seq: i + 1, taskId: r.taskId, leaseEpoch: r.epoch };
  const common = { submissionId: r.submissionId, activeMs: 4000 };
  if (i % 10 === 8)
    return {
      ...base,
      kind: 'review.fix',
      payload: { ...common, annotation: { results: boxes(), activeMs: 6000 } },
    };
  if (i % 10 === 9)
    return {
      ...base,
      kind: 'review.reject',
      payload: {
        ...common,
        reason: 'box too loose',
        comments: [{ target: { kind: 'region', resultId: 'b3' }, text: 'the box cuts the wheel off' }],
      },
    };
  return { ...base, kind: 'review.accept', payload: common };
};

const run = async (storage: SqlStorage, engine: string) => {
  for (let r = 0; r < ROUNDS; r++) await seedProject(storage, `rv${r}`, ITEMS);
  for (let r = 0; r < ROUNDS; r++) await seedProject(storage, `wb${r}`, LEASE_BATCH);
  await seedProject(storage, 'warm', WARMUP);
  const hub = await startBenchHub(storage);
  const url = hub.url;
  const headers = (user: string, extra: Record<string, string> = {}) => hub.headers(benchToken(user), extra);

  const leaseAll = async (project: string, count: number) => {
    const out: LeasedReview[] = [];
    while (out.length < count) {
      const res = await fetch(`${url}/v1/review-leases`, {
        method: 'POST',
        headers: headers(`rev-${project}`),
        body: JSON.stringify({ projectId: project, deviceId: 'tablet', count: LEASE_BATCH }),
      });
      const got = ReviewLeaseResponse.parse(await res.json()).reviews;
      if (got.length === 0) throw new Error('ran out of review items');
      out.push(...got);
    }
    return out;
  };
  const pushVerdicts = async (project: string, bodies: Buffer[]) => {
    let applied = 0;
    for (const body of bodies) {
      const res = await fetch(`${url}/v1/push`, {
        method: 'POST',
        headers: headers(`rev-${project}`, { 'content-encoding': 'gzip' }),
        // A view of the gzip bytes (no copy): the DOM's fetch types take no Buffer.
        body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength),
      });
      applied += PushResponse.parse(await res.json()).answers.filter(
        (a) => a.status === 'applied' && !a.conflict,
      ).length;
    }
    return applied;
  };
  const bodiesOf = (project: string, reviews: LeasedReview[]) => {
    const clientId = `tablet-${project}`;
    const mutations = reviews.map((r, i) => verdictOf(r, i, clientId));
    const out: Buffer[] = [];
    for (let i = 0; i < mutations.length; i += PUSH_BATCH)
      out.push(gzipSync(JSON.stringify({ clientId, mutations: mutations.slice(i, i + PUSH_BATCH) })));
    return out;
  };

  // Warm-up (untimed): the same requests by another reviewer on another project.
  await pushVerdicts('warm', bodiesOf('warm', await leaseAll('warm', WARMUP)));

  const timedRound = async (round: number) => {
    const project = `rv${round}`;
    let c0 = process.cpuUsage();
    let t0 = performance.now();
    const first = await leaseAll(project, LEASE_BATCH);
    const lease1kMs = ms(t0);
    const lease1kCpuMs = cpu(c0);
    const leaseBytes = JSON.stringify(first).length;
    const rest = await leaseAll(project, ITEMS - LEASE_BATCH);
    const bodies = bodiesOf(project, [...first, ...rest]);
    c0 = process.cpuUsage();
    t0 = performance.now();
    const applied = await pushVerdicts(project, bodies);
    const pushMs = ms(t0);
    const pushCpuMs = cpu(c0);
    if (applied !== ITEMS) throw new Error(`only ${applied} verdicts applied`);
    return {
      lease1000ReviewsMs: lease1kMs,
      lease1000ReviewsCpuMs: lease1kCpuMs,
      leaseAnswerBytesPerItem: Math.round(leaseBytes / LEASE_BATCH),
      push10kVerdictsMs: pushMs,
      push10kVerdictsCpuMs: pushCpuMs,
    };
  };
  const rounds: (Awaited<ReturnType<typeof timedRound>> & WorkbenchRound)[] = [];
  for (let r = 0; r < ROUNDS; r++)
    rounds.push({
      ...(await timedRound(r)),
      ...(await workbenchRound(url, `wb${r}`, benchToken(`rev-wb${r}`))),
    });
  const progress = await storage.progress('rv0', Date.now());
  await hub.close();
  const median = (k: keyof (typeof rounds)[number]): number => {
    const v = rounds.map((r) => r[k]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)] ?? NaN;
  };
  return {
    engine,
    lease1000ReviewsMs: median('lease1000ReviewsMs'),
    lease1000ReviewsCpuMs: median('lease1000ReviewsCpuMs'),
    leaseAnswerBytesPerItem: median('leaseAnswerBytesPerItem'),
    push10kVerdictsMs: median('push10kVerdictsMs'),
    push10kVerdictsCpuMs: median('push10kVerdictsCpuMs'),
    wbLease1000ReviewsMs: median('wbLease1000ReviewsMs'),
    wbLease1000ReviewsCpuMs: median('wbLease1000ReviewsCpuMs'),
    wbOpenMedianMs: median('wbOpenMedianMs'),
    wbGive1000VerdictsMs: median('wbGive1000VerdictsMs'),
    wbPush1000VerdictsMs: median('wbPush1000VerdictsMs'),
    batchAfterRound0: progress.batches[0],
    rounds,
  };
};

const main = async () => {
  const machine = machineAtStart();
  // BENCH_ENGINES=sqlite profiles one engine alone (the targets then say null for the other).
  const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
  const sqliteResult = await onSqlite(run);
  const pgResult = engines.includes('postgres') ? await onPostgres(run) : null;
  const browser = process.env.BENCH_BROWSER === '0' ? null : await reviewScreenBench();
  const result = {
    bench: 'review',
    date: new Date().toISOString(),
    machine: machine.end({
      decodeThreads: DECODE_THREADS,
      rounds: ROUNDS,
      note: "medians of the rounds (each round's figures under rounds); loopback HTTP after an untimed warm-up; *CpuMs is this process's CPU time (client + hub + SQLite; PostgreSQL runs apart). The 2 cores are shared with 5-8 other engineers' builds, tests and benches running at the same time: read each wall figure beside its CPU time, the load average and the JSON-parse yardstick (about 90 ms on a quiet machine)",
    }),
    items: ITEMS,
    sqlite: sqliteResult,
    postgres: pgResult,
    browser,
    targets: {
      'open the next review item < 100 ms median in Chromium (prepared)':
        browser === null ? null : browser.prepared.drawnMs.median < 100,
      'lease 1,000 review items with content < 1000 ms (SQLite)': sqliteResult.lease1000ReviewsMs < 1000,
      'lease 1,000 review items < 1000 ms (PostgreSQL)': pgResult ? pgResult.lease1000ReviewsMs < 1000 : null,
      'workbench leases 1,000 review items with content < 1000 ms (SQLite hub)':
        sqliteResult.wbLease1000ReviewsMs < 1000,
      'push 10k verdicts on SQLite < 2000 ms': sqliteResult.push10kVerdictsMs < 2000,
      'PostgreSQL verdict push within 2x of SQLite': pgResult
        ? pgResult.push10kVerdictsMs <= 2 * sqliteResult.push10kVerdictsMs
        : null,
    },
  };
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync('bench/results/review.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
};

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
