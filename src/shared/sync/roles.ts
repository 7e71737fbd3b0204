import { z } from 'zod';
import { LabelConfig, ProjectKind } from '../model';
import { BatchProgress, RejectReasonList, ReviewPolicy } from './review';

/** Roles are granted per project; an admin membership on project "*" is a global admin. */
export const Role = z.enum(['annotator', 'reviewer', 'lead', 'admin']);
export type Role = z.infer<typeof Role>;
export const GLOBAL_PROJECT = '*';

export const Membership = z.object({ projectId: z.string().min(1), role: Role });
export type Membership = z.infer<typeof Membership>;

export const MeResponse = z.object({
  userId: z.string(),
  name: z.string(),
  memberships: z.array(Membership),
  serverTime: z.number().int(),
});
export type MeResponse = z.infer<typeof MeResponse>;

/** What a member sees of a project: its label config and lease policy. */
export const ProjectInfo = z.object({
  id: z.string(),
  name: z.string(),
  kind: ProjectKind,
  labelConfig: LabelConfig,
  configVersion: z.number().int().positive(),
  leaseHours: z.number().positive(),
  overlap: z.number().int().positive(),
  /** 1.1: which submissions get reviewed, and the reasons a reviewer picks from to reject. */
  reviewPolicy: ReviewPolicy.default('none'),
  rejectReasons: RejectReasonList.default([]),
});
export type ProjectInfo = z.infer<typeof ProjectInfo>;

export const ProjectList = z.object({
  projects: z.array(ProjectInfo.extend({ taskCount: z.number().int() })),
});
export type ProjectList = z.infer<typeof ProjectList>;

export const UserList = z.object({
  users: z.array(z.object({ id: z.string(), name: z.string(), memberships: z.array(Membership) })),
});
export type UserList = z.infer<typeof UserList>;

export const ProjectProgress = z.object({
  projectId: z.string(),
  tasks: z.number().int(),
  /** Tasks with as many accepted submissions as the project's overlap. */
  done: z.number().int(),
  activeLeases: z.number().int(),
  submissions: z.number().int(),
  conflicts: z.number().int(),
  skips: z.number().int(),
  perUser: z.array(
    z.object({
      userId: z.string(),
      name: z.string(),
      submitted: z.number().int(),
      activeLeases: z.number().int(),
    }),
  ),
  /** 1.1: tasks and review states per batch, by batch name. */
  batches: z.array(BatchProgress).default([]),
});
export type ProjectProgress = z.infer<typeof ProjectProgress>;

export const UpdateLabelConfigRequest = z.object({ labelConfig: LabelConfig });
export type UpdateLabelConfigRequest = z.input<typeof UpdateLabelConfigRequest>;
