import { z } from 'zod';
import { Task } from '../model';
import { ProjectId, WireId } from './ids';

/** A client-chosen id for one install of the workbench (one device). */
export const DeviceId = WireId(100);

export const LeaseRequest = z.object({
  projectId: ProjectId,
  deviceId: DeviceId,
  /** How many more tasks to lease. */
  count: z.number().int().min(1).max(1000),
  /**
   * The client's id for this request (a fresh uuid each time; retries reuse it). If the answer
   * is lost after the hub committed, a retry with the same id returns the same leases (those
   * still live) instead of leasing more. Optional: without it every request leases anew.
   */
  requestId: WireId(100).optional(),
});
export type LeaseRequest = z.infer<typeof LeaseRequest>;

/**
 * A task leased to one user on one device. `epoch` is the fencing token: it grows each time the
 * task is leased, and a push names the epoch it worked under.
 */
export const Lease = z.object({
  taskId: z.string(),
  projectId: z.string(),
  epoch: z.number().int().positive(),
  deviceId: DeviceId,
  /** Server time, ms since the Unix epoch. */
  expiresAt: z.number().int(),
});
export type Lease = z.infer<typeof Lease>;

export const LeasedTask = Lease.extend({ task: Task });
export type LeasedTask = z.infer<typeof LeasedTask>;

export const LeaseResponse = z.object({
  leases: z.array(LeasedTask),
  serverTime: z.number().int(),
});
export type LeaseResponse = z.infer<typeof LeaseResponse>;

/** `GET /v1/leases/held`: whose leases (the caller's own, on this device). */
export const HeldLeasesQuery = z.object({ deviceId: DeviceId });
export type HeldLeasesQuery = z.infer<typeof HeldLeasesQuery>;

/** How often the workbench's background loop syncs (and so asks the hub to renew its leases). */
export const WORKBENCH_SYNC_INTERVAL_MS = 30_000;
/** A live lease is renewed by a sync at most this often (the hub skips fresher ones). */
export const LEASE_RENEW_AFTER_MS = 60_000;
/**
 * The shortest lease that can be renewed: it must outlast the hub's renewal threshold plus one
 * workbench sync interval, or it expires before any sync renews it (issue 16.6).
 */
export const MIN_LEASE_MS = LEASE_RENEW_AFTER_MS + WORKBENCH_SYNC_INTERVAL_MS;
