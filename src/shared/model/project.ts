import { z } from 'zod';
import { LabelConfig } from './label-config';

export const ProjectKind = z.enum(['image', 'text', 'comparison']);
export type ProjectKind = z.infer<typeof ProjectKind>;

export const Project = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(200),
  kind: ProjectKind,
  labelConfig: LabelConfig,
  /** Lease window for tasks handed to an annotator. */
  leaseHours: z
    .number()
    .positive()
    .max(24 * 60)
    .default(72),
  /** How many annotators label each task (1 = no overlap; >1 for agreement). */
  overlap: z.number().int().min(1).max(20).default(1),
});
export type Project = z.infer<typeof Project>;
export type ProjectInput = z.input<typeof Project>;
