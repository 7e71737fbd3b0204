/**
 * Sync end to end through the real engine and a real hub (SQLite) over loopback:
 *  - 10,000 image tasks leased, then 1,000 distinct image assets prefetched (each must be
 *    downloaded exactly once);
 *  - 10,000 submissions of ten boxes each made offline (the link is down), then the time from
 *    the link coming back to everything acknowledged, and the bytes on the wire per task
 *    (counted by a TCP relay between the workbench and the hub, both directions).
 * Targets: < 5 s to sync 10,000; every asset once; < 2 KB per submitted task.
 * Run: `npx tsx bench/sync.ts` (or `npm run bench -- sync`). Writes bench/results/sync.json.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import inspector from 'node:inspector/promises';
import { assetPath, openStorage, addUser } from '../src/hub';
import { openWorkbenchInternals } from '../src/main/core/workbench';
import { memoryTokenStore } from '../src/main/core/sync/token-store';
import { seededRandom } from '../src/main/core/sync/clock';
import { LabelConfig, type Annotation, type ImageAsset, type Task } from '../src/shared/model';

const TASKS = Number(process.env.BENCH_TASKS ?? 10_000);
const ASSETS = Number(process.env.BENCH_ASSETS ?? 1_000);
const ASSET_BYTES = 20_000;
/** Unset: the engine's own default (what the workbench ships with). */
const PUSH_BATCH = process.env.BENCH_PUSH_BATCH ? Number(process.env.BENCH_PUSH_BATCH) : undefined;
const rnd = seededRandom(42);

/** A TCP relay that counts bytes both ways and can go down (connections refused) and up again. */
const startRelay = async (targetPort: number) => {
  let up = 0;
  let down = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const hub = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(hub);
    client.on('data', (b: Buffer) => (up += b.length));
    hub.on('data', (b: Buffer) => (down += b.length));
    client.pipe(hub).pipe(client);
    const end = () => {
      client.destroy();
      hub.destroy();
      sockets.delete(client);
      sockets.delete(hub);
    };
    client.on('error', end).on('close', end);
    hub.on('error', end).on('close', end);
  });
  const listen = (port: number) =>
    new Promise<number>((r) =>
      server.listen(port, '127.0.0.1', () => r((server.address() as net.AddressInfo).port)),
    );
  const port = await listen(0);
  return {
    port,
    bytes: () => ({ up, down }),
    reset: () => void (up = down = 0),
    down: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
      }),
    up: () => listen(port).then(() => undefined),
  };
};

/** CPU time (user + system) a process has used so far, ms, from /proc (Linux). */
const procCpuMs = (pid: number): number | null => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks (100/s)
  } catch {
    return null;
  }
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

const tenBoxes = (activeMs: number): Annotation => ({
  activeMs,
  results: Array.from({ length: 10 }, (_, k) => ({
    type: 'bbox' as const,
    id: `b${k}`,
    label: ['person', 'animal', 'object'][k % 3]!,
    x: Math.round(rnd() * 30000) / 10,
    y: Math.round(rnd() * 20000) / 10,
    w: Math.round(rnd() * 4000) / 10 + 5,
    h: Math.round(rnd() * 4000) / 10 + 5,
    rotation: 0,
    attributes: {},
  })),
});

const main = async () => {
  const loadBefore = os.loadavg();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'outrigger-bench-sync-'));
  const hubDir = path.join(root, 'hub');
  const storage = await openStorage({ dataDir: hubDir });
  const cfg = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '../resources/demo/image-project.json'), 'utf8'),
  ) as { labelConfig: unknown };
  const assets: ImageAsset[] = [];
  for (let i = 0; i < ASSETS; i++) {
    const bytes = crypto.randomBytes(ASSET_BYTES);
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    const file = assetPath(hubDir, sha256);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    assets.push({
      sha256,
      width: 4000,
      height: 3000,
      mime: 'image/jpeg',
      bytes: ASSET_BYTES,
      fileName: `img-${i}.jpg`,
    });
  }
  const tasks = Array.from({ length: TASKS }, (_, i) => {
    const image = assets[i % ASSETS]!;
    const task: Task = {
      id: `bench:${i}`,
      projectId: 'bench',
      data: { kind: 'image', image },
      predictions: [],
      meta: {},
    };
    return { task, assetSha256: image.sha256 };
  });
  await storage.createProject(
    {
      id: 'bench',
      name: 'Bench',
      kind: 'image',
      labelConfig: LabelConfig.parse(cfg.labelConfig),
      leaseHours: 72,
      overlap: 1,
    },
    tasks,
    assets,
    Date.now(),
  );
  const { token } = await addUser(storage, { name: 'bench-annotator', role: 'annotator', project: 'bench' });
  const { token: adminToken } = await addUser(storage, {
    name: 'bench-lead',
    role: 'lead',
    project: 'bench',
  });
  // The hub runs as its own process (`npm run hub -- serve`), as it would on a server: the
  // workbench and the hub do not share one JavaScript thread.
  await storage.close();
  const hubPort = await freePort();
  const hubProc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.resolve(__dirname, '../src/hub/cli.ts'),
      'serve',
      '--data',
      hubDir,
      '--port',
      String(hubPort),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    hubProc.stdout.setEncoding('utf8');
    hubProc.stdout.on('data', (c: string) => {
      if (c.includes('hub listening')) resolve();
    });
    hubProc.on('exit', (code) => reject(new Error(`hub exited with ${code}`)));
  });
  const hubUrl = `http://127.0.0.1:${hubPort}`;
  const relay = await startRelay(Number(new URL(hubUrl).port));

  const wb = await openWorkbenchInternals({
    dataDir: path.join(root, 'wb'),
    resourcesDir: path.resolve(__dirname, '../resources'),
    mode: 'test',
    seedDemo: false,
    tokenStore: memoryTokenStore(),
    sync: {
      intervalMs: 3_600_000,
      timeoutMs: 30_000,
      random: seededRandom(1),
      ...(PUSH_BATCH ? { pushBatch: PUSH_BATCH } : {}),
    },
  });
  await wb.sync.signIn(`http://127.0.0.1:${relay.port}`, token);

  // Lease everything (the engine prefetches in the background as leases arrive).
  let t = performance.now();
  for (let leased = 0; leased < TASKS;) {
    const r = await wb.handlers['tasks.getMore']({ count: 500 });
    if (r.leased === 0) throw new Error(`hub stopped leasing at ${leased}`);
    leased += r.leased;
  }
  const leaseMs = performance.now() - t;
  t = performance.now();
  await wb.sync.syncNow();
  await wb.sync.assetsIdle();
  const prefetchMs = performance.now() - t;
  const cache = wb.sync.assetCache!;
  const downloads = [...cache.stats.downloads.values()];

  // Offline: the link is down while the annotator submits everything.
  await relay.down();
  t = performance.now();
  for (let i = 0; i < TASKS; i++) {
    // The queue service itself (the same transaction as the handler): the handler also emits
    // today's counts after each submit, whose cost grows with the day's activity.
    const r = await wb.queue.claimNext({});
    if (!r) throw new Error(`queue empty at ${i}`);
    await wb.queue.submit(r.view.task.id, tenBoxes(1000 + i));
  }
  const offlineSubmitMs = performance.now() - t;
  const unsyncedBefore = wb.sync.state().unsynced;

  // The link comes back: time to everything acknowledged.
  await relay.up();
  relay.reset();
  // BENCH_PROFILE=<file.cpuprofile>: a CPU profile of the workbench over the sync phase only.
  const profiler = process.env.BENCH_PROFILE ? new inspector.Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  t = performance.now();
  // CPU time of each side over the sync phase: less sensitive than wall time to a busy machine.
  const cpuBefore = { client: process.cpuUsage(), hub: procCpuMs(hubProc.pid!) };
  const phases: Record<string, number> = {};
  let state = await wb.sync.syncNow();
  phases.firstCycleMs = Math.round(performance.now() - t);
  // Where the first cycle spent its time (push, pull, assets), ms.
  const split = wb.sync.lastCycle;
  if (split)
    phases.firstCycleSplit = {
      pushMs: Math.round(split.pushMs),
      pullMs: Math.round(split.pullMs),
    } as never;
  const cycles: string[] = [
    `${state.status}/${state.unsynced}/${Math.round(performance.now() - t)}ms${state.lastError ? `/${state.lastError}` : ''}`,
  ];
  for (let i = 0; i < 20 && (state.unsynced > 0 || state.status !== 'online'); i++) {
    state = await wb.sync.syncNow();
    cycles.push(
      `${state.status}/${state.unsynced}/${Math.round(performance.now() - t)}ms${state.lastError ? `/${state.lastError}` : ''} ${JSON.stringify(wb.sync.lastCycle)}`,
    );
  }
  phases.cycles = cycles as never;
  const syncMs = performance.now() - t;
  const clientCpu = process.cpuUsage(cpuBefore.client);
  const hubCpuAfter = procCpuMs(hubProc.pid!);
  const cpu = {
    clientMs: Math.round((clientCpu.user + clientCpu.system) / 1000),
    hubMs: cpuBefore.hub === null || hubCpuAfter === null ? null : Math.round(hubCpuAfter - cpuBefore.hub),
  };
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    fs.writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(profile));
    profiler.disconnect();
  }
  const wire = relay.bytes();
  const progress = await fetch(`${hubUrl}/v1/projects/bench/progress`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const onHub = ((await progress.json()) as { submissions: number }).submissions;
  const rawJsonPerTask = JSON.stringify(tenBoxes(1)).length;

  const result = {
    bench: 'sync',
    at: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '',
      node: process.version,
      loadAvgBefore: loadBefore.map((x) => Math.round(x * 100) / 100),
      loadAvgAfter: os.loadavg().map((x) => Math.round(x * 100) / 100),
      note: "shared 2-core machine; other jobs may run at the same time (see loadAvg); hub on SQLite over loopback, in its own process; sync.cpu is each side's CPU time over the sync phase (less sensitive to load than wall time)",
    },
    tasks: TASKS,
    pushBatch: PUSH_BATCH ?? 'engine default',
    lease: { ms: Math.round(leaseMs), tasks: TASKS },
    assets: {
      distinct: ASSETS,
      bytesEach: ASSET_BYTES,
      prefetchMs: Math.round(prefetchMs),
      downloaded: downloads.length,
      downloadedMoreThanOnce: downloads.filter((n) => n > 1).length,
      bytesReceived: cache.stats.bytesReceived,
      everyAssetOnce: downloads.length === ASSETS && downloads.every((n) => n === 1),
    },
    offlineSubmit: {
      ms: Math.round(offlineSubmitMs),
      perSubmitMs: Math.round((offlineSubmitMs / TASKS) * 1000) / 1000,
      unsynced: unsyncedBefore,
    },
    sync: {
      ms: Math.round(syncMs),
      status: state.status,
      ...phases,
      cpu,
      unsyncedAfter: state.unsynced,
      submissionsOnHub: onHub,
      target: '< 5000 ms',
    },
    wire: {
      bytesUp: wire.up,
      bytesDown: wire.down,
      bytesPerTask: Math.round((wire.up + wire.down) / TASKS),
      rawAnnotationJsonBytes: rawJsonPerTask,
      target: '< 2048 bytes per task of ten boxes',
    },
  };
  fs.mkdirSync(path.resolve(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.resolve(__dirname, 'results/sync.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
  await wb.close();
  await relay.down();
  hubProc.kill('SIGTERM');
  fs.rmSync(root, { recursive: true, force: true });
  if (onHub !== TASKS || !result.assets.everyAssetOnce) process.exitCode = 1;
};

void main();
