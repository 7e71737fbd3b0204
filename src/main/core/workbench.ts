import path from 'node:path';
import { version } from '../../../package.json';
import { CONTRACT_VERSION, type QueueCounts } from '../../shared/contract';
import { AssetStore } from './assets/store';
import { openDatabase, startCheckpointTimer, checkpoint, type Db } from './db/open';
import { seedDemo } from './demo/seed';
import { createDispatcher, EventBus, type Dispatch, type WorkspaceHandlers } from './dispatch';
import { ExportService } from './export/service';
import { QueueService } from './queue/service';
import { createReview } from './review/handlers';
import type { ReviewService } from './review/service';
import { createSync, type CreateSyncOptions } from './sync/handlers';
import { TeamMetricsSync } from './sync/team-metrics';
import type { SyncEngine } from './sync/engine';
import type { TokenStore } from './sync/token-store';
import type { Clock } from '../../shared/clock';

export type WorkbenchMode = 'electron' | 'web' | 'test';

export type OpenWorkbenchOptions = {
  /** The workspace folder: `workspace.db` and `assets/` live here. */
  dataDir: string;
  /** The app's resources folder (holds `demo/`). */
  resourcesDir: string;
  mode: WorkbenchMode;
  /** Milliseconds since the epoch; the only clock the services read. */
  clock?: Clock;
  /** Monotonic ms for active time (default performance.now; with `clock` given, `clock`). */
  monotonic?: () => number;
  /** better_sqlite3.node for the host's ABI (the Electron shell passes its own build). */
  nativeBinding?: string;
  /** Seed the demo workspace into an empty database (default true). */
  seedDemo?: boolean;
  /** Where the hub token is kept (Electron: safeStorage); default a file in dataDir, with a warning. */
  tokenStore?: TokenStore;
  /** The shell's "show in folder" for a finished export (Electron: shell.showItemInFolder). */
  revealPath?: (fullPath: string) => Promise<void>;
  /** Sync tuning for tests and benches (intervals, timeouts, seeded jitter). */
  sync?: Partial<
    Pick<
      CreateSyncOptions,
      | 'intervalMs'
      | 'idleMaxMs'
      | 'timeoutMs'
      | 'pushBatch'
      | 'assetBudgetBytes'
      | 'maxBackoffMs'
      | 'requestAttempts'
      | 'random'
    >
  >;
};

/** One workspace's core; `openWorkspaces` (./workspaces) routes the contract to the active one. */
export type Workbench = {
  dispatch: Dispatch;
  events: EventBus;
  handlers: WorkspaceHandlers;
  assets: { path(sha256: string): string | null };
  close(): Promise<void>;
};

export const WORKSPACE_DB_FILE = 'workspace.db';

/** Internals for tests, benches and the sync engine; transports use `Workbench` only. */
export type WorkbenchInternals = Workbench & {
  db: Db;
  queue: QueueService;
  assetStore: AssetStore;
  sync: SyncEngine;
  review: ReviewService;
  exports: ExportService;
};

/**
 * Opens one workspace folder `dataDir` (creating it), seeds the demo on first start, and returns
 * the contract's per-workspace handlers behind one dispatcher plus the event bus. Hosts open a
 * data folder's workspaces with `openWorkspaces` (./workspaces), which calls this per workspace.
 */
export async function openWorkbenchInternals(opts: OpenWorkbenchOptions): Promise<WorkbenchInternals> {
  const clock = opts.clock ?? Date.now;
  const dataDir = path.resolve(opts.dataDir);
  const db = openDatabase(
    path.join(dataDir, WORKSPACE_DB_FILE),
    opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {},
  );
  let stopCheckpoints = (): void => {};
  try {
    const queue = new QueueService(db, {
      clock,
      monotonic: opts.monotonic ?? (opts.clock ? opts.clock : () => performance.now()),
    });
    const assetStore = new AssetStore(dataDir, db, clock);
    if (opts.seedDemo ?? true) seedDemo(path.resolve(opts.resourcesDir), queue, assetStore);
    stopCheckpoints = startCheckpointTimer(db);
    // Recorded activity reaches disk with the next task change, or within this interval.
    const activityTimer = setInterval(() => queue.flushActivity(), 15_000);
    activityTimer.unref();
    const events = new EventBus();
    const counts = (): Promise<QueueCounts> => queue.counts();
    const changed = async (): Promise<void> => {
      events.emit('queue.changed', { counts: await counts() });
    };
    // Review is made first: the engine takes its hooks, and it reaches the engine lazily.
    let engine: SyncEngine | null = null;
    const review = createReview({
      queue,
      events,
      clock,
      engine: () => {
        if (!engine) throw new Error('the sync engine is not ready');
        return engine;
      },
      onQueueChanged: () => void changed(),
    });
    const sync = createSync({
      ...opts.sync,
      review: review.hooks,
      queue,
      assets: assetStore,
      events,
      dataDir,
      clock,
      ...(opts.tokenStore ? { tokenStore: opts.tokenStore } : {}),
      onQueueChanged: () => void changed(),
    });
    engine = sync.engine;
    const exports = new ExportService({
      db,
      projects: () => queue.listProjects(),
      defaultDir: path.join(dataDir, 'exports'),
      assetPath: (sha) => assetStore.path(sha),
      annotator: () => sync.engine.state().userName ?? 'local',
      emit: (job) => events.emit('export.progress', job),
      clock,
      ...(opts.revealPath ? { reveal: opts.revealPath } : {}),
      hub: { client: () => sync.engine.hubClient(), roles: () => review.sync.roles() },
    });

    const team = new TeamMetricsSync(() => sync.engine, clock);
    const handlers: WorkspaceHandlers = {
      'app.info': async () => ({ version, contractVersion: CONTRACT_VERSION, mode: opts.mode, dataDir }),
      'projects.list': () => queue.listProjects(),
      'tasks.list': (input) => queue.list(input),
      'tasks.claimNext': async (input) => {
        const r = await queue.claimNext(input);
        if (r?.claimed) await changed();
        return r ? r.view : null;
      },
      'tasks.open': (input) => queue.open(input.taskId),
      'tasks.saveDraft': async (input) => {
        const r = await queue.saveDraft(input.taskId, input.annotation);
        events.emit('task.saved', { taskId: input.taskId, savedAt: r.savedAt });
        await changed();
        return { savedAt: r.savedAt };
      },
      'tasks.submit': async (input) => {
        const r = await queue.submit(input.taskId, input.annotation);
        await changed();
        return r;
      },
      'tasks.skip': async (input) => {
        const r = await queue.skip(input.taskId, input.reason);
        await changed();
        return r;
      },
      'tasks.reopen': async (input) => {
        const r = await queue.reopen(input.taskId);
        if (r.changed) await changed();
        return r.view;
      },
      'tasks.history': (input) => queue.history(input.limit),
      'queue.counts': counts,
      'activity.report': (input) => queue.reportActivity(input.window, input.signals),
      'metrics.local': (input) => queue.localMetrics(input.days, input.tzOffset),
      'metrics.team': ({ projectId, ...q }) => team.team(projectId, q),
      'metrics.flags': ({ projectId, from, to }) => team.flags(projectId, { from, to }),
      'metrics.teamCsv': ({ projectId, kind, ...q }) => team.csv(projectId, q, kind),
      ...sync.handlers,
      ...review.handlers,
      'export.sources': () => exports.sources(),
      'export.preview': (input) => exports.preview(input),
      'export.start': (input) => exports.start(input),
      'export.cancel': (input) => exports.cancel(input.exportId),
      'export.openFolder': (input) => exports.openFolder(input.exportId),
    };
    await sync.start();

    let closed = false;
    return {
      dispatch: createDispatcher(handlers, {
        onInternalError: (method, e) => {
          if (opts.mode !== 'test') console.error(`[outrigger] ${method} failed:`, e);
        },
      }),
      events,
      handlers,
      assets: { path: (sha256) => assetStore.path(sha256) },
      db,
      queue,
      assetStore,
      sync: sync.engine,
      review: review.service,
      exports,
      close: async () => {
        if (closed) return;
        closed = true;
        await exports.close();
        await sync.stop();
        clearInterval(activityTimer);
        queue.flushActivity();
        stopCheckpoints();
        try {
          checkpoint(db);
        } finally {
          db.close();
        }
      },
    };
  } catch (e) {
    stopCheckpoints();
    db.close();
    throw e;
  }
}
