import { z } from 'zod';
import { Annotation } from './annotation';

/** Work in progress, autosaved on every change; never sent to the hub. */
export const Draft = z.object({
  taskId: z.string().min(1),
  annotation: Annotation,
  savedAt: z.number().int(),
});
export type Draft = z.infer<typeof Draft>;

/** A finished annotation, written locally with its outbox row and later pushed to the hub. */
export const Submission = z.object({
  id: z.string().min(1),
  taskId: z.string().min(1),
  annotation: Annotation,
  submittedAt: z.number().int(),
});
export type Submission = z.infer<typeof Submission>;
