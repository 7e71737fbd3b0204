import { z } from 'zod';
import { LabelConfig } from '../model';
import { DeviceId, Lease } from './lease';
import { ReviewComment } from './review';

/** Kinds of change-feed events; the review ones came with protocol 1.1. */
export const FeedEventKind = z.enum([
  'lease.granted',
  'lease.revoked',
  'config.changed',
  'submission.conflict',
  'review.rejected',
  'review.revoked',
]);
/**
 * Event kinds a client older than REVIEW_SINCE does not know: the hub leaves them out of its
 * pulls (their seqs are still passed, so its cursor moves on). Such a client still gets the
 * rework lease itself as `lease.granted`.
 */
export const REVIEW_FEED_KINDS: ReadonlySet<string> = new Set(['review.rejected', 'review.revoked']);
export type FeedEventKind = z.infer<typeof FeedEventKind>;

export const RevokeReason = z.enum(['expired', 'completed', 'released', 'admin']);

const common = {
  /** Per-user sequence; the cursor is the last seq a client has seen. */
  seq: z.number().int().positive(),
  projectId: z.string(),
  at: z.number().int(),
};

export const FeedEvent = z.discriminatedUnion('kind', [
  z.object({
    ...common,
    kind: z.literal('lease.granted'),
    taskId: z.string(),
    epoch: z.number().int(),
    deviceId: DeviceId,
    expiresAt: z.number().int(),
  }),
  z.object({
    ...common,
    kind: z.literal('lease.revoked'),
    taskId: z.string(),
    epoch: z.number().int(),
    reason: RevokeReason,
  }),
  z.object({
    ...common,
    kind: z.literal('config.changed'),
    configVersion: z.number().int(),
    labelConfig: LabelConfig,
  }),
  z.object({ ...common, kind: z.literal('submission.conflict'), taskId: z.string(), mutationId: z.string() }),
  /**
   * The user's submission was rejected: the task is leased back to them (`epoch`, `expiresAt`,
   * also sent as `lease.granted`) with the reviewer's reason, note and pinned comments.
   */
  z.object({
    ...common,
    kind: z.literal('review.rejected'),
    taskId: z.string(),
    submissionId: z.string(),
    verdictId: z.string(),
    reviewerId: z.string(),
    epoch: z.number().int(),
    expiresAt: z.number().int(),
    reason: z.string(),
    note: z.string().optional(),
    comments: z.array(ReviewComment),
  }),
  /** A review lease ended before a verdict: the version under review was replaced. */
  z.object({
    ...common,
    kind: z.literal('review.revoked'),
    taskId: z.string(),
    submissionId: z.string(),
    epoch: z.number().int(),
    reason: z.literal('superseded'),
  }),
]);
export type FeedEvent = z.infer<typeof FeedEvent>;

export const PullQuery = z.object({
  /** Opaque to clients: pass back what the last pull returned ("0" to start). */
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'cursor must be a decimal string')
    .default('0'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  deviceId: DeviceId.optional(),
  /**
   * Since 1.1. `delta` (with `deviceId`): the answer lists only leases granted after
   * `leasesSince` and describes the rest by `leaseDigest` and `leaseExpiry`; the device's own
   * `lease.granted` events are left out (it had them with its lease answer). Without it (1.0
   * clients), or from a 1.0 hub, the full list comes as before.
   */
  leases: z.enum(['full', 'delta']).optional(),
  /** The `leaseMark` of the previous answer. */
  leasesSince: z
    .string()
    .regex(/^\d{1,15}$/, 'leasesSince must be a decimal string')
    .optional(),
});
export type PullQuery = z.infer<typeof PullQuery>;

export const PullResponse = z.object({
  events: z.array(FeedEvent),
  cursor: z.string(),
  hasMore: z.boolean(),
  /**
   * The user's current leases (renewed by this pull), so a client can reconcile in one step; with
   * `leaseMode: 'delta'` only this device's leases granted after `leasesSince`.
   */
  leases: z.array(Lease),
  serverTime: z.number().int(),
  /** Since 1.1; absent from a 1.0 hub, which always sends the full list. */
  leaseMode: z.enum(['full', 'delta']).optional(),
  /** Delta: `leaseSetDigest` of this device's live leases (all of them, not just the listed). */
  leaseDigest: z.string().optional(),
  /** Delta: per project, the earliest expiry (server time) among this device's live leases. */
  leaseExpiry: z.record(z.string(), z.number().int()).optional(),
  /** Delta: pass back as `leasesSince` next time. */
  leaseMark: z.string().optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;
