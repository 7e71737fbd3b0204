import type { Clock } from '../../../shared/clock';
import type { QueueCounts } from '../../../shared/contract';
import type { AssetStore } from '../assets/store';
import type { EventBus, Handlers } from '../dispatch';
import type { QueueService } from '../queue/service';
import { SyncEngine, type SyncEngineOptions } from './engine';
import { fileTokenStore, type TokenStore } from './token-store';

export type SyncMethodName =
  | 'sync.state'
  | 'sync.signIn'
  | 'sync.signOut'
  | 'sync.now'
  | 'sync.networkChanged'
  | 'tasks.getMore'
  | 'tasks.hubProjects'
  | 'tasks.release'
  | 'tasks.refetchImage'
  | 'tasks.resubmitRefused'
  | 'tasks.discardRefused'
  | 'tasks.exportSubmission';
export type SyncHandlers = Pick<Handlers, SyncMethodName>;

export type CreateSyncOptions = {
  queue: QueueService;
  assets: AssetStore;
  events: EventBus;
  dataDir: string;
  clock: Clock;
  /** Electron passes a safeStorage-backed store; otherwise a file in the data folder (with a warning). */
  tokenStore?: TokenStore;
  random?: () => number;
  /** Emits `queue.changed` after sync added or removed tasks. */
  onQueueChanged: () => void;
} & Partial<
  Pick<
    SyncEngineOptions,
    | 'intervalMs'
    | 'idleMaxMs'
    | 'timeoutMs'
    | 'pushBatch'
    | 'assetBudgetBytes'
    | 'maxBackoffMs'
    | 'requestAttempts'
    | 'review'
  >
>;

/**
 * The sync engine behind the contract: its handlers (merged into the workbench's) and state
 * changes forwarded as `sync.stateChanged`. The engine starts a cycle by itself when the queue
 * commits an outbox row (a submit reaches the hub within moments when online); `queue.changed`
 * (every autosave emits it) starts none. When the queue's counts move (a task opened, finished),
 * the assets lane looks again: the image on screen goes first.
 */
export const createSync = (
  o: CreateSyncOptions,
): { handlers: SyncHandlers; engine: SyncEngine; start(): Promise<void>; stop(): Promise<void> } => {
  const engine = new SyncEngine({
    ...o,
    random: o.random ?? Math.random,
    tokenStore: o.tokenStore ?? fileTokenStore(o.dataDir),
    onState: (state) => o.events.emit('sync.stateChanged', state),
    onAssetReady: (sha256) => o.events.emit('sync.assetReady', { sha256 }),
    onQueueChanged: o.onQueueChanged,
  });
  let lastCounts = '';
  const unsubscribe = o.events.subscribe((event, payload) => {
    if (event !== 'queue.changed') return;
    const { counts } = payload as { counts: QueueCounts };
    // Autosaves change only today's active time: the order of the queue stays as it was.
    const key = `${counts.queued}/${counts.inProgress}/${counts.submitted}/${counts.skipped}`;
    if (key === lastCounts) return;
    lastCounts = key;
    engine.reprioritizeAssets();
  });
  const handlers: SyncHandlers = {
    'sync.state': async () => engine.state(),
    'sync.signIn': (input) => engine.signIn(input.hubUrl, input.token),
    'sync.signOut': () => engine.signOut(),
    'sync.now': () => engine.syncNow(),
    'sync.networkChanged': async (input) => {
      engine.setNetworkOnline(input.online);
      return {};
    },
    'tasks.getMore': (input) => engine.getMore(input),
    'tasks.hubProjects': () => engine.hubProjects(),
    'tasks.release': (input) => engine.release(input.taskId),
    'tasks.refetchImage': (input) => engine.refetchImage(input.taskId),
    // Refused work: the queue writes, then the status bar and dialog hear the new counts.
    'tasks.resubmitRefused': async (input) => {
      const r = await o.queue.resubmitRefused(input.taskId);
      o.onQueueChanged();
      engine.publishState();
      return r;
    },
    'tasks.discardRefused': async (input) => {
      const r = await o.queue.discardRefused(input.taskId);
      o.onQueueChanged();
      engine.publishState();
      return r;
    },
    'tasks.exportSubmission': (input) => o.queue.exportSubmission(input.taskId),
  };
  return {
    handlers,
    engine,
    start: () => engine.start(),
    stop: async () => {
      unsubscribe();
      await engine.stop();
    },
  };
};
