import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { AppError, type EventName, type WorkspaceList } from '../../../shared/contract';
import type { SyncState } from '../../../shared/contract/methods/sync';
import { EventBus } from '../dispatch';
import { fileTokenStore, type TokenStore } from '../sync/token-store';
import { openWorkbenchInternals, type OpenWorkbenchOptions, type WorkbenchInternals } from '../workbench';
import { migrateLegacyDataFolder } from './migrate';
import {
  hubEntry,
  isDemoHubUrl,
  LOCAL_WORKSPACE_ID,
  localEntry,
  normalizeHubUrl,
  readRegistry,
  WORKSPACES_DIR,
  workspaceFolder,
  writeRegistry,
  type Registry,
  type WorkspaceEntry,
} from './registry';
import { outstandingWork, summarize } from './summary';

export type OpenWorkspacesOptions = Omit<OpenWorkbenchOptions, 'tokenStore'> & {
  /** Where a workspace keeps its hub token (Electron: safeStorage); default a file in its folder. */
  tokenStoreFor?: (folder: string) => TokenStore;
  /** Tasks leased right after signing in to a hub whose queue is empty (default 20). */
  firstLease?: number;
  log?: (message: string) => void;
};

type OpenWorkspace = { entry: WorkspaceEntry; wb: WorkbenchInternals; off: () => void };

/** How long a burst of per-workspace changes is gathered into one `workspaces.changed`. */
const LIST_CHANGED_DELAY_MS = 100;
/** How long signing out waits for the hub to take its leases back. */
const RELEASE_WAIT_MS = 5_000;

/**
 * The workspaces of one data folder: each opened with its own database, assets, queue and sync
 * engine (all signed-in hubs keep syncing, not only the active one); the contract's task and
 * sync methods and their events go to and come from the active one. Changes to the list are
 * serialized, and the registry file is written before anything is removed.
 */
export class WorkspaceManager {
  readonly events = new EventBus();
  private readonly opened = new Map<string, OpenWorkspace>();
  private readonly activeListeners = new Set<(entry: WorkspaceEntry) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private listTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    private readonly o: OpenWorkspacesOptions,
    private registry: Registry,
  ) {}

  static async open(o: OpenWorkspacesOptions): Promise<WorkspaceManager> {
    const dataDir = path.resolve(o.dataDir);
    const clock = o.clock ?? Date.now;
    migrateLegacyDataFolder(dataDir, {
      clock,
      ...(o.nativeBinding ? { nativeBinding: o.nativeBinding } : {}),
    });
    let registry = readRegistry(dataDir);
    if (!registry) {
      registry = { version: 1, activeId: LOCAL_WORKSPACE_ID, workspaces: [localEntry(clock())] };
      writeRegistry(dataDir, registry);
    }
    removeOrphanFolders(dataDir, registry);
    const m = new WorkspaceManager({ ...o, dataDir }, registry);
    try {
      for (const entry of registry.workspaces) await m.openOne(entry);
    } catch (e) {
      await m.close();
      throw e;
    }
    return m;
  }

  get dataDir(): string {
    return this.o.dataDir;
  }

  get activeId(): string {
    return this.registry.activeId;
  }

  entries(): readonly WorkspaceEntry[] {
    return this.registry.workspaces;
  }

  /** The active workspace's internals (tests, and the routing in ./routes.ts). */
  active(): WorkbenchInternals {
    const w = this.opened.get(this.registry.activeId);
    if (!w) throw new AppError('INTERNAL', 'the workbench is closed');
    return w.wb;
  }

  /** A workspace's internals by id (tests, benches, the demo hub supervisor). */
  workspace(id: string): WorkbenchInternals | null {
    return this.opened.get(id)?.wb ?? null;
  }

  /** Called after every switch (the demo hub runs only while its workspace is in use). */
  onActiveChanged(listener: (entry: WorkspaceEntry) => void): () => void {
    this.activeListeners.add(listener);
    return () => this.activeListeners.delete(listener);
  }

  async list(): Promise<WorkspaceList> {
    const workspaces = [];
    for (const entry of this.registry.workspaces) {
      const w = this.opened.get(entry.id);
      if (w) workspaces.push(await summarize(entry, w.wb, entry.id === this.registry.activeId));
    }
    return { activeId: this.registry.activeId, workspaces };
  }

  switchTo(id: string): Promise<WorkspaceList> {
    return this.serial(async () => {
      const entry = this.entry(id);
      if (entry.id !== this.registry.activeId) this.activate(entry);
      return this.list();
    });
  }

  /**
   * Signs in to a hub in its own workspace: re-opens the one already there for that URL or
   * creates it (removed again if the hub refuses), makes it active and, when its queue is empty,
   * leases a first batch so the queue has work to offer at once.
   */
  signIn(hubUrl: string, token: string): Promise<SyncState> {
    return this.serial(async () => {
      const url = normalizeHubUrl(hubUrl);
      let entry = this.registry.workspaces.find((w) => w.hubUrl === url);
      const created = !entry;
      entry ??= hubEntry(url, isDemoHubUrl(this.o.dataDir, url), (this.o.clock ?? Date.now)());
      const w = created ? await this.openOne(entry) : this.opened.get(entry.id)!;
      try {
        await w.wb.handlers['sync.signIn']({ hubUrl: url, token });
      } catch (e) {
        if (created) await this.dispose(entry);
        throw e;
      }
      if (created) this.write({ ...this.registry, workspaces: [...this.registry.workspaces, entry] });
      this.activate(entry);
      await this.leaseFirstBatch(w.wb);
      return w.wb.sync.state();
    });
  }

  /**
   * Signs out of a hub and removes its workspace. Refused while work is on no hub yet unless
   * `discard.count` is exactly the number that would be lost (what the person confirmed).
   */
  signOut(id: string, discard?: { count: number }): Promise<{ lost: number; list: WorkspaceList }> {
    return this.serial(async () => {
      const entry = this.entry(id);
      if (entry.kind === 'local')
        throw new AppError('INVALID_INPUT', 'the local workspace has no hub to sign out of', 'workspaceId');
      const w = this.opened.get(entry.id)!;
      const out = outstandingWork(w.wb);
      if (out.total > 0 && discard?.count !== out.total) {
        throw new AppError(
          'CONFLICT',
          `${out.total} ${out.total === 1 ? 'item' : 'items'} of work in ${entry.name} ${
            out.total === 1 ? 'is' : 'are'
          } on no hub yet (${out.unsynced} waiting to send, ${out.refused} refused, ${out.drafts} drafts): ` +
            `let them sync first, or confirm that all ${out.total} will be lost.`,
        );
      }
      await this.releaseLeases(w.wb);
      await w.wb.handlers['sync.signOut']({}).catch(() => {});
      // The registry forgets it first: a crash before the folder is gone leaves an orphan
      // folder that the next start removes, never a listed workspace without its data.
      const wasActive = this.registry.activeId === entry.id;
      this.write({
        ...this.registry,
        activeId: wasActive ? LOCAL_WORKSPACE_ID : this.registry.activeId,
        workspaces: this.registry.workspaces.filter((e) => e.id !== entry.id),
      });
      await this.dispose(entry);
      if (wasActive) this.activate(this.entry(LOCAL_WORKSPACE_ID), false);
      else this.listChanged();
      return { lost: out.total, list: await this.list() };
    });
  }

  /** Tells every workspace's sync engine what the OS says about the network. */
  networkChanged(online: boolean): void {
    for (const w of this.opened.values()) w.wb.sync.setNetworkOnline(online);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.listTimer) clearTimeout(this.listTimer);
    await this.queue.catch(() => {});
    for (const w of [...this.opened.values()]) {
      w.off();
      await w.wb.close();
    }
    this.opened.clear();
  }

  private entry(id: string): WorkspaceEntry {
    const entry = this.registry.workspaces.find((w) => w.id === id);
    if (!entry) throw new AppError('NOT_FOUND', `no workspace "${id}"`, 'workspaceId');
    return entry;
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => {});
    return next;
  }

  private write(registry: Registry): void {
    writeRegistry(this.o.dataDir, registry);
    this.registry = registry;
  }

  /** Makes `entry` active and tells the renderer everything it shows has changed. */
  private activate(entry: WorkspaceEntry, persist = true): void {
    if (persist) this.write({ ...this.registry, activeId: entry.id });
    const wb = this.opened.get(entry.id)!.wb;
    for (const l of this.activeListeners) l(entry);
    void wb.queue.counts().then(
      (counts) => !this.closed && this.events.emit('queue.changed', { counts }),
      () => {},
    );
    this.events.emit('sync.stateChanged', wb.sync.state());
    this.listChanged();
  }

  /**
   * Gives the hub back every open lease of a workspace being signed out of, so others can take
   * those tasks now rather than when the leases end. Best effort, a few seconds at most: an
   * unreachable hub lets the leases run out instead (the person's work was counted before).
   */
  private async releaseLeases(wb: WorkbenchInternals): Promise<void> {
    if (wb.sync.state().status === 'signed-out') return;
    const open = await wb.queue.list({ status: ['queued', 'in_progress'], limit: 1_000_000, offset: 0 });
    let released = 0;
    for (const t of open.items) {
      if (t.leaseExpiresAt === null) continue;
      try {
        await wb.handlers['tasks.release']({ taskId: t.id });
        released++;
      } catch {
        // Not releasable here (already ended): its lease simply runs out.
      }
    }
    if (released === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      wb.sync.syncNow().catch(() => {}),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, RELEASE_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }

  private async leaseFirstBatch(wb: WorkbenchInternals): Promise<void> {
    const counts = await wb.queue.counts();
    if (counts.queued + counts.inProgress > 0 || (this.o.firstLease ?? 20) === 0) return;
    try {
      await wb.handlers['tasks.getMore']({ count: this.o.firstLease ?? 20 });
    } catch (e) {
      // Signed in all the same: "Get more" is there to try again.
      this.o.log?.(`leasing a first batch failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async openOne(entry: WorkspaceEntry): Promise<OpenWorkspace> {
    const folder = workspaceFolder(this.o.dataDir, entry);
    const { tokenStoreFor, firstLease: _firstLease, log: _log, ...base } = this.o;
    const wb = await openWorkbenchInternals({
      ...base,
      dataDir: folder,
      // The demo seed belongs to the local workspace; a hub's tasks come from the hub.
      seedDemo: entry.kind === 'local' && (this.o.seedDemo ?? true),
      tokenStore: (tokenStoreFor ?? fileTokenStore)(folder),
    });
    const off = wb.events.subscribe((event, payload) => {
      if (this.closed) return;
      if (entry.id === this.registry.activeId) this.events.emit(event as EventName, payload as never);
      if (event === 'sync.stateChanged' || event === 'queue.changed') this.listChanged();
    });
    const w = { entry, wb, off };
    this.opened.set(entry.id, w);
    return w;
  }

  /** Closes a workspace and deletes its folder (its database, images and token). */
  private async dispose(entry: WorkspaceEntry): Promise<void> {
    const w = this.opened.get(entry.id);
    this.opened.delete(entry.id);
    if (w) {
      w.off();
      await w.wb.close();
    }
    rmSync(workspaceFolder(this.o.dataDir, entry), { recursive: true, force: true });
  }

  private listChanged(): void {
    if (this.listTimer || this.closed) return;
    this.listTimer = setTimeout(() => {
      this.listTimer = null;
      if (this.closed) return;
      void this.list().then(
        (list) => !this.closed && this.events.emit('workspaces.changed', list),
        () => {},
      );
    }, LIST_CHANGED_DELAY_MS);
    this.listTimer.unref?.();
  }
}

/**
 * A hub workspace's folder the registry does not list: a sign-out that crashed before deleting
 * it, or a first sign-in that crashed before listing it. Client data does not linger.
 */
const removeOrphanFolders = (dataDir: string, registry: Registry): void => {
  const root = path.join(dataDir, WORKSPACES_DIR);
  if (!existsSync(root)) return;
  const listed = new Set(registry.workspaces.map((w) => path.resolve(workspaceFolder(dataDir, w))));
  for (const name of readdirSync(root)) {
    const dir = path.resolve(root, name);
    if (/^hub-[a-z0-9-]+$/.test(name) && !listed.has(dir)) rmSync(dir, { recursive: true, force: true });
  }
};
