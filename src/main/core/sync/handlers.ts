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
  | 'tasks.release';
export type SyncHandlers = Pick<Handlers, SyncMethodName>;

export type CreateSyncOptions = {
  queue: QueueService;
  events: EventBus;
  dataDir: string;
  /** The workbench clock (ms since the epoch). */
  clock: () => number;
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
  >
>;

/**
 * The sync engine behind the contract: its handlers (merged into the workbench's), state changes
 * forwarded as `sync.stateChanged`, and a kick on every local queue change so a submit reaches the
 * hub within moments when online.
 */
export const createSync = (
  o: CreateSyncOptions,
): { handlers: SyncHandlers; engine: SyncEngine; start(): Promise<void>; stop(): Promise<void> } => {
  const engine = new SyncEngine({
    ...o,
    clock: { now: o.clock },
    random: o.random ?? Math.random,
    tokenStore: o.tokenStore ?? fileTokenStore(o.dataDir),
    onState: (state) => o.events.emit('sync.stateChanged', state),
    onAssetReady: (sha256) => o.events.emit('sync.assetReady', { sha256 }),
    onQueueChanged: o.onQueueChanged,
  });
  const unsubscribe = o.events.subscribe((event) => {
    if (event === 'queue.changed') engine.kick();
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
    'tasks.release': (input) => engine.release(input.taskId),
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
