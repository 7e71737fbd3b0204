import type { FeedEvent, PullResponse } from '../../../shared/sync';
import type { HubTasks, LeaseRow } from '../queue/hub-tasks';
import type { QueueService } from '../queue/service';
import type { HubApi } from './hub-api';
import type { SyncStore } from './store';

export type PullReport = { events: number; revoked: number; renewed: number; configChanged: number };

/**
 * Reads the change feed from the stored cursor and applies each page in one local transaction
 * together with the new cursor, so a crash mid-pull re-applies nothing twice and skips nothing.
 */
export const pullFeed = async (
  api: HubApi,
  queue: QueueService,
  store: SyncStore,
  deviceId: string,
  now: () => number,
  pageSize = 10_000,
): Promise<PullReport> => {
  const report: PullReport = { events: 0, revoked: 0, renewed: 0, configChanged: 0 };
  const { hub } = queue;
  for (let page = 0; page < 10_000; page++) {
    // The leases held before asking: the hub's list can only speak for these (a lease granted
    // while the request is out is missing from a list the hub made before granting it).
    const asked = new Set(hub.leases().map((l) => leaseKey(l.id, l.hub_lease_epoch)));
    const res = await api.pull({ cursor: store.meta('cursor') ?? '0', limit: pageSize, deviceId });
    queue.transaction(() => {
      for (const e of res.events) applyEvent(e, hub, store, now(), report);
      // The lease list is the same on every page; reconcile once, with the last.
      if (!res.hasMore) reconcileLeases(res, hub, deviceId, now(), report, asked);
      store.setMeta('cursor', res.cursor);
    });
    report.events += res.events.length;
    if (!res.hasMore) break;
  }
  return report;
};

const leaseKey = (taskId: string, epoch: number) => `${epoch}:${taskId}`;

/**
 * The hub ended this lease. A task kept for the draft work on it (see `HubTasks.dropLease`)
 * comes through here on every later pull; it counts as revoked once.
 */
const endLease = (hub: HubTasks, l: LeaseRow, now: number, report: PullReport): void => {
  const wasLive = l.lease_expires_at > now;
  if (hub.dropLease(l.id, { keepDraftAt: now }) !== 'kept-draft' || wasLive) report.revoked++;
};

const applyEvent = (e: FeedEvent, hub: HubTasks, store: SyncStore, at: number, report: PullReport): void => {
  switch (e.kind) {
    case 'lease.revoked': {
      const local = hub.lease(e.taskId);
      if (local && local.hub_lease_epoch === e.epoch) endLease(hub, local, at, report);
      break;
    }
    case 'config.changed':
      if (hub.hasProject(e.projectId)) {
        hub.setLabelConfig(e.projectId, e.labelConfig);
        report.configChanged++;
      }
      break;
    case 'submission.conflict':
      store.addConflict({
        mutationId: e.mutationId,
        taskId: e.taskId,
        kind: 'conflict',
        mutationKind: 'submit',
        reason: null,
        at,
      });
      break;
    case 'lease.granted':
      // Tasks arrive with their lease answer; the lease list below renews what we hold.
      break;
  }
};

/**
 * The hub's list of live leases is the truth: ours are renewed to its expiry (converted to the
 * local clock through the server time, so a skewed laptop clock changes nothing), and a local
 * lease the hub no longer lists has ended — if we held it when we asked (see `asked`).
 */
const reconcileLeases = (
  res: PullResponse,
  hub: HubTasks,
  deviceId: string,
  localNow: number,
  report: PullReport,
  asked: ReadonlySet<string>,
): void => {
  const skew = res.serverTime - localNow;
  const live = new Map(res.leases.filter((l) => l.deviceId === deviceId).map((l) => [l.taskId, l]));
  for (const t of hub.leases()) {
    const l = live.get(t.id);
    if (l && l.epoch === t.hub_lease_epoch) {
      hub.renewLease(t.id, l.epoch, l.expiresAt - skew);
      report.renewed++;
    } else if (asked.has(leaseKey(t.id, t.hub_lease_epoch))) {
      endLease(hub, t, localNow, report);
    }
  }
};
