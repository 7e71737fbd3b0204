/**
 * Hub quality figures at the size issue 12 names, on SQLite and on PostgreSQL (the server at
 * OUTRIGGER_PG_URL, else PGlite in-process — noted in the output): an overlap-3 project of
 * 10,000 tasks, each submitted by 3 annotators with 10 boxes (the same ten objects, jittered a
 * few pixels, one box in ten moved away so agreement is not perfect). Timed:
 *   - the first quality report: agreement (every pair of every task) and consensus of all
 *     10,000 tasks computed and stored (quality-consensus.ts), heap growth noted;
 *   - `GET /v1/projects/:id/quality` over loopback HTTP afterwards (nothing changed: the route
 *     checks the change mark and reads the stored rows), median of 5 calls, with the CPU time
 *     the process (client and hub) spent on each.
 * Submissions are stored through the storage API first (untimed).
 * Run: `npm run bench -- quality`; prints one JSON line and writes bench/results/quality.json.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import os from 'node:os';
import path from 'node:path';
import { LabelConfig, Task, type BBoxResult } from '../src/shared/model';
import { Mutation, PROTOCOL_HEADER, PROTOCOL_VERSION, QualityReport } from '../src/shared/sync';
import { createHub, hashToken } from '../src/hub';
import { pushBatchOf } from '../src/hub/push/decode';
import type { SqlStorage } from '../src/hub/storage/sql-storage';
import { machineAtStart, onPostgres, onSqlite } from './lib/engines';
import { cpu, ms } from './lib/measure';

const TASKS = Number(process.env.BENCH_TASKS ?? 10_000);
const ANNOTATORS = ['ann-a', 'ann-b', 'ann-c'];

// Deterministic jitter (mulberry32), so every run measures the same data.
let state = 7;
const rand = (): number => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const boxesOf = (a: number): BBoxResult[] =>
  Array.from({ length: 10 }, (_, k) => ({
    type: 'bbox',
    id: `b${a}-${k}`,
    label: k % 3 === 0 ? 'person' : 'car',
    x: (k % 5) * 300 + rand() * 12 + (rand() < 0.1 ? 150 : 0),
    y: Math.floor(k / 5) * 300 + rand() * 12,
    w: 200 + rand() * 20,
    h: 150 + rand() * 20,
    rotation: 0,
    attributes: {},
  }));

const config = LabelConfig.parse({
  tools: ['bbox'],
  labels: [
    { name: 'car', color: '#ff0000' },
    { name: 'person', color: '#00ff00' },
  ],
});

// Deterministic mutation (= submission) ids too, so the stored rows' digest is the same on
// every run and a change to the report's code can be checked to store the same bytes.
let mutationCount = 0;
const mutationIdOf = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const seed = async (s: SqlStorage, id: string): Promise<void> => {
  const now = Date.now();
  await s.createProject(
    { id, name: id, kind: 'text', labelConfig: config, leaseHours: 72, overlap: 3 },
    Array.from({ length: TASKS }, (_, i) => ({
      task: Task.parse({ id: `${id}:${i}`, projectId: id, data: { kind: 'text', text: `Task ${i}` } }),
    })),
    [],
    now,
  );
  await s.addUser({ id: 'lead', name: 'lead', tokenHash: hashToken('bench-token-lead-0123456789') }, now);
  await s.grantRole('lead', id, 'lead');
  for (const [a, user] of ANNOTATORS.entries()) {
    await s.addUser({ id: user, name: user, tokenHash: hashToken(`bench-token-${user}-0123456789`) }, now);
    await s.grantRole(user, id, 'annotator');
    let seq = 0;
    for (let i = 0; i < TASKS; i += 1000) {
      const leases = await s.claim({ userId: user, deviceId: 'laptop', projectId: id, count: 1000 }, now);
      const mutations = leases.map((l) =>
        Mutation.parse({
          mutationId: mutationIdOf(++mutationCount),
          clientId: user,
          seq: ++seq,
          kind: 'submit',
          taskId: l.taskId,
          leaseEpoch: l.epoch,
          payload: { annotation: { results: boxesOf(a), activeMs: 9000 } },
        }),
      );
      await s.push(pushBatchOf({ userId: user, clientId: user, mutations }), now);
    }
  }
};

// The seed's garbage is collected before the report is timed (`npm run bench` runs tsx without
// --expose-gc, so global.gc is not there: turned on here).
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

const loadNow = (): number[] => os.loadavg().map((l) => Math.round(l * 100) / 100);

/**
 * What the first report stored and returned, as digests: the per-task rows (every column but
 * the time stamp), the review items it made, and the report itself (but its time stamp), each in
 * byte order of its key. Equal digests before and after a change to the report's code: the
 * change stores and returns the same bytes.
 */
const digests = async (s: SqlStorage, report: QualityReport) => {
  const md5 = (rows: Record<string, unknown>[], cols: string[]): string => {
    const lines = rows.map((r) => cols.map((c) => String(r[c])).join('\u0001'));
    lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return createHash('md5').update(lines.join('\n')).digest('hex');
  };
  const consensus = await s.db.all(
    "SELECT task_id, sig, k, status, annotation, reasons, figures FROM consensus WHERE project_id = 'q'",
    [],
  );
  const reviews = await s.db.all(
    "SELECT submission_id, task_id, batch, author_id, status, pos FROM reviews WHERE project_id = 'q'",
    [],
  );
  return {
    consensusRowsMd5: md5(consensus, ['task_id', 'sig', 'k', 'status', 'annotation', 'reasons', 'figures']),
    reviewRows: reviews.length,
    reviewRowsMd5: md5(reviews, ['submission_id', 'task_id', 'batch', 'author_id', 'status', 'pos']),
    reportMd5: createHash('md5')
      .update(JSON.stringify({ ...report, generatedAt: 0 }))
      .digest('hex'),
  };
};

/** BENCH_CPU_PROF=FILE: a CPU profile of the first report alone (its timings then mean nothing). */
const profiled = async <T>(label: string, f: () => Promise<T>): Promise<T> => {
  const file = process.env.BENCH_CPU_PROF;
  if (!file) return f();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await f();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file.replace(/(\.cpuprofile)?$/, `-${label}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const run = async (storage: SqlStorage, engine: string) => {
  const label = engine.startsWith('SQLite') ? 'sqlite' : 'postgres';
  const t0 = performance.now();
  await seed(storage, 'q');
  const seedMs = ms(t0);
  collect();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  // Peak RSS while the report runs: sampled between its database reads and writes (the JS
  // work of one chunk of 1,000 tasks runs without a break, so a peak inside one can be missed).
  let rssPeak = rss0;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 10);
  const loadBefore = loadNow();
  const c0 = process.cpuUsage();
  const t1 = performance.now();
  const first = await profiled(label, () => storage.qualityReport('q', Date.now()));
  const firstReportMs = ms(t1);
  const firstReportCpuMs = cpu(c0);
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  const heapGrowthMB = Math.round(((process.memoryUsage().heapUsed - heap0) / 2 ** 20) * 10) / 10;
  const rssGrowthMB = Math.round(((process.memoryUsage().rss - rss0) / 2 ** 20) * 10) / 10;
  const mb = (b: number): number => Math.round((b / 2 ** 20) * 10) / 10;
  const stored = await digests(storage, first);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-bench-'));
  const hub = await createHub({ storage, dataDir });
  const url = await hub.listen({ port: 0 });
  const routeMs: number[] = [];
  const routeCpuMs: number[] = [];
  let bytes = 0;
  try {
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const c = process.cpuUsage();
      const res = await fetch(`${url}/v1/projects/q/quality`, {
        headers: { authorization: 'Bearer bench-token-lead-0123456789', [PROTOCOL_HEADER]: PROTOCOL_VERSION },
      });
      const text = await res.text();
      routeMs.push(ms(t));
      routeCpuMs.push(cpu(c));
      bytes = text.length;
      QualityReport.parse(JSON.parse(text));
    }
  } finally {
    await hub.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    engine,
    tasks: TASKS,
    annotators: ANNOTATORS.length,
    boxesPerSubmission: 10,
    seedMs,
    firstReportMs,
    firstReportCpuMs,
    loadAverageAroundReport: { before: loadBefore, after: loadNow() },
    heapGrowthMB,
    rssGrowthMB,
    rssBeforeReportMB: mb(rss0),
    rssPeakDuringReportMB: mb(rssPeak),
    processPeakRssMB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
    reportRouteMedianMs: median(routeMs),
    reportRouteMs: routeMs,
    reportRouteCpuMs: routeCpuMs,
    reportBytes: bytes,
    agreementScore: first.agreement.score,
    consensus: first.consensus.tasks,
    consensusNeedsReview: first.consensus.needsReview,
    ...stored,
  };
};

const main = async (): Promise<void> => {
  const machine = machineAtStart();
  const sqlite = await onSqlite(run);
  // BENCH_ENGINES=sqlite skips PostgreSQL (profiling).
  const postgres = process.env.BENCH_ENGINES === 'sqlite' ? null : await onPostgres(run);
  const out = {
    bench: 'quality',
    at: new Date().toISOString(),
    targets: { firstReportMs: 2000, reportRouteMs: 500 },
    sqlite,
    postgres,
    machine: machine.end({
      note: 'a 2-core machine, often shared with other jobs (see the load averages, taken around each report too, and the JSON.parse yardstick): wall time is what the run got under that load; CPU ms is this process alone (the PostgreSQL server works in its own process and shows only in wall time)',
    }),
  };
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync('bench/results/quality.json', `${JSON.stringify(out, null, 2)}\n`);
  console.log(JSON.stringify(out));
};

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
