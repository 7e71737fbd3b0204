import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  addUser,
  createHub,
  createProject,
  openStorage,
  readProjectConfig,
  type Hub,
  type HubStorage,
} from '../../src/hub';
import { openWorkbenchInternals, type WorkbenchInternals } from '../../src/main/core/workbench';
import { memoryTokenStore } from '../../src/main/core/sync/token-store';
import { seededRandom } from '../../src/main/core/sync/clock';
import { afterEach } from 'vitest';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const DEMO_DIR = path.join(REPO_ROOT, 'resources/demo');

export const tmpDir = (prefix: string): string =>
  fs.mkdtempSync(path.join(os.tmpdir(), `outrigger-${prefix}-`));

/** 'postgres': the server at OUTRIGGER_PG_URL (CI), else the same dialect in-process on PGlite. */
export type HubKind = 'sqlite' | 'postgres';

export type HubHandle = {
  url: string;
  port: number;
  storage: HubStorage;
  dataDir: string;
  /** Stops the HTTP server (storage stays open) and starts it again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
};

let schemaCounter = 0;
const openHubStorage = async (kind: HubKind, dataDir: string): Promise<HubStorage> => {
  if (kind === 'sqlite') return openStorage({ dataDir });
  const pgUrl = process.env.OUTRIGGER_PG_URL;
  if (pgUrl)
    return openStorage({ pgUrl, schema: `sync_test_${process.pid}_${Date.now()}_${schemaCounter++}` });
  return openStorage({ pglite: true });
};

/** A hub clock tests can move forward (lease expiry) without touching the machine's. */
export const offsetClock = (): { now: () => number; advance(ms: number): void } => {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms) => void (offset += ms) };
};

export const startHub = async (
  kind: HubKind = 'sqlite',
  opts: { clock?: () => number } = {},
): Promise<HubHandle> => {
  const dataDir = tmpDir('hub');
  const storage = await openHubStorage(kind, dataDir);
  let hub: Hub = await createHub({ storage, dataDir, ...(opts.clock ? { clock: opts.clock } : {}) });
  const url = await hub.listen({ port: 0 });
  const port = Number(new URL(url).port);
  return {
    url,
    port,
    storage,
    dataDir,
    async restart() {
      await hub.close();
      hub = await createHub({ storage, dataDir, ...(opts.clock ? { clock: opts.clock } : {}) });
      await hub.listen({ port });
    },
    async close() {
      await hub.close();
      await storage.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** A text project of `n` short tasks (cheap to create by the hundred). */
export const createTextProject = async (
  h: HubHandle,
  n: number,
  opts: { id?: string; leaseHours?: number; overlap?: number } = {},
): Promise<string> => {
  const cfg = await readProjectConfig(path.join(DEMO_DIR, 'text-project.json'));
  const file = path.join(h.dataDir, `texts-${opts.id ?? 'p'}.jsonl`);
  fs.writeFileSync(
    file,
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({ id: `t${i}`, text: `Task number ${i} in Hà Nội.` }),
    ).join('\n'),
  );
  const { project } = await createProject(h.storage, h.dataDir, {
    id: opts.id ?? 'p',
    name: `Sync test ${opts.id ?? 'p'}`,
    labelConfig: cfg.labelConfig,
    texts: file,
    leaseHours: opts.leaseHours ?? 72,
    overlap: opts.overlap ?? 1,
  });
  return project.id;
};

export const createImageProject = async (
  h: HubHandle,
  imagesDir = path.join(DEMO_DIR, 'images'),
  id = 'img',
): Promise<string> => {
  const cfg = await readProjectConfig(path.join(DEMO_DIR, 'image-project.json'));
  const { project } = await createProject(h.storage, h.dataDir, {
    id,
    name: `Images ${id}`,
    labelConfig: cfg.labelConfig,
    images: imagesDir,
  });
  return project.id;
};

/** Three demo photographs in a folder of their own: a small image project to review or export. */
export const threeDemoImages = (): string => {
  const dir = tmpDir('imgs');
  for (const f of ['astronaut.png', 'camera.png', 'coffee.png'])
    fs.copyFileSync(path.join(DEMO_DIR, 'images', f), path.join(dir, f));
  return dir;
};

export const addAnnotator = async (h: HubHandle, projectId: string, name: string): Promise<string> =>
  (await addUser(h.storage, { name, role: 'annotator', project: projectId })).token;

export type Client = WorkbenchInternals & { dataDir: string };

/** A workbench core (no demo seed) signed in to `hubUrl`; the loop is slow so tests drive it. */
export const openClient = async (
  hubUrl: string,
  token: string,
  opts: {
    dataDir?: string;
    seed?: number;
    timeoutMs?: number;
    signIn?: boolean;
    clock?: () => number;
    /** Rows per push at most (3 by default here, so a backlog goes as several requests). */
    pushBatch?: number;
    /** Backoff cap between failed cycles (200 ms by default here). */
    maxBackoffMs?: number;
  } = {},
): Promise<Client> => {
  const dataDir = opts.dataDir ?? tmpDir('wb');
  const wb = await openWorkbenchInternals({
    dataDir,
    resourcesDir: path.join(REPO_ROOT, 'resources'),
    mode: 'test',
    seedDemo: false,
    ...(opts.clock ? { clock: opts.clock } : {}),
    tokenStore: memoryTokenStore(),
    // Small push batches: a backlog goes as several pipelined requests, through every fault.
    sync: {
      intervalMs: 3_600_000,
      timeoutMs: opts.timeoutMs ?? 2_000,
      random: seededRandom(opts.seed ?? 1),
      maxBackoffMs: opts.maxBackoffMs ?? 200,
      requestAttempts: 2,
      pushBatch: opts.pushBatch ?? 3,
    },
  });
  if (opts.signIn ?? true) await wb.sync.signIn(hubUrl, token);
  return Object.assign(wb, { dataDir });
};

/**
 * A submission's fingerprint rides in `dismissedSuggestions` (kept verbatim by the core and the
 * hub); `activeMs` cannot carry it: the core records active time itself (issue 13).
 */
export const fingerprinted = (fp: number) => ({
  results: [],
  activeMs: 0,
  dismissedSuggestions: [`fp-${fp}`],
});

export const fingerprintOf = (annotation: unknown): number =>
  Number((annotation as { dismissedSuggestions?: string[] }).dismissedSuggestions?.[0]?.slice(3) ?? NaN);

/** Submits the next task with a fingerprint; returns its id, or null when none left. */
export const submitNext = async (c: Client, fp: number): Promise<string | null> => {
  const view = await c.handlers['tasks.claimNext']({});
  if (!view) return null;
  await c.handlers['tasks.submit']({ taskId: view.task.id, annotation: fingerprinted(fp) });
  return view.task.id;
};

/** Syncs until the outbox is empty and the state is online, or throws after `rounds`. */
export const syncUntilQuiet = async (c: Client, rounds = 50): Promise<void> => {
  for (let i = 0; i < rounds; i++) {
    const s = await c.sync.syncNow();
    // The assets lane runs on its own: quiet means its pass is over too.
    await c.sync.assetsIdle();
    if (s.status === 'online' && s.unsynced === 0) return;
  }
  const s = c.sync.state();
  throw new Error(`client did not settle: ${s.status}, ${s.unsynced} unsynced, ${s.lastError ?? ''}`);
};

/** Fingerprints of the local submissions, per task. */
export const localSubmissions = (c: Client): Map<string, number[]> => {
  const rows = c.db.prepare('SELECT task_id, annotation FROM submissions ORDER BY rowid').all() as {
    task_id: string;
    annotation: string;
  }[];
  const out = new Map<string, number[]>();
  for (const r of rows)
    out.set(r.task_id, [...(out.get(r.task_id) ?? []), fingerprintOf(JSON.parse(r.annotation))]);
  return out;
};

/**
 * The promise: every acknowledged local submission is on the hub exactly once (same
 * fingerprint, same count), and the hub holds nothing from this user the workbench lacks.
 */
export const assertExactlyOnce = async (
  h: HubHandle,
  c: Client,
  userId: string,
  allTaskIds: readonly string[] = [],
): Promise<{ checked: number }> => {
  const local = localSubmissions(c);
  let checked = 0;
  const problems: string[] = [];
  for (const taskId of allTaskIds) {
    if (local.has(taskId)) continue;
    const stray = (await h.storage.submissions(taskId)).filter((s) => s.userId === userId);
    if (stray.length > 0) problems.push(`${taskId}: on the hub ${stray.length}×, not in the workbench`);
  }
  for (const [taskId, fps] of local) {
    const hub = (await h.storage.submissions(taskId)).filter((s) => s.userId === userId);
    const hubFps = hub.map((s) => fingerprintOf(s.annotation)).sort((a, b) => a - b);
    const want = [...fps].sort((a, b) => a - b);
    if (JSON.stringify(hubFps) !== JSON.stringify(want))
      problems.push(`${taskId}: local ${JSON.stringify(want)} hub ${JSON.stringify(hubFps)}`);
    checked += fps.length;
  }
  if (problems.length > 0)
    throw new Error(`lost or doubled submissions:\n${problems.slice(0, 20).join('\n')}`);
  return { checked };
};

export const userIdOf = async (h: HubHandle, name: string): Promise<string> => {
  const u = await h.storage.findUserByName(name);
  if (!u) throw new Error(`no user ${name}`);
  return u.id;
};

/**
 * Closes what a test opens, after each test of the file that calls it: its workbench cores
 * first, then its hub. `hub` and `clients` hand back what they are given.
 */
export const closeAfterEach = () => {
  const hubs: HubHandle[] = [];
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    for (const h of hubs.splice(0)) await h.close();
  });
  return {
    hub: (h: HubHandle): HubHandle => (hubs.push(h), h),
    clients: (...cs: Client[]): void => void clients.push(...cs),
  };
};
