import { methodNames, type MethodName } from '../../../shared/contract';
import { createDispatcher, type Dispatch, type EventBus, type Handlers } from '../dispatch';
import { WorkspaceManager, type OpenWorkspacesOptions } from './manager';

export { WorkspaceManager, type OpenWorkspacesOptions } from './manager';
export { LOCAL_WORKSPACE_ID, normalizeHubUrl } from './registry';

/** What every host serves: the contract over the data folder's workspaces. */
export type Workspaces = {
  dispatch: Dispatch;
  events: EventBus;
  handlers: Handlers;
  /** Images of the active workspace. */
  assets: { path(sha256: string): string | null };
  manager: WorkspaceManager;
  /** Sleep or wake, screen lock or unlock (Electron's powerMonitor): the active workspace's recorder. */
  recordPower(kind: 'suspend' | 'resume'): void;
  close(): Promise<void>;
};

/**
 * Opens a data folder's workspaces (moving a folder from before workspaces into its workspace
 * first) and answers the whole contract: `workspaces.*` and `sync.signIn` by the manager,
 * `sync.networkChanged` for every workspace, everything else by the active workspace.
 */
export const openWorkspaces = async (opts: OpenWorkspacesOptions): Promise<Workspaces> => {
  const manager = await WorkspaceManager.open(opts);
  const routed = Object.fromEntries(
    methodNames.map((m: MethodName) => [
      m,
      (input: unknown) =>
        (manager.active().handlers as unknown as Record<string, (i: unknown) => Promise<unknown>>)[m]!(input),
    ]),
  ) as unknown as Handlers;
  const handlers: Handlers = {
    ...routed,
    // The data folder the person chose, not one workspace's folder inside it.
    'app.info': async (input) => ({
      ...(await manager.active().handlers['app.info'](input)),
      dataDir: manager.dataDir,
    }),
    'sync.signIn': (input) => manager.signIn(input.hubUrl, input.token),
    'sync.networkChanged': async (input) => {
      manager.networkChanged(input.online);
      return {};
    },
    'workspaces.list': () => manager.list(),
    'workspaces.switch': (input) => manager.switchTo(input.workspaceId),
    'workspaces.signOut': (input) => manager.signOut(input.workspaceId, input.discard),
  };
  return {
    dispatch: createDispatcher(handlers, {
      onInternalError: (method, e) => {
        if (opts.mode !== 'test') console.error(`[outrigger] ${method} failed:`, e);
      },
    }),
    events: manager.events,
    handlers,
    assets: { path: (sha256) => manager.active().assetStore.path(sha256) },
    manager,
    recordPower: (kind) => manager.active().queue.recordPower(kind),
    close: () => manager.close(),
  };
};
