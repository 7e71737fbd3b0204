import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../shared/clock';
import type { Project } from '../../../shared/model';
import type { LeaseResponse, ProjectInfo } from '../../../shared/sync';
import type { QueueService } from '../queue/service';
import { taskTitle } from '../../../shared/model/task-title';
import type { HubApi } from './hub-api';
import { HttpStatusError } from './http';
import type { LeaseRequests } from './lease-requests';
import type { SyncStore } from './store';

/**
 * A stored request older than this is not replayed: if the hub granted it, its leases are in
 * the hub's list of this device's leases and are adopted from there (`adoptHeldLeases`); if the
 * hub never saw it, leasing tasks nobody is waiting for any more would only surprise.
 */
export const LEASE_REPLAY_MAX_AGE_MS = 10 * 60_000;

export interface LeasingDeps {
  api: HubApi;
  queue: QueueService;
  store: SyncStore;
  requests: LeaseRequests;
  deviceId: string;
  clock: Clock;
}

/** The project as the local queue stores it. */
const localProject = (p: ProjectInfo): Project => ({
  id: p.id,
  name: p.name,
  kind: p.kind,
  labelConfig: p.labelConfig,
  leaseHours: p.leaseHours,
  overlap: p.overlap,
});

/**
 * Stores a lease answer's tasks (with the projects they need) and forgets the request that
 * asked for it, in one transaction. Returns how many leases it carried.
 */
const applyAnswer = (
  d: LeasingDeps,
  projects: readonly ProjectInfo[],
  res: LeaseResponse,
  requestId: string | null,
): number => {
  const at = d.clock();
  const skew = res.serverTime - at;
  const { hub } = d.queue;
  d.queue.transaction(() => {
    hub.addLeased(
      projects.filter((p) => !hub.hasProject(p.id)).map(localProject),
      res.leases.map((l) => ({
        task: l.task,
        title: taskTitle(l.task.data),
        hubTaskId: l.taskId,
        epoch: l.epoch,
        expiresAt: l.expiresAt - skew,
      })),
      at,
    );
    if (requestId !== null) d.requests.remove(requestId);
  });
  return res.leases.length;
};

/**
 * Leases up to `count` more tasks of `project`. The request id is stored before the request
 * leaves, so an answer that never arrives is replayed (same id, same leases) by the next cycle
 * or the next start.
 */
export const requestLeases = async (d: LeasingDeps, project: ProjectInfo, count: number): Promise<number> => {
  const requestId = randomUUID();
  d.requests.add({ requestId, projectId: project.id, count, createdAt: d.clock() });
  const res = await d.api.lease({ projectId: project.id, deviceId: d.deviceId, count, requestId });
  return applyAnswer(d, [project], res, requestId);
};

/** A hub answer that will not change on a retry (the project is gone, the role was taken away). */
const refusedForGood = (e: unknown): boolean =>
  e instanceof HttpStatusError && e.status >= 400 && e.status < 500 && ![408, 425, 429].includes(e.status);

/** The projects of `ids` the local queue lacks, from the hub; those it refuses are left out. */
const missingProjects = async (d: LeasingDeps, ids: Iterable<string>): Promise<Map<string, ProjectInfo>> => {
  const out = new Map<string, ProjectInfo>();
  for (const id of new Set(ids)) {
    if (d.queue.hub.hasProject(id)) continue;
    try {
      out.set(id, await d.api.project(id));
    } catch (e) {
      if (!refusedForGood(e)) throw e;
    }
  }
  return out;
};

/**
 * Sends again each stored lease request whose answer was lost (a network failure, a crash):
 * the hub answers a request id it has seen with the leases that request granted, still live.
 * Returns how many leases were stored. A network failure leaves the rest for the next cycle.
 */
export const replayLeaseRequests = async (d: LeasingDeps): Promise<number> => {
  let stored = 0;
  for (const r of d.requests.pending()) {
    if (d.clock() - r.createdAt > LEASE_REPLAY_MAX_AGE_MS) {
      d.requests.remove(r.requestId);
      continue;
    }
    let res: LeaseResponse;
    try {
      res = await d.api.lease({
        projectId: r.projectId,
        deviceId: d.deviceId,
        count: r.count,
        requestId: r.requestId,
      });
    } catch (e) {
      if (!refusedForGood(e)) throw e;
      d.requests.remove(r.requestId);
      continue;
    }
    const projects = await missingProjects(d, [r.projectId]);
    stored += applyAnswer(d, [...projects.values()], res, r.requestId);
  }
  return stored;
};

type LeaseKey = string;
const keyOf = (taskId: string, epoch: number): LeaseKey => `${epoch}:${taskId}`;

/**
 * Leases the hub holds for this device that the workbench does not (the last pull remembered
 * them as orphans): their tasks come back into the queue, so no lease is renewed by our own
 * syncs while nobody can work on it. A task the workbench still has unsent or finished work on
 * is left alone (the outbox will end that lease). Returns how many tasks were adopted.
 */
export const adoptHeldLeases = async (d: LeasingDeps): Promise<number> => {
  const orphans = new Map(d.store.leaseOrphans().map((o) => [keyOf(o.taskId, o.epoch), o]));
  if (orphans.size === 0) return 0;
  let res: LeaseResponse;
  try {
    res = await d.api.heldLeases(d.deviceId);
  } catch (e) {
    // A hub older than this route: its leases expire on their own, as before.
    if (e instanceof HttpStatusError && e.status === 404) return 0;
    throw e;
  }
  const { hub } = d.queue;
  const pending = hub.pendingTaskIds();
  const held = new Set(hub.leases().map((l) => keyOf(l.id, l.hub_lease_epoch)));
  const candidates = res.leases.filter(
    (l) =>
      orphans.has(keyOf(l.taskId, l.epoch)) &&
      !held.has(keyOf(l.taskId, l.epoch)) &&
      !pending.has(l.taskId) &&
      !hub.hasTask(l.task.id),
  );
  const projects = await missingProjects(
    d,
    candidates.map((l) => l.projectId),
  );
  const adoptable = candidates.filter((l) => hub.hasProject(l.projectId) || projects.has(l.projectId));
  if (adoptable.length === 0) return 0;
  const adopted = new Set(adoptable.map((l) => keyOf(l.taskId, l.epoch)));
  applyAnswer(d, [...projects.values()], { leases: adoptable, serverTime: res.serverTime }, null);
  // Held now: they count in the digest as our own leases, no longer as orphans.
  d.store.setLeaseOrphans([...orphans.values()].filter((o) => !adopted.has(keyOf(o.taskId, o.epoch))));
  return adoptable.length;
};
