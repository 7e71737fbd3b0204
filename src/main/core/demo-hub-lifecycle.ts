import { WorkspaceList } from '../../shared/contract/methods/workspaces';
import type { DemoHub } from './demo-hub';
import type { Dispatch, EventBus } from './dispatch';

export interface DemoHubLifecycle {
  /** The running hub, or null while another workspace is in use. */
  current(): DemoHub | null;
  /** Waits for a start or stop under way, then stops the hub. */
  close(): Promise<void>;
}

/**
 * Runs the embedded demo hub only while its workspace is the one in use (or while no demo
 * workspace exists yet): switching to another hub stops it, switching back starts it again and
 * syncs at once. It listens to `workspaces.changed` and acts through the contract only, so every
 * host composes it the same way. Starts and stops run one at a time.
 */
export const manageDemoHub = (o: {
  /** The hub the host started before opening the workbench (null if it could not start). */
  first: DemoHub | null;
  start: () => Promise<DemoHub>;
  dispatch: Dispatch;
  events: Pick<EventBus, 'subscribe'>;
  log: (message: string) => void;
}): DemoHubLifecycle => {
  let hub = o.first;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;
  const watchExit = (h: DemoHub) =>
    h.onExit((code) => {
      o.log(`the demo hub stopped (code ${String(code)}); working offline`);
      if (hub === h) hub = null;
    });
  if (hub) watchExit(hub);

  const reconcile = async (list: WorkspaceList): Promise<void> => {
    if (closed) return;
    const demo = list.workspaces.find((w) => w.demo);
    const wanted = !demo || demo.active;
    if (!wanted && hub) {
      const h = hub;
      hub = null;
      await h.close();
      o.log('the demo hub stopped: another workspace is in use');
    } else if (wanted && !hub && demo) {
      const h = await o.start();
      if (closed) return void (await h.close());
      hub = h;
      watchExit(h);
      o.log(`the demo hub is back on ${h.url}`);
      // Its workspace waited offline (backing off): sync now, not after the next pause.
      await o.dispatch('sync.now', {});
    }
  };
  const enqueue = (list: WorkspaceList) => {
    chain = chain
      .then(() => reconcile(list))
      .catch((e: unknown) => o.log(`the demo hub: ${e instanceof Error ? e.message : String(e)}`));
  };
  const off = o.events.subscribe((event, payload) => {
    if (event !== 'workspaces.changed') return;
    const list = WorkspaceList.safeParse(payload);
    if (list.success) enqueue(list.data);
    else
      o.log(
        `the demo hub: unreadable workspace list (${list.error.issues[0]?.path.join('.') ?? '?'}: ${list.error.issues[0]?.message ?? ''})`,
      );
  });
  // The person may have left another workspace in use last time: the hub stops at once then.
  void o.dispatch('workspaces.list', {}).then((r) => {
    const list = r.ok ? WorkspaceList.safeParse(r.value) : null;
    if (list?.success) enqueue(list.data);
  });
  return {
    current: () => hub,
    async close() {
      off();
      await chain;
      closed = true;
      const h = hub;
      hub = null;
      await h?.close();
    },
  };
};
