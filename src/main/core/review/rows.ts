import { z } from 'zod';
import { Annotation, LabelConfig, ProjectKind, Task } from '../../../shared/model';
import { ReviewComment } from '../../../shared/sync';
import { jsonColumn } from '../db/rows';

/** Zod schemas of the review tables' rows (migration 8), read back through `parseRow`. */

const int = z.number().int();

export const ReviewProjectRow = z.object({
  id: z.string(),
  name: z.string(),
  kind: ProjectKind,
  label_config: jsonColumn(LabelConfig),
  lease_hours: z.number(),
  overlap: int,
  reject_reasons: jsonColumn(z.array(z.string())),
});

export const ReviewItemRow = z.object({
  seq: int,
  submission_id: z.string(),
  task_id: z.string(),
  project_id: z.string(),
  project_name: z.string(),
  kind: ProjectKind,
  batch: z.string(),
  title: z.string(),
  image_sha256: z.string().nullable(),
  epoch: int,
  lease_expires_at: int,
  author_id: z.string(),
  author_name: z.string(),
  submitted_at: int,
  active_ms: int,
  version: int,
  status: z.enum(['pending', 'accepted', 'fixed', 'rejected']),
  verdict_id: z.string().nullable(),
  decided_at: int.nullable(),
  has_draft: int,
  delivery: z.enum(['waiting', 'delivered', 'flagged', 'refused']).nullable(),
  assets_ready: int,
});
export type ReviewItemRow = z.infer<typeof ReviewItemRow>;

export const ReviewTaskRow = z.object({ task: jsonColumn(Task) });

export const VersionRow = z.object({
  id: z.string(),
  task_id: z.string(),
  source: z.enum(['submission', 'fix']),
  user_id: z.string(),
  user_name: z.string(),
  at: int,
  active_ms: int,
  conflict: int,
  superseded: int,
  annotation: jsonColumn(Annotation),
});

export const VerdictRow = z.object({
  id: z.string(),
  submission_id: z.string(),
  task_id: z.string(),
  kind: z.enum(['accepted', 'fixed', 'rejected']),
  reviewer_id: z.string(),
  reviewer_name: z.string(),
  at: int,
  active_ms: int,
  reason: z.string().nullable(),
  note: z.string().nullable(),
  comments: jsonColumn(z.array(ReviewComment)),
  fix_version_id: z.string().nullable(),
  flag: z.enum(['stale', 'conflict']).nullable(),
  delivery: z.enum(['waiting', 'delivered', 'flagged', 'refused']),
  refusal_reason: z.string().nullable(),
  refusal_field: z.string().nullable(),
  refusal_message: z.string().nullable(),
});

export const FeedbackRow = z.object({
  verdict_id: z.string(),
  task_id: z.string(),
  submission_id: z.string(),
  reviewer_id: z.string(),
  at: int,
  reason: z.string(),
  note: z.string().nullable(),
  comments: jsonColumn(z.array(ReviewComment)),
});

export const OwnSubmissionRow = z.object({
  id: z.string(),
  submitted_at: int,
  annotation: jsonColumn(Annotation),
});
