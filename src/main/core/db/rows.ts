import { z } from 'zod';
import { AppError } from '../../../shared/contract';
import {
  Annotation,
  LabelConfig,
  Prediction,
  ProjectKind,
  Sha256,
  TaskData,
  TaskStatus,
} from '../../../shared/model';

/**
 * Rows read back from SQLite are outside input too: each is parsed here, at the boundary, and a
 * row that does not match names its table, key and field.
 */

/** A TEXT column holding JSON that must match `schema`. */
export const jsonColumn = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

const int = z.number().int();
const bool01 = z.union([z.literal(0), z.literal(1)]).transform((v) => v === 1);

export const ProjectRow = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  kind: ProjectKind,
  label_config: jsonColumn(LabelConfig),
  lease_hours: z.number().positive(),
  overlap: int.min(1),
  hub_project_id: z.string().nullable(),
  created_at: int,
});

export const TaskRow = z.object({
  seq: int,
  id: z.string().min(1),
  project_id: z.string().min(1),
  kind: ProjectKind,
  title: z.string(),
  status: TaskStatus,
  data: jsonColumn(TaskData),
  predictions: jsonColumn(z.array(Prediction)),
  meta: jsonColumn(z.record(z.string(), z.unknown())),
  lease_expires_at: int.nullable(),
  hub_task_id: z.string().nullable(),
  hub_lease_epoch: int.nullable(),
  created_at: int,
  updated_at: int,
  finished_at: int.nullable(),
});

/** The columns of a queue list row (no task data: lists stay light at 100,000 tasks). */
export const TaskSummaryRow = z.object({
  id: z.string().min(1),
  project_id: z.string().min(1),
  kind: ProjectKind,
  title: z.string(),
  status: TaskStatus,
  updated_at: int,
  finished_at: int.nullable(),
  lease_expires_at: int.nullable(),
  has_draft: bool01,
});

export const DraftRow = z.object({
  task_id: z.string().min(1),
  annotation: jsonColumn(Annotation),
  saved_at: int,
});

export const SubmissionRow = z.object({
  id: z.string().min(1),
  task_id: z.string().min(1),
  annotation: jsonColumn(Annotation),
  submitted_at: int,
});

export const OutboxKind = z.enum([
  'submit',
  'skip',
  'release',
  'review.accept',
  'review.fix',
  'review.reject',
]);
export type OutboxKind = z.infer<typeof OutboxKind>;

export const OutboxRow = z.object({
  mutation_id: z.uuid(),
  client_id: z.string().min(1),
  seq: int.positive(),
  kind: OutboxKind,
  task_id: z.string().min(1),
  payload: jsonColumn(z.record(z.string(), z.unknown())),
  created_at: int,
  /** A submit row's submission (schema v3+); its annotation comes joined as text, parsed apart. */
  submission_seq: int.positive().nullable(),
  submission_annotation: z.string().nullable(),
});

/** An outbox row as push reads it: JSON columns stay text (checked apart, see `Outbox.read`). */
export const OutboxWireRow = z.object({
  seq: int.positive(),
  mutation_id: z.uuid(),
  client_id: z.string().min(1),
  kind: OutboxKind,
  task_id: z.string().min(1),
  payload: z.string(),
  created_at: int,
  submission_annotation: z.string().nullable(),
  lease_epoch: int.positive().nullable(),
});

export const AssetRow = z.object({
  sha256: Sha256,
  path: z.string().min(1),
  bytes: int.nonnegative(),
  mime: z.string().min(1),
  created_at: int,
});

/** Parses one row; a mismatch is an INTERNAL AppError naming the table, key and field. */
export const parseRow = <T extends z.ZodType>(schema: T, table: string, row: unknown): z.output<T> => {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const key = (row as { id?: unknown; task_id?: unknown; sha256?: unknown } | undefined) ?? {};
  const id = String(key.id ?? key.task_id ?? key.sha256 ?? '?');
  const issue = parsed.error.issues[0];
  const field = issue ? issue.path.map(String).join('.') : '(row)';
  throw new AppError(
    'INTERNAL',
    `unreadable ${table} row ${id}: ${field}: ${issue?.message ?? 'invalid'}`,
    field,
  );
};
