import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../../shared/clock';
import { AppError } from '../../../shared/contract';
import type { SyncState, SyncStatus } from '../../../shared/contract/methods/sync';
import type { Project, ProjectKind } from '../../../shared/model';
import type { AssetStore } from '../assets/store';
import type { QueueService } from '../queue/service';
import { taskTitle } from '../queue/title';
import { createAssetCache, type AssetCache } from './asset-cache';
import { backoffDelay, createHttpClient, HttpStatusError, NetworkError, type HttpClient } from './http';
import { HUB_ROUTES, hubPath, WORKBENCH_SYNC_INTERVAL_MS } from '../../../shared/sync';
import { createHubApi, describeHubError, ProtocolError, type HubApi } from './hub-api';
import { pullFeed } from './pull';
import { pushOutbox } from './push';
import { SyncStore } from './store';
import type { TokenStore } from './token-store';

export interface SyncEngineOptions {
  queue: QueueService;
  /** The workspace's asset index: cached hub images are listed there for the task views. */
  assets: AssetStore;
  dataDir: string;
  clock: Clock;
  random: () => number;
  tokenStore: TokenStore;
  /** Every state change (the workbench forwards it as the `sync.stateChanged` event). */
  onState?: (state: SyncState) => void;
  /** Local tasks were added or removed by sync (the workbench emits `queue.changed`). */
  onQueueChanged?: () => void;
  /** Between good cycles, ms. */
  intervalMs?: number;
  timeoutMs?: number;
  pushBatch?: number;
  assetBudgetBytes?: number;
  /** Cap for the backoff between failed cycles, ms. */
  maxBackoffMs?: number;
  /** Retries of one request inside a cycle (the loop retries cycles on top). */
  requestAttempts?: number;
}

export const HUB_ASSET_DIR = 'hub-assets';

/** The signed-in hub: its URL, the HTTP client and API over it, and its image cache. */
type HubConnection = { hubUrl: string; http: HttpClient; api: HubApi; cache: AssetCache };

/**
 * The background sync of one workspace: push the outbox, pull the feed, keep the leased tasks'
 * images cached. One cycle at a time; a failed cycle backs off (jittered) and leaves everything
 * in place for the next one.
 */
export class SyncEngine {
  readonly store: SyncStore;
  private conn: HubConnection | null = null;
  private token: string | null = null;
  private status: SyncStatus = 'signed-out';
  private lastError: string | null = null;
  private nextRetryAt: number | null = null;
  private failures = 0;
  private running: Promise<void> | null = null;
  private loopActive = false;
  private wake: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private kicked = false;
  private assetRun: Promise<void> | null = null;
  /** Where the last good cycle spent its time (benches and diagnostics). */
  lastCycle: { pushMs: number; pullMs: number; assetsMs: number; pushed: number; pulled: number } | null =
    null;
  private assetRunAgain = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly o: SyncEngineOptions) {
    this.store = new SyncStore(o.queue.db);
    if (!this.store.meta('deviceId')) this.store.setMeta('deviceId', randomUUID());
    // A cycle starts when there is something to send (and on the timer, on request, after a
    // failure's backoff); a draft save adds no outbox row, so it never reaches the network.
    this.unsubscribe = o.queue.onOutboxRow(() => this.kick());
  }

  get deviceId(): string {
    return this.store.meta('deviceId')!;
  }

  /** The cache of the current hub connection (benches and tests read its stats). */
  get assetCache(): AssetCache | null {
    return this.conn?.cache ?? null;
  }

  /** Resumes a stored sign-in and starts the loop; without one the workbench stays local only. */
  async start(): Promise<void> {
    const hubUrl = this.store.meta('hubUrl');
    const token = await this.o.tokenStore.load();
    if (!hubUrl || !token) return;
    this.connect(hubUrl, token);
    this.setStatus('offline');
    this.startLoop();
  }

  state(): SyncState {
    return {
      status: this.status,
      hubUrl: this.conn?.hubUrl ?? null,
      userName: this.conn ? this.store.meta('userName') : null,
      unsynced: this.o.queue.outbox.size(),
      lastSyncAt: Number(this.store.meta('lastSyncAt')) || null,
      lastError: this.lastError,
      nextRetryAt: this.nextRetryAt,
      conflicts: this.store.conflicts(),
      refused: this.o.queue.deliveries.refusedCount(),
      tokenWarning: this.conn ? this.o.tokenStore.warning : null,
    };
  }

  /** Tells listeners the state changed outside a cycle (refused work acted on). */
  publishState(): void {
    this.o.onState?.(this.state());
  }

  private setStatus(status: SyncStatus, error: string | null = this.lastError): void {
    this.status = status;
    this.lastError = error;
    this.o.onState?.(this.state());
  }

  private connect(hubUrl: string, token: string): void {
    this.conn?.http.close();
    this.token = token;
    const http = createHttpClient({
      baseUrl: hubUrl,
      getToken: () => this.token,
      clock: this.o.clock,
      random: this.o.random,
      timeoutMs: this.o.timeoutMs ?? 15_000,
      maxAttempts: this.o.requestAttempts ?? 3,
      backoff: { baseMs: 200, maxMs: 5_000 },
    });
    const cache = createAssetCache({
      dir: path.join(this.o.dataDir, HUB_ASSET_DIR),
      http,
      budgetBytes: this.o.assetBudgetBytes ?? 2 * 1024 ** 3,
      random: this.o.random,
      assetPath: (sha256) => hubPath(HUB_ROUTES.asset, { sha256 }),
      isPinned: (sha) => this.leasedShas().has(sha),
      onEvicted: (sha) => this.o.assets.removeCached(sha, path.join(HUB_ASSET_DIR, sha)),
    });
    this.conn = { hubUrl, http, api: createHubApi(http), cache };
  }

  async signIn(hubUrl: string, token: string): Promise<SyncState> {
    const previous = this.store.meta('hubUrl');
    this.connect(hubUrl, token);
    try {
      const me = await this.conn!.api.me();
      if (previous !== hubUrl) this.store.setMeta('cursor', null);
      this.store.setMeta('hubUrl', hubUrl);
      this.store.setMeta('userName', me.name);
      this.store.setMeta('userId', me.userId);
      await this.o.tokenStore.save(token);
    } catch (e) {
      this.conn?.http.close();
      this.conn = null;
      this.token = null;
      throw new AppError(
        e instanceof HttpStatusError && e.status === 401 ? 'UNAUTHORIZED' : 'OFFLINE',
        `sign-in failed: ${describeHubError(e)}`,
      );
    }
    this.lastError = null;
    this.startLoop();
    return this.syncNow();
  }

  async signOut(): Promise<SyncState> {
    this.stopLoop();
    await this.running;
    await this.o.tokenStore.clear();
    this.conn?.http.close();
    this.conn = null;
    this.token = null;
    this.setStatus('signed-out', null);
    return this.state();
  }

  /** A fresh cycle now (after one already under way, which may predate the latest work). */
  async syncNow(): Promise<SyncState> {
    if (this.running) await this.running;
    await this.cycle();
    return this.state();
  }

  private requireConn(): HubConnection {
    if (!this.conn) throw new AppError('OFFLINE', 'not signed in to a hub');
    return this.conn;
  }

  private cycle(): Promise<void> {
    if (this.running) return this.running;
    const conn = this.conn;
    if (!conn) return Promise.resolve();
    this.running = (async () => {
      this.setStatus('syncing');
      try {
        const t0 = performance.now();
        const pushed = await pushOutbox(
          conn.api,
          this.o.queue,
          this.store,
          this.o.clock,
          this.o.pushBatch ?? 1000,
        );
        const t1 = performance.now();
        const pulled = await pullFeed(conn.api, this.o.queue, this.store, this.deviceId, this.o.clock);
        const t2 = performance.now();
        if (pushed.releasedTasks + pulled.revoked + pulled.configChanged > 0) this.o.onQueueChanged?.();
        await this.syncAssets(conn);
        this.lastCycle = {
          pushMs: t1 - t0,
          pullMs: t2 - t1,
          assetsMs: performance.now() - t2,
          pushed: pushed.acked,
          pulled: pulled.events,
        };
        this.store.setMeta('lastSyncAt', String(this.o.clock()));
        this.failures = 0;
        this.nextRetryAt = null;
        this.setStatus('online', null);
      } catch (e) {
        this.failures++;
        // Jittered backoff, but never sooner than the hub's Retry-After.
        const retryAfter = e instanceof HttpStatusError ? (e.retryAfterMs ?? 0) : 0;
        const delay = Math.max(
          1000,
          retryAfter,
          backoffDelay(this.failures, { baseMs: 1000, maxMs: this.o.maxBackoffMs ?? 60_000 }, this.o.random),
        );
        this.nextRetryAt = this.o.clock() + delay;
        const offline = e instanceof NetworkError || (e instanceof HttpStatusError && e.status >= 500);
        const fatal = e instanceof ProtocolError || (e instanceof HttpStatusError && e.status < 500);
        if (!offline && !fatal && !(e instanceof Error)) throw e;
        this.setStatus(offline ? 'offline' : 'error', describeHubError(e));
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Image hashes of tasks we hold a live lease on: those the cache must keep. */
  private leasedShas(): Set<string> {
    const shas = new Set<string>();
    for (const t of this.o.queue.hub.leasedTasks())
      if (t.data.kind === 'image') shas.add(t.data.image.sha256);
    return shas;
  }

  /**
   * Deletes images of ended leases, then prefetches those of open leased tasks. One run at a
   * time: a call during a run makes one more run follow it (new leases arrived meanwhile).
   */
  private syncAssets(conn: HubConnection): Promise<void> {
    if (this.assetRun) {
      this.assetRunAgain = true;
      return this.assetRun;
    }
    this.assetRun = (async () => {
      try {
        do {
          this.assetRunAgain = false;
          await this.syncAssetsOnce(conn);
        } while (this.assetRunAgain && this.conn === conn);
      } finally {
        this.assetRun = null;
      }
    })();
    return this.assetRun;
  }

  private async syncAssetsOnce(conn: HubConnection): Promise<void> {
    const leased = this.o.queue.hub.leasedTasks();
    const keep = new Map<string, { mime: string }>();
    for (const t of leased)
      if (t.data.kind === 'image') keep.set(t.data.image.sha256, { mime: t.data.image.mime });
    const removed = await conn.cache.retainOnly(new Set(keep.keys()));
    this.o.queue.transaction(() => {
      for (const sha of removed) this.o.assets.removeCached(sha, path.join(HUB_ASSET_DIR, sha));
    });
    const open = leased.filter((t) => t.status === 'queued' || t.status === 'in_progress');
    const wanted = [...new Set(open.flatMap((t) => (t.data.kind === 'image' ? [t.data.image.sha256] : [])))];
    await conn.cache.prefetch(wanted, 4);
    this.o.queue.transaction(() => {
      for (const sha of wanted) {
        const file = conn.cache.localPath(sha);
        if (!file) continue;
        this.o.assets.addCached(
          sha,
          path.join(HUB_ASSET_DIR, sha),
          fs.statSync(file).size,
          keep.get(sha)!.mime,
        );
      }
    });
  }

  /** The hub projects this person annotates, in the hub's order, with their names. */
  async hubProjects(): Promise<{ projects: { id: string; name: string; kind: ProjectKind }[] }> {
    const conn = this.requireConn();
    try {
      const me = await conn.api.me();
      const ids = me.memberships.filter((m) => m.role === 'annotator').map((m) => m.projectId);
      const infos = await Promise.all(ids.map((id) => conn.api.project(id)));
      return { projects: infos.map((p) => ({ id: p.id, name: p.name, kind: p.kind })) };
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('OFFLINE', `could not list the hub's projects: ${describeHubError(e)}`);
    }
  }

  /**
   * Leases up to `count` more tasks and adds them to the local queue: from the named project, or
   * else from the first of the person's annotator projects that has work (each is asked in turn,
   * so an exhausted first project no longer means "no work"). Says which project they came from.
   */
  async getMore(input: {
    projectId?: string | undefined;
    count: number;
  }): Promise<{ leased: number; projectId: string | null; projectName: string | null; checked: number }> {
    const conn = this.requireConn();
    try {
      let candidates: string[];
      if (input.projectId) candidates = [input.projectId];
      else {
        const me = await conn.api.me();
        candidates = me.memberships.filter((m) => m.role === 'annotator').map((m) => m.projectId);
        if (candidates.length === 0)
          throw new AppError('FORBIDDEN', `${me.name} is not an annotator on any project of this hub`);
      }
      for (const projectId of candidates) {
        const got = await this.leaseFrom(conn, projectId, input.count);
        if (got.leased > 0 || candidates.length === 1)
          return { ...got, projectId, checked: candidates.indexOf(projectId) + 1 };
      }
      return { leased: 0, projectId: null, projectName: null, checked: candidates.length };
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('OFFLINE', `could not get more tasks: ${describeHubError(e)}`);
    }
  }

  private async leaseFrom(
    conn: HubConnection,
    projectId: string,
    count: number,
  ): Promise<{ leased: number; projectName: string }> {
    // The project first: a lease answer must never arrive for a project we cannot store. (Asked
    // each time: its name is what the person is told the tasks came from.)
    const projects: Project[] = [];
    const p = await conn.api.project(projectId);
    if (!this.o.queue.hub.hasProject(projectId)) {
      projects.push({
        id: p.id,
        name: p.name,
        kind: p.kind,
        labelConfig: p.labelConfig,
        leaseHours: p.leaseHours,
        overlap: p.overlap,
      });
    }
    const res = await conn.api.lease({ projectId, deviceId: this.deviceId, count });
    const at = this.o.clock();
    const skew = res.serverTime - at;
    this.o.queue.hub.addLeased(
      projects,
      res.leases.map((l) => ({
        task: l.task,
        title: taskTitle(l.task.data),
        hubTaskId: l.taskId,
        epoch: l.epoch,
        expiresAt: l.expiresAt - skew,
      })),
      at,
    );
    if (res.leases.length > 0) this.o.onQueueChanged?.();
    void this.syncAssets(conn).catch(() => undefined);
    return { leased: res.leases.length, projectName: p.name };
  }

  /** Gives a leased, unfinished task back: it leaves the queue now, the hub hears on the next push. */
  async release(taskId: string): Promise<{ releasedAt: number }> {
    const r = await this.o.queue.release(taskId);
    this.o.onQueueChanged?.();
    return r;
  }

  /** Starts the next cycle soon (new work in the outbox), unless backing off after a failure. */
  private kick(): void {
    if (this.nextRetryAt !== null && this.o.clock() < this.nextRetryAt) return;
    this.kicked = true;
    this.wake?.();
  }

  private startLoop(): void {
    if (this.loopActive || this.stopped) return;
    this.loopActive = true;
    void (async () => {
      while (this.loopActive && this.conn) {
        this.kicked = false;
        await this.cycle();
        if (!this.loopActive) break;
        if (this.kicked) continue;
        const wait =
          this.nextRetryAt !== null
            ? Math.max(0, this.nextRetryAt - this.o.clock())
            : (this.o.intervalMs ?? WORKBENCH_SYNC_INTERVAL_MS);
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, wait);
        });
        if (this.timer) clearTimeout(this.timer);
        this.wake = null;
      }
      this.loopActive = false;
    })();
  }

  private stopLoop(): void {
    this.loopActive = false;
    this.wake?.();
  }

  /** Stops the loop, waits for a cycle under way, closes sockets. Work stays in the outbox. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.stopLoop();
    await this.running;
    this.conn?.http.close();
  }
}
