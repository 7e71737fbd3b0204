import { z } from 'zod';
import { Annotation } from '../model';
import { TaskId, WireId } from './ids';
import { AcceptPayload, fixPayloadOf, RejectPayload } from './review';

export const ClientId = WireId(100);

export const SubmitPayload = z.object({
  annotation: Annotation,
  /** Client clock, informational only (never used for ordering). */
  submittedAt: z.number().int().optional(),
});
export type SubmitPayload = z.infer<typeof SubmitPayload>;

const base = {
  mutationId: z.uuid(),
  clientId: ClientId,
  /** Per-client, starting at 1, increasing by one with each mutation the client creates. */
  seq: z.number().int().positive(),
  taskId: TaskId,
  /** The lease epoch (fencing token) the client worked under. */
  leaseEpoch: z.number().int().positive(),
};

const mutationOf = <A extends z.ZodType>(annotation: A) =>
  z.discriminatedUnion('kind', [
    z.object({ ...base, kind: z.literal('submit'), payload: SubmitPayload.extend({ annotation }) }),
    z.object({
      ...base,
      kind: z.literal('skip'),
      payload: z.object({ reason: z.string().max(1000).optional() }).default({}),
    }),
    z.object({ ...base, kind: z.literal('release'), payload: z.object({}).default({}) }),
    // Verdicts (protocol 1.1): `taskId` is the reviewed task, `leaseEpoch` the review lease's.
    z.object({ ...base, kind: z.literal('review.accept'), payload: AcceptPayload }),
    z.object({ ...base, kind: z.literal('review.fix'), payload: fixPayloadOf(annotation) }),
    z.object({ ...base, kind: z.literal('review.reject'), payload: RejectPayload }),
  ]);

export const Mutation = mutationOf(Annotation);
export type Mutation = z.infer<typeof Mutation>;
export type MutationInput = z.input<typeof Mutation>;
export type MutationKind = Mutation['kind'];

const pushOf = <M extends z.ZodType<{ clientId: string }>>(mutation: M) =>
  z
    .object({
      clientId: ClientId,
      mutations: z.array(mutation).min(1).max(5000),
    })
    .refine((p) => p.mutations.every((m) => m.clientId === p.clientId), {
      message: 'every mutation must carry the batch clientId',
      path: ['mutations'],
    });

export const PushRequest = pushOf(Mutation);
/**
 * A push with each submit's annotation left unchecked: the same wire shape as PushRequest. The
 * hub checks this envelope first and every annotation against `Annotation` apart, so it can
 * start applying a batch while the (much larger) annotations are still being checked.
 */
export const PushEnvelope = pushOf(mutationOf(z.unknown()));
export type PushEnvelope = z.infer<typeof PushEnvelope>;
export type PushRequest = z.infer<typeof PushRequest>;
export type PushRequestInput = z.input<typeof PushRequest>;

/** Why a mutation was rejected; a rejection is final and still advances the client's seq. */
export const RejectReason = z.enum([
  /** The task has no lease with this epoch held by this user. */
  'NO_LEASE',
  /** The lease was superseded (expired, released, revoked) — for skip/release only. */
  'STALE_LEASE',
  /** The task's project is not one the user may annotate. */
  'FORBIDDEN',
  /** The task does not exist. */
  'NOT_FOUND',
  /** The seq was already used by another mutation id. */
  'SEQ_REUSED',
  // Verdicts (1.1); the answer's `field` names the part of the payload at fault.
  /** No review item for this submission of this task in a project the user reviews. */
  'UNKNOWN_SUBMISSION',
  /** A comment pinned to a region, span or keypoint the submission does not have. */
  'UNKNOWN_TARGET',
  /** A reject reason not in the project's list. */
  'UNKNOWN_REASON',
  /** A verdict on the reviewer's own work. */
  'OWN_WORK',
]);
export type RejectReason = z.infer<typeof RejectReason>;

export const MutationAnswer = z.discriminatedUnion('status', [
  z.object({
    mutationId: z.string(),
    seq: z.number().int(),
    status: z.literal('applied'),
    /**
     * A late submit whose task someone else had already completed: stored, flagged for
     * review, never overwriting; the client shows it to the annotator.
     */
    conflict: z.boolean(),
  }),
  z.object({
    mutationId: z.string(),
    seq: z.number().int(),
    status: z.literal('duplicate'),
    /** The answer given when it was first seen. */
    original: z.enum(['applied', 'rejected']).optional(),
    conflict: z.boolean().optional(),
  }),
  z.object({
    mutationId: z.string(),
    seq: z.number().int(),
    status: z.literal('rejected'),
    reason: RejectReason,
    /** Which part of the mutation was refused, e.g. "payload.comments.0.target.resultId". */
    field: z.string().optional(),
    message: z.string().optional(),
  }),
]);
export type MutationAnswer = z.infer<typeof MutationAnswer>;

export const PushResponse = z.object({
  /**
   * One answer per mutation the hub dealt with, in order. Mutations after a gap in seq are
   * left unanswered; the client resends from `expectedSeq`.
   */
  answers: z.array(MutationAnswer),
  /** The highest seq the hub has dealt with for this client (0 when none). */
  lastSeq: z.number().int().nonnegative(),
  expectedSeq: z.number().int().positive(),
  serverTime: z.number().int(),
});
export type PushResponse = z.infer<typeof PushResponse>;
