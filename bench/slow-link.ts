/**
 * Sync on the links annotators really have (issue 20), through tests/sync/throttle-proxy.ts:
 * 1.5 Mbit/s down, 0.5 Mbit/s up, 300 ms round trip, 2% of exchanges reset — and the same
 * setup unthrottled beside it. The hub runs in its own process (`hub serve`, SQLite); the
 * engine runs as the workbench runs it (default sync options).
 *  1. an offline day: 300 tasks of 20 polygons × 40 points submitted offline, then synced;
 *     target ≤ 1.3 × the link's minimum time for the backlog's bytes, each task once on the hub;
 *  2. 100 image tasks leased: the first task's image available to the renderer within its own
 *     transfer time + 2 round trips; a submit made meanwhile pushed within 2 s;
 *  3. per submitted task (5 draft saves + submit, at a task a minute of workbench clock):
 *     ≤ 2 KB down, ≤ 1.5 requests;
 *  4. idle with 100 leases: ≤ 50 KB/h — bytes of one idle cycle measured, times the idle
 *     cycles an hour holds under the engine's schedule (not an hour of wall time).
 * Run: `npm run bench -- slow-link` → bench/results/slow-link.json.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { addUser, grantRole, openStorage } from '../src/hub';
import { seededRandom } from '../src/main/core/sync/clock';
import { GZIP_LEVEL } from '../src/main/core/sync/http';
import { mutationJson } from '../src/main/core/sync/push';
import { memoryTokenStore } from '../src/main/core/sync/token-store';
import { openWorkbenchInternals, type WorkbenchInternals } from '../src/main/core/workbench';
import { createSyntheticImageProject, polygonAnnotation } from '../tests/sync/image-fixtures';
import { startThrottleProxy } from '../tests/sync/throttle-proxy';

const OFFLINE_TASKS = Number(process.env.BENCH_OFFLINE_TASKS ?? 300);
const IMAGE_TASKS = 100;
const IMAGE_BYTES = 120_000;
const PER_TASK_RUNS = 20;
const SLOW = { upBytesPerSec: 62_500, downBytesPerSec: 187_500, rttMs: 300, resetRate: 0.02 };
const FAST = { upBytesPerSec: Infinity, downBytesPerSec: Infinity, rttMs: 0, resetRate: 0 };
type Link = typeof SLOW;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (what: string, ok: () => boolean, limitMs: number): Promise<number> => {
  const t0 = performance.now();
  while (!ok()) {
    if (performance.now() - t0 > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
  return performance.now() - t0;
};
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
const r1 = (x: number) => Math.round(x * 10) / 10;

type Profile = { name: 'throttled' | 'unthrottled'; link: Link; token: string; user: string };

const startHubProcess = async (dataDir: string) => {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.resolve(__dirname, '../src/hub/cli.ts'),
      'serve',
      '--data',
      dataDir,
      '--port',
      String(port),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (c: string) => c.includes('hub listening') && resolve());
    proc.on('exit', (code) => reject(new Error(`hub exited with ${code}`)));
  });
  return { port, proc };
};

const openEngine = async (dir: string, clock?: () => number): Promise<WorkbenchInternals> =>
  openWorkbenchInternals({
    dataDir: dir,
    resourcesDir: path.resolve(__dirname, '../resources'),
    mode: 'test',
    seedDemo: false,
    tokenStore: memoryTokenStore(),
    ...(clock ? { clock } : {}),
    // As the workbench runs it: default interval, deadlines, batches; only the jitter seeded.
    sync: { random: seededRandom(7) },
  });

/** 1. The offline day. */
const offlineDay = async (p: Profile, hubPort: number, root: string, hubDb: string) => {
  const proxy = await startThrottleProxy({ targetPort: hubPort, seed: 20, ...FAST });
  const wb = await openEngine(path.join(root, `${p.name}-day`));
  try {
    await wb.sync.signIn(proxy.url, p.token);
    for (let got = 0; got < OFFLINE_TASKS;) {
      const r = await wb.handlers['tasks.getMore']({
        projectId: 'day',
        count: Math.min(500, OFFLINE_TASKS - got),
      });
      if (r.leased === 0) throw new Error('the hub ran out of day tasks');
      got += r.leased;
    }
    await wb.sync.syncNow();
    await wb.sync.assetsIdle();
    await wb.sync.signOut(); // the day goes offline
    const random = seededRandom(99);
    for (let i = 0; i < OFFLINE_TASKS; i++) {
      const v = await wb.handlers['tasks.claimNext']({ projectId: 'day' });
      if (!v) throw new Error(`only ${i} day tasks`);
      await wb.handlers['tasks.submit']({
        taskId: v.task.id,
        annotation: polygonAnnotation(random, 60_000 + i),
      });
    }
    // The backlog's bytes as one gzip body: what the link must carry at the least.
    const rows = wb.queue.outbox.read(0, 100_000);
    const raw = `{"clientId":"x","mutations":[${rows.map(mutationJson).join(',')}]}`;
    const backlogGzip = (await promisify(zlib.gzip)(Buffer.from(raw), { level: GZIP_LEVEL })).length;
    proxy.configure(p.link);
    proxy.resetStats();
    const t0 = performance.now();
    await wb.sync.signIn(proxy.url, p.token);
    await until('the offline day to sync', () => wb.sync.state().unsynced === 0, 15 * 60_000);
    const ms = performance.now() - t0;
    const minMs = (backlogGzip / p.link.upBytesPerSec) * 1000;
    const db = new Database(hubDb, { readonly: true });
    const counts = db
      .prepare(
        "SELECT count(*) AS n, sum(c) AS total FROM (SELECT task_id, count(*) AS c FROM submissions WHERE user_id = ? AND project_id = 'day' GROUP BY task_id)",
      )
      .get(p.user) as { n: number; total: number };
    const doubled = db
      .prepare(
        "SELECT count(*) AS n FROM (SELECT task_id FROM submissions WHERE user_id = ? AND project_id = 'day' GROUP BY task_id HAVING count(*) > 1)",
      )
      .get(p.user) as { n: number };
    db.close();
    return {
      tasks: OFFLINE_TASKS,
      rawJsonBytes: raw.length,
      backlogGzipBytes: backlogGzip,
      ms: Math.round(ms),
      linkMinimumMs: Number.isFinite(minMs) ? Math.round(minMs) : 0,
      ratioToMinimum: Number.isFinite(minMs) ? Math.round((ms / minMs) * 100) / 100 : null,
      bytesUp: proxy.stats.up,
      bytesDown: proxy.stats.down,
      exchanges: proxy.stats.exchanges,
      resets: proxy.stats.resets,
      tasksOnHub: counts.n,
      submissionsOnHub: counts.total,
      tasksOnHubMoreThanOnce: doubled.n,
      target: '≤ 1.3 × link minimum; every task once',
    };
  } finally {
    await wb.close();
    await proxy.close();
  }
};

/** 2–4. Images on a fresh lease, per-task cost, idle cost: one workbench, a clock we can move. */
const imagesAndChatter = async (p: Profile, hubPort: number, root: string) => {
  const proxy = await startThrottleProxy({ targetPort: hubPort, seed: 21, ...p.link });
  let offset = 0;
  const wb = await openEngine(path.join(root, `${p.name}-img`), () => Date.now() + offset);
  try {
    await wb.sync.signIn(proxy.url, p.token);
    const rtt = p.link.rttMs;
    const tLease = performance.now();
    const got = await wb.handlers['tasks.getMore']({ projectId: 'img', count: IMAGE_TASKS });
    const leaseMs = performance.now() - tLease;
    const first = (await wb.handlers['tasks.list']({ limit: 1, offset: 0 })).items[0]!;
    const view = await wb.handlers['tasks.open']({ taskId: first.id });
    if (view.task.data.kind !== 'image') throw new Error('expected an image task');
    const firstSha = view.task.data.image.sha256;
    const t0 = performance.now();
    // A submit made meanwhile (the annotator is quick on the first one).
    let submitPushedMs = -1;
    const submitter = (async () => {
      await sleep(300);
      const v = await wb.handlers['tasks.claimNext']({ projectId: 'img' });
      if (!v) throw new Error('nothing to claim');
      await wb.handlers['tasks.submit']({ taskId: v.task.id, annotation: { results: [], activeMs: 1 } });
      submitPushedMs = await until('the submit to be pushed', () => wb.sync.state().unsynced === 0, 120_000);
    })();
    const firstImageMs = await until('the first image', () => wb.assets.path(firstSha) !== null, 120_000);
    await submitter;
    await wb.sync.assetsIdle();
    const allImagesMs = performance.now() - t0;
    const imageResets = proxy.stats.resets;
    const transferMs = Number.isFinite(p.link.downBytesPerSec)
      ? (IMAGE_BYTES / p.link.downBytesPerSec) * 1000
      : 0;

    // 3. Per submitted task: 5 draft saves then a submit, a minute of workbench clock per task.
    await wb.sync.syncNow();
    proxy.resetStats();
    const before = { ...wb.sync.requests };
    for (let i = 0; i < PER_TASK_RUNS; i++) {
      const v = await wb.handlers['tasks.claimNext']({ projectId: 'img' });
      if (!v) throw new Error('nothing to claim');
      for (let d = 0; d < 5; d++) {
        offset += 10_000;
        await wb.handlers['tasks.saveDraft']({ taskId: v.task.id, annotation: { results: [], activeMs: d } });
        await sleep(20);
      }
      offset += 10_000;
      await wb.handlers['tasks.submit']({ taskId: v.task.id, annotation: { results: [], activeMs: 9 } });
      await until('the submit to be pushed', () => wb.sync.state().unsynced === 0, 60_000);
      await sleep(50);
    }
    const perTaskResets = proxy.stats.resets;
    const perTask = {
      tasks: PER_TASK_RUNS,
      pace: '5 draft saves 10 s apart + submit: a task a minute (workbench clock)',
      bytesDownPerTask: Math.round(proxy.stats.down / PER_TASK_RUNS),
      bytesUpPerTask: Math.round(proxy.stats.up / PER_TASK_RUNS),
      requestsPerTask: Math.round((proxy.stats.exchanges / PER_TASK_RUNS) * 100) / 100,
      pushes: wb.sync.requests.push - before.push,
      pulls: wb.sync.requests.pull - before.pull,
      target: '≤ 2048 B down, ≤ 1.5 requests',
    };

    // 4. Idle with the leases held: bytes of an idle cycle, times idle cycles an hour.
    const leases = wb.queue.hub.leases().length;
    await wb.sync.syncNow();
    proxy.resetStats();
    const CYCLES = 5;
    for (let i = 0; i < CYCLES; i++) await wb.sync.syncNow();
    const perCycle = { up: proxy.stats.up / CYCLES, down: proxy.stats.down / CYCLES };
    // The engine's idle schedule: the interval doubles from 30 s to 120 s while nothing changes.
    let cycles = 0;
    for (let t = 0, wait = 30_000; t < 3_600_000; t += wait, wait = Math.min(120_000, wait * 2)) cycles++;
    const idle = {
      leasesHeld: leases,
      bytesPerIdleCycle: { up: Math.round(perCycle.up), down: Math.round(perCycle.down) },
      idleCyclesPerHour: cycles,
      kbPerHour: {
        down: r1((perCycle.down * cycles) / 1024),
        up: r1((perCycle.up * cycles) / 1024),
        total: r1(((perCycle.up + perCycle.down) * cycles) / 1024),
      },
      method: `bytes of ${CYCLES} idle cycles measured through the proxy, × the idle cycles an hour holds (30, 60, then every 120 s)`,
      target: '≤ 50 KB/h',
    };
    return {
      images: {
        leased: got.leased,
        leaseAnswerMs: Math.round(leaseMs),
        imageBytes: IMAGE_BYTES,
        firstImageMs: Math.round(firstImageMs),
        firstImageTargetMs: Math.round(transferMs + 2 * rtt),
        submitPushedMs: Math.round(submitPushedMs),
        submitTargetMs: 2000,
        allImagesMs: Math.round(allImagesMs),
        linkResets: imageResets,
        downloadsMoreThanOnce: [...(wb.sync.assetCache?.stats.downloads.values() ?? [])].filter((n) => n > 1)
          .length,
        measuredFrom:
          'the lease answer in the queue to the image registered for the renderer (what it is served from)',
      },
      perTask: { ...perTask, linkResets: perTaskResets },
      idle,
    };
  } finally {
    await wb.close();
    await proxy.close();
  }
};

const main = async () => {
  const loadBefore = os.loadavg();
  const tWall = performance.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'outrigger-bench-slow-'));
  const hubDir = path.join(root, 'hub');
  const storage = await openStorage({ dataDir: hubDir });
  await createSyntheticImageProject(storage, hubDir, {
    id: 'day',
    count: 2 * OFFLINE_TASKS,
    bytesOf: () => 2_000,
  });
  await createSyntheticImageProject(storage, hubDir, {
    id: 'img',
    count: 2 * (IMAGE_TASKS + PER_TASK_RUNS + 5),
    bytesOf: () => IMAGE_BYTES,
  });
  const profiles: Profile[] = [];
  for (const [name, link] of [
    ['throttled', SLOW],
    ['unthrottled', FAST],
  ] as const) {
    const u = await addUser(storage, { name: `ann-${name}`, role: 'annotator', project: 'day' });
    await grantRole(storage, { name: `ann-${name}`, role: 'annotator', project: 'img' });
    profiles.push({ name, link, token: u.token, user: u.userId });
  }
  await storage.close();
  const hub = await startHubProcess(hubDir);
  const results: Record<string, unknown> = {};
  try {
    for (const p of profiles) {
      console.log(`slow-link: ${p.name}: offline day…`);
      const day = await offlineDay(p, hub.port, root, path.join(hubDir, 'hub.sqlite'));
      console.log(`slow-link: ${p.name}: images, per task, idle…`);
      const rest = await imagesAndChatter(p, hub.port, root);
      results[p.name] = { link: p.link, offlineDay: day, ...rest };
    }
  } finally {
    hub.proc.kill('SIGTERM');
  }
  const result = {
    bench: 'slow-link',
    at: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '',
      node: process.version,
      loadAvgBefore: loadBefore.map((x) => Math.round(x * 100) / 100),
      loadAvgAfter: os.loadavg().map((x) => Math.round(x * 100) / 100),
      note: 'shared 2-core machine (see loadAvg); hub on SQLite in its own process; link simulated by tests/sync/throttle-proxy.ts on loopback (bandwidth shared by all connections, half the RTT each way, resets seeded)',
    },
    wallMs: Math.round(performance.now() - tWall),
    ...results,
  };
  fs.mkdirSync(path.resolve(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.resolve(__dirname, 'results/slow-link.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  fs.rmSync(root, { recursive: true, force: true });
};

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
