import { leaseSetDigest, type FeedEvent, type PullResponse } from '../../../shared/sync';
import type { HubTasks, LeaseRow } from '../queue/hub-tasks';
import type { QueueService } from '../queue/service';
import type { HubApi } from './hub-api';
import type { LeaseId, SyncStore } from './store';

export type PullReport = {
  events: number;
  revoked: number;
  renewed: number;
  configChanged: number;
  /** Requests made, and of them how many carried the full lease list. */
  requests: number;
  fullLeaseLists: number;
};

/**
 * Reads the change feed from the stored cursor and applies each page in one local transaction
 * together with the new cursor, so a crash mid-pull re-applies nothing twice and skips nothing.
 *
 * Leases go as a delta (protocol 1.1): the hub lists only new grants and describes the rest
 * by a digest and per-project expiry; ended leases arrive as feed events. When the digest
 * differs from ours (a lease granted while we asked, a lost event), one more request takes the
 * full list and reconciles as before. A 1.0 hub always answers with the full list.
 */
export const pullFeed = async (
  api: HubApi,
  queue: QueueService,
  store: SyncStore,
  deviceId: string,
  now: () => number,
  pageSize = 10_000,
  /** Review events (rework, ended review leases), applied in each page's transaction. */
  onEvents?: (events: readonly FeedEvent[], serverTime: number, at: number) => void,
): Promise<PullReport> => {
  const report: PullReport = {
    events: 0,
    revoked: 0,
    renewed: 0,
    configChanged: 0,
    requests: 0,
    fullLeaseLists: 0,
  };
  const { hub } = queue;
  let mode: 'delta' | 'full' = 'delta';
  for (let page = 0; page < 10_000; page++) {
    // The leases held before asking: the hub's list can only speak for these (a lease granted
    // while the request is out is missing from a list the hub made before granting it).
    const asked = new Set(hub.leases().map((l) => leaseKey(l.id, l.hub_lease_epoch)));
    const res = await api.pull({
      cursor: store.meta('cursor') ?? '0',
      limit: pageSize,
      deviceId,
      leases: mode,
      leasesSince: mode === 'delta' ? (store.meta('leaseMark') ?? undefined) : undefined,
    });
    report.requests++;
    let agreed = true;
    queue.transaction(() => {
      for (const e of res.events) applyEvent(e, hub, store, now(), report);
      onEvents?.(res.events, res.serverTime, now());
      // The lease list is the same on every page; reconcile once, with the last.
      if (!res.hasMore) {
        if (res.leaseMode === 'delta') {
          agreed = applyLeaseDelta(res, hub, now(), report, orphansAfter(store, res.events));
          if (res.leaseMark !== undefined) store.setMeta('leaseMark', res.leaseMark);
        } else {
          report.fullLeaseLists++;
          reconcileLeases(res, hub, deviceId, now(), report, asked);
          rememberOrphans(res, hub, store, deviceId);
        }
      }
      store.setMeta('cursor', res.cursor);
    });
    report.events += res.events.length;
    if (res.hasMore) continue;
    if (agreed || mode === 'full') break;
    mode = 'full';
  }
  return report;
};

/**
 * A delta answer: our live leases are renewed to their project's expiry, tasks we finished
 * (and the hub acknowledged) lose their lease as a full list would have ended it, and the
 * digest of what is left must be the hub's. Returns false when it is not.
 */
const applyLeaseDelta = (
  res: PullResponse,
  hub: HubTasks,
  localNow: number,
  report: PullReport,
  orphans: readonly LeaseId[],
): boolean => {
  const skew = res.serverTime - localNow;
  const pending = hub.pendingTaskIds();
  const live: LeaseId[] = [...orphans];
  for (const t of hub.leases()) {
    const open = t.status === 'queued' || t.status === 'in_progress';
    if (!pending.has(t.id) && !open) {
      // Finished and acknowledged: the hub ended this lease with our own push.
      endLease(hub, t, localNow, report);
      continue;
    }
    // An unfinished task whose lease ended while the annotator was on it (kept-work) stays out.
    if (!pending.has(t.id) && t.lease_expires_at <= localNow) continue;
    live.push({ taskId: t.id, epoch: t.hub_lease_epoch });
    const until = res.leaseExpiry?.[t.project_id];
    if (until !== undefined) {
      hub.renewLease(t.id, t.hub_lease_epoch, until - skew);
      report.renewed++;
    }
  }
  return res.leaseDigest === undefined || res.leaseDigest === leaseSetDigest(live);
};

const leaseKey = (taskId: string, epoch: number) => `${epoch}:${taskId}`;

/**
 * Leases of this device the hub holds and we do not (a lease answer lost for good, a task
 * deleted here): they count in the hub's digest, so they count in ours, until the hub ends
 * them (feed) or a later full list no longer has them.
 */
const rememberOrphans = (res: PullResponse, hub: HubTasks, store: SyncStore, deviceId: string): void => {
  const held = new Set(hub.leases().map((l) => leaseKey(l.id, l.hub_lease_epoch)));
  const orphans = res.leases
    .filter((l) => l.deviceId === deviceId && !held.has(leaseKey(l.taskId, l.epoch)))
    .map((l): LeaseId => ({ taskId: l.taskId, epoch: l.epoch }));
  store.setLeaseOrphans(orphans);
};

/** The remembered orphans, less those this page's events ended. */
const orphansAfter = (store: SyncStore, events: readonly FeedEvent[]): LeaseId[] => {
  const parsed = store.leaseOrphans();
  if (parsed.length === 0) return [];
  const ended = new Set(
    events.flatMap((e) => (e.kind === 'lease.revoked' ? [leaseKey(e.taskId, e.epoch)] : [])),
  );
  const left = parsed.filter((o) => !ended.has(leaseKey(o.taskId, o.epoch)));
  if (left.length !== parsed.length) store.setLeaseOrphans(left);
  return left;
};

/**
 * The hub ended this lease. A task kept for the annotator's work on it (see `HubTasks.dropLease`)
 * comes through here on every later pull; it counts as revoked once.
 */
const endLease = (hub: HubTasks, l: LeaseRow, now: number, report: PullReport): void => {
  const wasLive = l.lease_expires_at > now;
  if (hub.dropLease(l.id, { keepWorkAt: now }) !== 'kept-work' || wasLive) report.revoked++;
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
