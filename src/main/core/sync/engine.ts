import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { AppError, type SyncProblem } from '../../../shared/contract';
import type { SyncState, SyncStatus } from '../../../shared/contract/methods/sync';
import type { Clock } from '../../../shared/clock';
import type { ProjectKind } from '../../../shared/model';
import { HUB_ROUTES, hubPath, WORKBENCH_SYNC_INTERVAL_MS, type FeedEvent } from '../../../shared/sync';
import type { AssetStore } from '../assets/store';
import type { QueueService } from '../queue/service';
import { createAssetCache, type AssetCache } from './asset-cache';
import { AssetLane, type RefetchResult } from './asset-lane';
import {
  backoffDelay,
  createHttpClient,
  HttpStatusError,
  NetworkError,
  type BackoffPolicy,
  type HttpClient,
} from './http';
import {
  classifyHubError,
  createHubApi,
  describeHubError,
  hubCallError,
  ProtocolError,
  type HubApi,
} from './hub-api';
import { LeaseRequests } from './lease-requests';
import { isLinkFailure, watchedHttp } from './link-watch';
import { adoptHeldLeases, replayLeaseRequests, requestLeases, type LeasingDeps } from './leasing';
import { pullFeed, type PullReport } from './pull';
import { PUSH_MAX_BYTES, pushOutbox, type VerdictHooks } from './push';
import { PushPacer } from './push-pacer';
import { pushActivity } from './activity-push';
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
  /** One image of a leased task is cached and verified (the workbench emits `sync.assetReady`). */
  onAssetReady?: (sha256: string) => void;
  /** Between good cycles, ms; also how often a pull runs while a long push drains. */
  intervalMs?: number;
  /**
   * The wait between idle cycles grows (doubling) to this while nothing changes, ms; and a
   * cycle started by local work pulls only when the last pull is this old (default 4 × interval).
   */
  idleMaxMs?: number;
  /** Idle deadline of a request: how long it may go without a byte moving (see http.ts). */
  timeoutMs?: number;
  pushBatch?: number;
  assetBudgetBytes?: number;
  /**
   * Cap for the backoff between failed cycles, ms. Offline, each retry is one small probe of
   * the hub, so at the default cap (5 min) an hour offline costs about twenty requests.
   */
  maxBackoffMs?: number;
  /** Retries of one request inside a cycle (the loop retries cycles on top). */
  requestAttempts?: number;
  /** The review side (review/sync.ts): its images, feed events and verdict answers. */
  review?: EngineReviewHooks;
  /** The wait between those retries (default `REQUEST_BACKOFF`). */
  requestBackoff?: BackoffPolicy;
}

/** What the engine asks of the review side; kept apart so the engine knows no review tables. */
export type EngineReviewHooks = {
  images(): readonly { sha256: string; mime: string }[];
  applyFeed(events: readonly FeedEvent[], serverTime: number, at: number): void;
  verdicts: VerdictHooks;
  /**
   * After a cycle that pulled: lease more review work when the local review queue runs low
   * (`slow`: the link is slow — lease fewer, and finish the images already leased first).
   */
  topUp?(link: { slow: boolean }): Promise<unknown>;
};

/** Below this measured uplink, or with a pull this slow, the link counts as slow for top-ups. */
const SLOW_LINK_BYTES_PER_S = 64 * 1024;
const SLOW_PULL_MS = 5_000;

export const HUB_ASSET_DIR = 'hub-assets';

/** Between retries of one request inside a cycle: 1–2 s, then 1–4 s, up to 8 s. */
export const REQUEST_BACKOFF: BackoffPolicy = { minMs: 1000, baseMs: 2000, maxMs: 8000 };

/** The signed-in hub: its URL, the HTTP client and API over it, its image cache and lanes. */
type HubConnection = {
  hubUrl: string;
  http: HttpClient;
  api: HubApi;
  cache: AssetCache;
  lane: AssetLane;
  /** Push request sizes, learned from this link across cycles. */
  pacer: PushPacer;
};

/** Why a cycle runs: local work pulls only when the last pull is old enough. */
type CycleReason = 'work' | 'full';

/**
 * The background sync of one workspace, in three lanes: push (the outbox), pull (the feed and
 * lease renewal) and assets (the leased tasks' images). Push and pull share one cycle, one at a
 * time, a pull running between push batches while a backlog drains; the assets lane runs on
 * its own, so a submit never waits for an image. A failed cycle backs off (jittered) and leaves
 * everything in place for the next one; while the hub is unreachable a one-request probe
 * stands in for each retry, and new local work, a good probe or the OS going online ends the
 * wait at once.
 */
export class SyncEngine {
  readonly store: SyncStore;
  private readonly leaseRequests: LeaseRequests;
  private conn: HubConnection | null = null;
  private token: string | null = null;
  private status: SyncStatus = 'signed-out';
  private lastError: string | null = null;
  private problem: SyncProblem | null = null;
  private nextRetryAt: number | null = null;
  private failures = 0;
  private running: Promise<void> | null = null;
  private loopActive = false;
  private wake: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private kicked = false;
  /** The hub asked us to wait (Retry-After) until then: local work does not end that wait. */
  private retryAfterUntil = 0;
  /** The last cycle failed without reaching the hub: the next retry probes first. */
  private unreachable = false;
  /** The OS says there is no network (null: the shell does not know). */
  private osOnline: boolean | null = null;
  private lastPullAt = 0;
  private idleWaitMs: number | null = null;
  private nextReason: CycleReason = 'full';
  /** Where the last good cycle spent its time (benches and diagnostics). */
  lastCycle: { pushMs: number; pullMs: number; pushed: number; pulled: number } | null = null;
  /** What the last pull did (tests, benches). */
  lastPull: PullReport | null = null;
  /** Requests by kind since start (benches and diagnostics). */
  readonly requests = { push: 0, pull: 0, probe: 0 };

  private readonly unsubscribe: () => void;

  constructor(private readonly o: SyncEngineOptions) {
    this.store = new SyncStore(o.queue.db);
    this.leaseRequests = new LeaseRequests(o.queue.db);
    if (!this.store.meta('deviceId')) this.store.setMeta('deviceId', randomUUID());
    // A cycle starts when there is something to send (and on the timer, on request, after a
    // failure's backoff); a draft save adds no outbox row, so it never reaches the network.
    this.unsubscribe = o.queue.onOutboxRow(() => this.kick());
  }

  get deviceId(): string {
    return this.store.meta('deviceId')!;
  }

  /** The signed-in hub's HTTP client and this device's id, for the review side (null: signed out). */
  hubClient(): { http: HttpClient; hubUrl: string; deviceId: string; kickAssets(): void } | null {
    const conn = this.conn;
    if (!conn) return null;
    return {
      http: watchedHttp(conn.http, () => this.serviceLinkFailed(conn)),
      hubUrl: conn.hubUrl,
      deviceId: this.deviceId,
      kickAssets: () => void conn.lane.kick().catch(() => undefined),
    };
  }

  /**
   * Fetches a finished task's image again when its file is gone (issue 16.3). `forbidden`: the
   * hub refuses it (the project removes images at lease end); `unavailable`: signed out or the
   * hub cannot be reached now.
   */
  async refetchImage(taskId: string): Promise<RefetchResult> {
    const data = this.o.queue.hub.taskData(taskId);
    if (!data || data.kind !== 'image') throw new AppError('NOT_FOUND', `no image task ${taskId}`, 'taskId');
    if (!this.conn) return { status: 'unavailable', detail: 'not signed in to a hub' };
    return this.conn.lane.refetch({ sha256: data.image.sha256, mime: data.image.mime });
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
      problem: this.lastError === null ? null : this.problem,
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

  /** `failure`: the technical line and its problem (null: none; omitted: unchanged). */
  private setStatus(
    status: SyncStatus,
    failure: { detail: string; problem: SyncProblem } | null = this.lastError === null
      ? null
      : { detail: this.lastError, problem: this.problem ?? 'unknown' },
  ): void {
    // A probe or request still settling after stop() must not read the closed database.
    if (this.stopped) return;
    this.status = status;
    this.lastError = failure?.detail ?? null;
    this.problem = failure?.problem ?? null;
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
      // Seconds, not milliseconds: three retries 0.2 s apart all land in one outage (16.6).
      backoff: this.o.requestBackoff ?? REQUEST_BACKOFF,
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
    this.conn?.lane.close();
    const lane = new AssetLane({
      queue: this.o.queue,
      assets: this.o.assets,
      cache,
      dir: HUB_ASSET_DIR,
      ...(this.o.onAssetReady ? { onReady: this.o.onAssetReady } : {}),
      ...(this.o.review ? { extraImages: () => this.o.review!.images() } : {}),
    });
    const pacer = new PushPacer({ maxRows: this.o.pushBatch ?? 1000, maxRawBytes: PUSH_MAX_BYTES });
    this.conn = { hubUrl, http, api: createHubApi(http), cache, lane, pacer };
  }

  async signIn(hubUrl: string, token: string): Promise<SyncState> {
    const previous = this.store.meta('hubUrl');
    this.connect(hubUrl, token);
    try {
      const me = await this.conn!.api.me();
      if (previous !== hubUrl) {
        this.store.setMeta('cursor', null);
        this.store.setMeta('leaseMark', null);
      }
      this.store.setMeta('hubUrl', hubUrl);
      this.store.setMeta('userName', me.name);
      this.store.setMeta('userId', me.userId);
      await this.o.tokenStore.save(token);
    } catch (e) {
      this.conn?.http.close();
      this.conn = null;
      this.token = null;
      throw hubCallError(e, hubUrl, 'sign-in');
    }
    this.lastError = null;
    this.problem = null;
    this.failures = 0;
    this.nextRetryAt = null;
    this.unreachable = false;
    // One cycle: the loop's first (a cycle already under way predates this hub's cursor reset).
    const before = this.running;
    this.startLoop();
    if (this.running && this.running !== before) await this.running;
    else {
      await before;
      await this.cycle('full');
    }
    return this.state();
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
    await this.cycle('full');
    return this.state();
  }

  /**
   * The OS's view of the network, where the shell has one (Electron's `net`, the browser's
   * `navigator.onLine`). Offline: no retries are spent until it comes back (or local work asks);
   * back online: the hub is probed at once.
   */
  setNetworkOnline(online: boolean): void {
    const was = this.osOnline;
    this.osOnline = online;
    if (online && was === false && this.conn && this.status !== 'online') {
      this.nextRetryAt = null;
      this.wakeFor('full');
    } else if (!online && this.conn && this.status !== 'syncing') {
      this.setStatus('offline', { detail: 'the computer is offline', problem: 'computer-offline' });
    }
  }

  /** The task on screen may have changed: the assets lane orders its downloads again. */
  reprioritizeAssets(): void {
    void this.conn?.lane.kick().catch(() => undefined);
  }

  /** Resolves once the assets lane has nothing under way (tests, benches). */
  async assetsIdle(): Promise<void> {
    await this.conn?.lane.idle();
  }

  private requireConn(): HubConnection {
    if (!this.conn) throw new AppError('OFFLINE', 'not signed in to a hub');
    return this.conn;
  }

  /**
   * A pull is due after `intervalMs` while a backlog drains; a cycle for local work pulls only
   * after `idleMaxMs` (pushes renew leases on the hub too, and revocations can wait that long),
   * so an annotator at a task a minute costs about 1.5 requests a task.
   */
  private pullDue(forWork = false): boolean {
    const base = this.o.intervalMs ?? WORKBENCH_SYNC_INTERVAL_MS;
    const every = forWork ? (this.o.idleMaxMs ?? 4 * base) : base;
    return this.o.clock() - this.lastPullAt >= every;
  }

  private async pull(conn: HubConnection): Promise<PullReport> {
    this.requests.pull++;
    const review = this.o.review;
    const pulled = await pullFeed(
      conn.api,
      this.o.queue,
      this.store,
      this.deviceId,
      this.o.clock,
      undefined,
      review ? (events, serverTime, at) => review.applyFeed(events, serverTime, at) : undefined,
    );
    this.lastPull = pulled;
    this.lastPullAt = this.o.clock();
    if (pulled.revoked + pulled.configChanged > 0) this.o.onQueueChanged?.();
    if (pulled.events > 0 || pulled.revoked > 0) void conn.lane.kick().catch(() => undefined);
    return pulled;
  }

  private cycle(reason: CycleReason = 'full'): Promise<void> {
    if (this.running) return this.running;
    const conn = this.conn;
    if (!conn) return Promise.resolve();
    this.running = (async () => {
      this.setStatus('syncing');
      try {
        const t0 = performance.now();
        let pushError: unknown = null;
        let pushed = { acked: 0, releasedTasks: 0, sent: 0 };
        const before = this.requests.pull;
        await this.recoverLeases(conn, 'replay');
        try {
          pushed = await pushOutbox(
            conn.api,
            this.o.queue,
            this.store,
            this.o.clock,
            this.o.pushBatch ?? 1000,
            PUSH_MAX_BYTES,
            {
              pacer: conn.pacer,
              // A long backlog does not hold the feed and lease renewal back.
              between: {
                due: () => this.pullDue(),
                run: () =>
                  this.pull(conn).then(
                    () => undefined,
                    () => undefined,
                  ),
              },
              attempts: (this.o.requestAttempts ?? 3) + 1,
              random: this.o.random,
              ...(this.o.review ? { verdicts: this.o.review.verdicts } : {}),
            },
          );
        } catch (e) {
          pushError = e;
        }
        if (pushed.sent > 0) this.requests.push++;
        const t1 = performance.now();
        let pulled = { events: 0 };
        // A cycle for local work pulls only when the last pull is old; a failed push still
        // pulls (a link that cuts large uploads often passes a small answer).
        if (
          reason === 'full' ||
          this.pullDue(true) ||
          (pushError !== null && this.requests.pull === before)
        ) {
          try {
            pulled = await this.pull(conn);
          } catch (e) {
            throw pushError ?? e;
          }
          // The activity chain rides with the feed's cycle, not with every submit's push: a
          // slow link pays no extra request per task (issue 20), and the hub still gets the
          // chain within one pull interval of the work (a failure waits for the next cycle).
          if (pushError === null) await pushActivity(conn.api, this.o.queue).catch(() => undefined);
        }
        if (pushError !== null) throw pushError;
        await this.recoverLeases(conn, 'adopt');
        if (this.requests.pull !== before && this.o.review?.topUp) {
          const rate = conn.pacer.bytesPerSecond;
          const slow =
            (rate !== null && rate < SLOW_LINK_BYTES_PER_S) || performance.now() - t1 > SLOW_PULL_MS;
          // A failed top-up waits for the next cycle: it never fails the sync.
          await this.o.review.topUp({ slow }).catch(() => undefined);
        }
        if (pushed.releasedTasks > 0) this.o.onQueueChanged?.();
        void conn.lane.kick().catch(() => undefined);
        this.lastCycle = {
          pushMs: t1 - t0,
          pullMs: performance.now() - t1,
          pushed: pushed.acked,
          pulled: pulled.events,
        };
        // Idle: nothing came or went, so the next cycle can wait longer (up to idleMaxMs).
        const base = this.o.intervalMs ?? WORKBENCH_SYNC_INTERVAL_MS;
        const idle = pushed.sent === 0 && pulled.events === 0;
        this.idleWaitMs = idle
          ? Math.min(this.o.idleMaxMs ?? 4 * base, Math.max(base, (this.idleWaitMs ?? base / 2) * 2))
          : base;
        this.store.setMeta('lastSyncAt', String(this.o.clock()));
        this.failures = 0;
        this.nextRetryAt = null;
        this.retryAfterUntil = 0;
        this.unreachable = false;
        this.setStatus('online', null);
      } catch (e) {
        this.failed(e);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /**
   * A screen's hub request could not reach the hub while the last cycle said online: check the
   * hub now (a probe, then a cycle) rather than at the next idle tick, so the status shown is
   * read from a fresh answer. While a cycle runs or the status is already not online, the loop
   * is finding out by itself.
   */
  private serviceLinkFailed(conn: HubConnection): void {
    if (this.stopped || this.conn !== conn || this.status !== 'online' || this.running) return;
    if (this.o.clock() < this.retryAfterUntil) return;
    this.unreachable = true;
    this.wakeFor('full');
  }

  /** Backs off after a failed cycle or probe; never sooner than the hub's Retry-After. */
  private failed(e: unknown): void {
    this.failures++;
    const retryAfter = e instanceof HttpStatusError ? (e.retryAfterMs ?? 0) : 0;
    const delay = Math.max(
      1000,
      retryAfter,
      backoffDelay(this.failures, { baseMs: 1000, maxMs: this.o.maxBackoffMs ?? 300_000 }, this.o.random),
    );
    const now = this.o.clock();
    this.nextRetryAt = now + delay;
    this.retryAfterUntil = retryAfter > 0 ? now + retryAfter : 0;
    this.unreachable = e instanceof NetworkError;
    const offline = isLinkFailure(e);
    const fatal = e instanceof ProtocolError || (e instanceof HttpStatusError && e.status < 500);
    if (!offline && !fatal && !(e instanceof Error)) throw e;
    this.setStatus(offline ? 'offline' : 'error', {
      detail: describeHubError(e),
      problem: classifyHubError(e),
    });
  }

  /** One small request: is the hub reachable again? (Stands in for a whole cycle while offline.) */
  private async probe(conn: HubConnection): Promise<boolean> {
    this.requests.probe++;
    try {
      await conn.api.health();
      return true;
    } catch (e) {
      if (this.stopped) return false;
      this.failed(e);
      return false;
    }
  }

  /** Image hashes of tasks we hold a live lease on: those the cache must keep. */
  private leasedShas(): Set<string> {
    const shas = new Set<string>();
    for (const t of this.o.queue.hub.leasedTasks())
      if (t.data.kind === 'image') shas.add(t.data.image.sha256);
    for (const x of this.o.review?.images() ?? []) shas.add(x.sha256);
    return shas;
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
      throw hubCallError(e, conn.hubUrl, "listing the hub's projects");
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
      throw hubCallError(e, conn.hubUrl, 'getting more tasks');
    }
  }

  private async leaseFrom(
    conn: HubConnection,
    projectId: string,
    count: number,
  ): Promise<{ leased: number; projectName: string }> {
    // The project first: a lease answer must never arrive for a project we cannot store. (Asked
    // each time: its name is what the person is told the tasks came from.)
    const project = await conn.api.project(projectId);
    const leased = await requestLeases(this.leasing(conn), project, count);
    if (leased > 0) this.o.onQueueChanged?.();
    void conn.lane.kick().catch(() => undefined);
    return { leased, projectName: project.name };
  }

  private leasing(conn: HubConnection): LeasingDeps {
    return {
      api: conn.api,
      queue: this.o.queue,
      store: this.store,
      requests: this.leaseRequests,
      deviceId: this.deviceId,
      clock: this.o.clock,
    };
  }

  /**
   * Lease answers that never arrived (issue 16.6): stored requests are sent again under their
   * ids, and leases the hub holds for this device that we do not know are adopted, so none is
   * kept alive by our renewals while nobody can work on it. Returns how many tasks came back.
   */
  private async recoverLeases(conn: HubConnection, phase: 'replay' | 'adopt'): Promise<number> {
    const got =
      phase === 'replay'
        ? await replayLeaseRequests(this.leasing(conn))
        : await adoptHeldLeases(this.leasing(conn));
    if (got > 0) {
      this.o.onQueueChanged?.();
      void conn.lane.kick().catch(() => undefined);
    }
    return got;
  }

  /** Gives a leased, unfinished task back: it leaves the queue now, the hub hears on the next push. */
  async release(taskId: string): Promise<{ releasedAt: number }> {
    const r = await this.o.queue.release(taskId);
    this.o.onQueueChanged?.();
    return r;
  }

  /**
   * New local work: the next cycle starts now, ending a backoff wait (the link may be back),
   * unless the hub itself asked us to wait (Retry-After).
   */
  private kick(): void {
    if (this.o.clock() < this.retryAfterUntil) return;
    this.wakeFor('work');
  }

  /** Ends the loop's wait; 'full' (reconnect, timer) wins over 'work' when both ask. */
  private wakeFor(reason: CycleReason): void {
    this.nextReason = this.kicked && this.nextReason === 'full' ? 'full' : reason;
    this.kicked = true;
    this.wake?.();
  }

  /** One turn of the loop: a cycle, or while unreachable a probe first (none while the OS is offline). */
  private async turn(conn: HubConnection, reason: CycleReason): Promise<void> {
    if (!this.unreachable) return this.cycle(reason);
    if (this.osOnline === false) return this.failed(new NetworkError('the computer is offline', 'offline'));
    if (await this.probe(conn)) await this.cycle('full');
  }

  private startLoop(): void {
    if (this.loopActive || this.stopped) return;
    this.loopActive = true;
    void (async () => {
      let reason: CycleReason = 'full';
      while (this.loopActive && this.conn) {
        // A cycle started elsewhere (sync now) may predate the work that woke us: let it end,
        // then run our own.
        if (this.running) await this.running;
        if (!this.loopActive || !this.conn) break;
        this.kicked = false;
        await this.turn(this.conn, reason);
        if (!this.loopActive) break;
        if (!this.kicked) {
          const retryIn = this.nextRetryAt !== null ? Math.max(0, this.nextRetryAt - this.o.clock()) : null;
          const wait = retryIn ?? this.idleWaitMs ?? this.o.intervalMs ?? WORKBENCH_SYNC_INTERVAL_MS;
          await new Promise<void>((resolve) => {
            this.wake = resolve;
            this.timer = setTimeout(resolve, wait);
          });
          if (this.timer) clearTimeout(this.timer);
          this.wake = null;
        }
        reason = this.kicked ? this.nextReason : 'full';
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
    this.conn?.lane.close();
    this.conn?.http.close();
  }
}
