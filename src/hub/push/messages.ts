import { z } from 'zod';
import { ReviewComment } from '../../shared/sync';

/** What the decoder's main thread sends a worker: one push body. */
export const WorkerJob = z.object({ id: z.number().int(), body: z.instanceof(Uint8Array) });
export type WorkerJob = z.infer<typeof WorkerJob>;

const Head = z.object({
  at: z.number().int().nonnegative(),
  mutationId: z.string(),
  clientId: z.string(),
  seq: z.number().int(),
  kind: z.enum(['submit', 'skip', 'release', 'review.accept', 'review.fix', 'review.reject']),
  taskId: z.string(),
  leaseEpoch: z.number().int(),
  submittedAt: z.number().int().optional(),
  verdict: z
    .object({
      submissionId: z.string(),
      comments: z.array(ReviewComment),
      activeMs: z.number().int(),
      reason: z.string().optional(),
      note: z.string().optional(),
    })
    .optional(),
});

/** What a worker answers, per job: the heads, then the texts — or one error, at either step. */
export const WorkerReply = z.discriminatedUnion('type', [
  z.object({ id: z.number().int(), type: z.literal('head'), clientId: z.string(), heads: z.array(Head) }),
  z.object({ id: z.number().int(), type: z.literal('texts'), texts: z.array(z.string().optional()) }),
  z.object({ id: z.number().int(), type: z.literal('error'), field: z.string(), message: z.string() }),
]);
export type WorkerReply = z.infer<typeof WorkerReply>;
