/**
 * Throughput metrics at the size issue 13 names.
 *
 * Hub (SQLite, then PostgreSQL at OUTRIGGER_PG_URL, else PGlite — noted): 100 annotators × 30
 * days × 300 tasks a day = 900,000 task events on the activity chains (5 % of them skips), with
 * one presence batch per 5 tasks (180,000 more links), 855,000 stored submissions (one task
 * each) and a verdict on every 10th. Seeded in one transaction by INSERT … SELECT over a
 * recursive series (the database makes the rows; nothing crosses the driver per row). Timed, 5
 * runs each, median, with the process's CPU time: the lead's team view (table + daily series,
 * `teamMetrics`) for the 30 days, for 7 days, and for one batch; and GET /v1/projects/:id/metrics
 * over loopback HTTP (what the workbench's Team tab calls).
 *
 * Workbench: a workspace database with 30 days × 300 submissions (9,000 task events), 27,000
 * presence links and 27,000 active-time stretches; timed is what opening "My work" for 30 days
 * costs: `metrics.local` (the core) and `dashboardData` (the renderer's pure shaping).
 *
 * Run: `npm run bench -- metrics`; writes bench/results/metrics.json. BENCH_DAYS scales the hub;
 * BENCH_ENGINES=sqlite skips PostgreSQL, =local re-measures only the workbench side.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, TeamMetrics } from '../src/shared/sync';
import { createHub, hashToken } from '../src/hub';
import type { SqlExecutor } from '../src/hub/storage/driver';
import {
  LABEL_QUARTERS_FROM_LINKS,
  QUARTERS_FROM_LINKS,
  REVIEW_ROLLUP_BACKFILL,
} from '../src/hub/storage/migrations';
import type { SqlStorage } from '../src/hub/storage/sql-storage';
import { openDatabase } from '../src/main/core/db';
import { QueueService } from '../src/main/core/queue';
import { dashboardData } from '../src/renderer/src/features/dashboard/dashboard-data';
import { machineAtStart, onPostgres, onSqlite } from './lib/engines';
import { cpu, ms } from './lib/measure';

const USERS = 100;
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const PER_DAY = 300;
const N = USERS * DAYS * PER_DAY;
const DAY = 86_400_000;
// Day 0 starts at a UTC midnight 30 days before now, so "the last 30 days" is the data.
const T0 = Math.floor(Date.now() / DAY) * DAY - DAYS * DAY;
const LEAD_TOKEN = 'bench-token-lead-0123456789';
const RUNS = 5;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** n = 0 … N−1 as a recursive series: user n % 100, task k = n / 100 of that user. */
const series = (limit: number) =>
  `WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n + 1 < ${limit})`;
// Integer division on both engines (n is an integer): k, the user's day and slot in the day.
const K = '(n / 100)';
const DAYX = `(${K} / ${PER_DAY})`;
const SLOT = `(${K} % ${PER_DAY})`;
/** 08:00 + 90 s a task; active 20–140 s (deterministic spread), wall a little more. */
const AT = `(${T0} + CAST(${DAYX} AS BIGINT) * ${DAY} + 28800000 + ${SLOT} * 90000)`;
const ACTIVE = `(20000 + (CAST(n AS BIGINT) * 7919) % 120000)`;
const SKIP = `(${K} % 20 = 19)`;
const USER = `('u' || (n % 100))`;
const BATCH = `('week-' || (${DAYX} / 7 + 1))`;

const seedHub = async (s: SqlStorage): Promise<number> => {
  const t0 = performance.now();
  const now = Date.now();
  await s.createProject(
    {
      id: 'm',
      name: 'metrics',
      kind: 'text',
      labelConfig: { tools: ['span'], labels: [{ name: 'x', color: '#ff0000' }] } as never,
      leaseHours: 72,
      overlap: 1,
    },
    [],
    [],
    now,
  );
  await s.addUser({ id: 'lead', name: 'lead', tokenHash: hashToken(LEAD_TOKEN) }, now);
  await s.grantRole('lead', 'm', 'lead');
  await s.db.transaction(async (tx: SqlExecutor) => {
    for (let u = 0; u < USERS; u++) {
      await tx.run('INSERT INTO users (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)', [
        `u${u}`,
        `annotator ${String(u).padStart(3, '0')}`,
        hashToken(`bench-token-u${u}-0123456789`),
        now,
      ]);
      await tx.run("INSERT INTO memberships (user_id, project_id, role) VALUES (?, 'm', 'annotator')", [
        `u${u}`,
      ]);
      await tx.run(
        'INSERT INTO activity_chains (chain_id, user_id, head_seq, head_hash, updated_at) VALUES (?, ?, 0, ?, ?)',
        [`chain-u${u}`, `u${u}`, 'x'.repeat(64), now],
      );
    }
    // Task events: seq leaves room for the presence links (6 links per 5 tasks).
    const event = `'{"type":"task","kind":"task.submitted","taskId":"t' || n || '","at":' || ${AT} || ',"activeMs":' || ${ACTIVE} || ',"wallMs":' || (${ACTIVE} + 3000) || ',"data":{"projectId":"m","spans":3,"labels":{"x":3}}}'`;
    await tx.run(
      `INSERT INTO activity_links (chain_id, seq, hash, user_id, kind, task_id, project_id, batch, at, active_ms, wall_ms, regions, spans, event, received_at)
       ${series(N)}
       SELECT 'chain-' || ${USER}, ${K} + ${K} / 5 + 1, 'h' || n, ${USER},
              CASE WHEN ${SKIP} THEN 'task.skipped' ELSE 'task.submitted' END,
              't' || n, 'm', ${BATCH}, ${AT}, ${ACTIVE}, ${ACTIVE} + 3000, 0, 3, ${event}, ${AT} + 60000
         FROM s`,
    );
    // One presence batch before every 5th task (project_id null, as the hub stores them).
    await tx.run(
      `INSERT INTO activity_links (chain_id, seq, hash, user_id, kind, task_id, project_id, batch, at, event, received_at)
       ${series(N)}
       SELECT 'chain-' || ${USER}, ${K} + ${K} / 5 + 2, 'p' || n, ${USER}, 'presence', NULL, NULL, NULL, ${AT} - 1000,
              '{"type":"presence","session":"s","signals":[{"k":"input","at":' || ${AT} || ',"mono":1,"w":"w1"}]}', ${AT} + 60000
         FROM s WHERE ${K} % 5 = 4`,
    );
    await tx.run(
      `INSERT INTO tasks (id, project_id, seq, data, predictions, meta, batch, done_count, done)
       ${series(N)}
       SELECT 't' || n, 'm', n, '{"kind":"text","text":"x"}', '[]', '{}', ${BATCH}, 1, 1 FROM s`,
    );
    await tx.run(
      `INSERT INTO submissions (id, task_id, project_id, user_id, lease_epoch, annotation, conflict, superseded, received_at)
       ${series(N)}
       SELECT 's' || n, 't' || n, 'm', ${USER}, 1, '{"results":[]}', 0, 0, ${AT} + 60000 FROM s WHERE NOT ${SKIP}`,
    );
    // A verdict on every 10th submission: 8 in 10 accepted, 1 fixed, 1 rejected.
    await tx.run(
      `INSERT INTO verdicts (id, submission_id, task_id, project_id, reviewer_id, kind, comments, active_ms, created_at)
       ${series(N)}
       SELECT 'v' || n, 's' || n, 't' || n, 'm', 'lead',
              CASE WHEN n % 100 < 80 THEN 'accepted' WHEN n % 100 < 90 THEN 'fixed' ELSE 'rejected' END,
              '[]', 5000, ${AT} + 3600000
         FROM s WHERE NOT ${SKIP} AND (n / 7) % 10 = 0`,
    );
    // The rollup the hub maintains as links arrive, made the way migration 12 makes it.
    await tx.run(QUARTERS_FROM_LINKS);
    // And migration 13's: the per-task review rollup and the per-label quarter hours.
    await tx.run(REVIEW_ROLLUP_BACKFILL);
    await tx.run(LABEL_QUARTERS_FROM_LINKS[tx.dialect]);
  });
  // PostgreSQL: VACUUM sets the visibility map, so rank lookups are index-only (autovacuum would).
  await s.db.exec(s.db.dialect === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE');
  return ms(t0);
};

const timed = async <T>(
  fn: () => Promise<T>,
): Promise<{ medianMs: number; ms: number[]; cpuMs: number[]; last: T }> => {
  const wall: number[] = [];
  const cpus: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < RUNS; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    last = await fn();
    wall.push(ms(t));
    cpus.push(cpu(c));
  }
  return { medianMs: median(wall), ms: wall, cpuMs: cpus, last: last as T };
};

/**
 * md5 of the team table and daily series for the timed queries and two that take the raw path
 * (range ends inside a quarter hour; a time zone off the quarter hour): a change to how the
 * figures are computed must leave these the same.
 */
const digests = async (
  storage: SqlStorage,
  month: { from: number; to: number; tzOffset: number },
  week: { from: number; to: number; tzOffset: number },
): Promise<Record<string, string>> => {
  const queries = {
    month: () => storage.teamMetrics('m', month),
    week: () => storage.teamMetrics('m', week),
    batch: () => storage.teamMetrics('m', { ...month, batch: 'week-1' }),
    own: () => storage.teamMetrics('m', month, 'u7'),
    ragged: () =>
      storage.teamMetrics('m', {
        ...month,
        from: month.from + 8 * 3_600_000 + 427_123,
        to: month.to - DAY / 2 + 300_001,
      }),
    tz: () => storage.teamMetrics('m', { ...month, tzOffset: -487 }),
  };
  const out: Record<string, string> = {};
  for (const [name, q] of Object.entries(queries)) {
    const { members, daily } = await q();
    out[name] = createHash('md5').update(JSON.stringify({ members, daily })).digest('hex');
  }
  return out;
};

const runHub = async (storage: SqlStorage, engine: string) => {
  const seedMs = await seedHub(storage);
  const month = { from: T0, to: T0 + DAYS * DAY, tzOffset: 0 };
  const week = { from: T0 + (DAYS - 7) * DAY, to: T0 + DAYS * DAY, tzOffset: 0 };
  const table30 = await timed(() => storage.teamMetrics('m', month));
  const table7 = await timed(() => storage.teamMetrics('m', week));
  const batch = await timed(() => storage.teamMetrics('m', { ...month, batch: 'week-2' }));
  const own = await timed(() => storage.teamMetrics('m', month, 'u7'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-bench-'));
  const hub = await createHub({ storage, dataDir });
  const url = await hub.listen({ port: 0 });
  let bytes = 0;
  try {
    const route = await timed(async () => {
      const res = await fetch(`${url}/v1/projects/m/metrics?from=${month.from}&to=${month.to}&tzOffset=0`, {
        headers: { authorization: `Bearer ${LEAD_TOKEN}`, [PROTOCOL_HEADER]: PROTOCOL_VERSION },
      });
      const text = await res.text();
      bytes = text.length;
      return TeamMetrics.parse(JSON.parse(text));
    });
    const m = table30.last;
    const first = m.members[0]!;
    const digest = await digests(storage, month, week);
    return {
      engine,
      annotators: USERS,
      days: DAYS,
      taskEvents: N,
      seedMs,
      teamView30DaysMs: table30.medianMs,
      teamView30Days: { ms: table30.ms, cpuMs: table30.cpuMs },
      teamView7DaysMs: table7.medianMs,
      teamView7Days: { ms: table7.ms, cpuMs: table7.cpuMs },
      teamViewOneBatchMs: batch.medianMs,
      teamViewOneBatch: { ms: batch.ms, cpuMs: batch.cpuMs },
      ownFigures30DaysMs: own.medianMs,
      routeHttp30DaysMs: route.medianMs,
      routeHttp30Days: { ms: route.ms, cpuMs: route.cpuMs, bytes },
      check: {
        digest,
        members: m.members.length,
        dailyRows: m.daily.length,
        submitted: m.members.reduce((n, x) => n + x.submitted, 0),
        skipped: m.members.reduce((n, x) => n + x.skipped, 0),
        firstMember: {
          name: first.name,
          submitted: first.submitted,
          medianActiveSec: first.medianActiveSec,
          firstPassAcceptance: first.firstPassAcceptance,
          reworkRate: first.reworkRate,
        },
      },
    };
  } finally {
    await hub.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
};

/** 30 days of one annotator's local records, then what opening "My work" for 30 days costs. */
const runLocal = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-bench-local-'));
  const db = openDatabase(path.join(dir, 'workspace.db'));
  try {
    const start = Math.floor(Date.now() / DAY) * DAY - 29 * DAY;
    const t0 = performance.now();
    const link = db.prepare(
      'INSERT INTO activity_chain (seq, at, kind, task_id, event, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const active = db.prepare('INSERT INTO active_time (from_at, ms, task_id) VALUES (?, ?, ?)');
    db.transaction(() => {
      let seq = 0;
      for (let d = 0; d < 30; d++)
        for (let i = 0; i < PER_DAY; i++) {
          const at = start + d * DAY + 28_800_000 + i * 90_000;
          const activeMs = 20_000 + ((i * 7919) % 120_000);
          const taskId = `t${d}-${i}`;
          for (let p = 0; p < 3; p++) {
            const signals = Array.from({ length: 20 }, (_, j) => ({
              k: 'input',
              at: at - 80_000 + p * 25_000 + j * 1000,
              mono: j,
              w: 'w1',
              t: taskId,
            }));
            link.run(
              ++seq,
              at - 80_000 + p * 25_000,
              'presence',
              null,
              JSON.stringify({ type: 'presence', session: 's', signals }),
              'x',
              'y',
            );
            active.run(at - 80_000 + p * 25_000, Math.round(activeMs / 3), taskId);
          }
          const kind = i % 20 === 19 ? 'task.skipped' : 'task.submitted';
          const event = {
            type: 'task',
            kind,
            taskId,
            at,
            activeMs,
            wallMs: activeMs + 3000,
            data: { projectId: 'p', regions: 4, spans: 0, labels: { car: 3, person: 1 } },
          };
          link.run(++seq, at, kind, taskId, JSON.stringify(event), 'x', 'y');
        }
    })();
    const seedMs = ms(t0);
    const queue = new QueueService(db, { clock: Date.now });
    const tz = 0;
    const open = [];
    const cpus = [];
    let tasks = 0;
    for (let i = 0; i < RUNS; i++) {
      const c = process.cpuUsage();
      const t = performance.now();
      const m = await queue.localMetrics(30, tz);
      const d = dashboardData(m, 30, tz);
      open.push(ms(t));
      cpus.push(cpu(c));
      tasks = d.summary.submitted;
    }
    return {
      seedMs,
      dashboard30DaysMs: median(open),
      ms: open,
      cpuMs: cpus,
      submitted: tasks,
      taskEvents: 9000,
      presenceLinks: 27000,
      stretches: 27000,
    };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

const main = async (): Promise<void> => {
  const machine = machineAtStart();
  const local = await runLocal();
  console.log(JSON.stringify({ local }));
  // BENCH_ENGINES=local re-measures the workbench side only, into the results already there.
  if (process.env.BENCH_ENGINES === 'local') {
    const file = 'bench/results/metrics.json';
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    kept.local = { ...local, at: new Date().toISOString(), machine: machine.end({}) };
    fs.writeFileSync(file, `${JSON.stringify(kept, null, 2)}\n`);
    return;
  }
  const sqlite = await onSqlite(runHub);
  console.log(JSON.stringify({ sqlite }));
  const postgres = process.env.BENCH_ENGINES === 'sqlite' ? null : await onPostgres(runHub);
  const out = {
    bench: 'metrics',
    at: new Date().toISOString(),
    targets: { teamView30DaysMsSqlite: 500, postgresWithin: '2× SQLite', dashboard30DaysMs: 200 },
    sqlite,
    postgres,
    postgresOverSqlite:
      postgres && sqlite
        ? Math.round((postgres.teamView30DaysMs / sqlite.teamView30DaysMs) * 100) / 100
        : null,
    local,
    machine: machine.end({
      note: 'a 2-core machine, often shared with other jobs (see the load averages and the JSON.parse yardstick); CPU ms (this process: client and hub in one) shows how much of each wall time was ours; PostgreSQL runs in its own process, so its CPU is not in cpuMs',
    }),
  };
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync('bench/results/metrics.json', `${JSON.stringify(out, null, 2)}\n`);
  console.log(JSON.stringify(out));
};

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
