import { z } from 'zod';
import { AnnotationResult } from './annotation';
import { LanguageTag, TextDirection } from './label-config';

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits');

export const ImageAsset = z.object({
  sha256: Sha256,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  mime: z.enum(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/bmp', 'image/tiff']),
  bytes: z.number().int().nonnegative(),
  /** Original file name, for exports. */
  fileName: z.string().min(1),
});
export type ImageAsset = z.infer<typeof ImageAsset>;

export const ModelResponse = z.object({
  id: z.string().min(1),
  model: z.string().optional(),
  text: z.string(),
});

export const TaskData = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('image'), image: ImageAsset }),
  /** `text` is NFC-normalized at import; span offsets are code points into it. */
  z.object({
    kind: z.literal('text'),
    text: z.string(),
    title: z.string().optional(),
    /** This text's language and direction, when they differ from the project's. */
    language: LanguageTag.optional(),
    direction: TextDirection.optional(),
  }),
  z.object({
    kind: z.literal('comparison'),
    prompt: z.string(),
    responses: z.array(ModelResponse).min(2),
  }),
]);
export type TaskData = z.infer<typeof TaskData>;
export type TaskKind = TaskData['kind'];

/** A model's suggestion: results with a score, shown as pre-annotations. */
export const Prediction = z.object({
  model: z.string().min(1),
  score: z.number().min(0).max(1).optional(),
  results: z.array(AnnotationResult),
});
export type Prediction = z.infer<typeof Prediction>;

export const Task = z.object({
  id: z.string().min(1),
  projectId: z.string().min(1),
  data: TaskData,
  predictions: z.array(Prediction).default([]),
  /** Free metadata from the client's import (kept, exported back). */
  meta: z.record(z.string(), z.unknown()).default({}),
});
export type Task = z.infer<typeof Task>;
export type TaskInput = z.input<typeof Task>;

/** Local lifecycle of a task on this workbench. */
export const TaskStatus = z.enum(['queued', 'in_progress', 'submitted', 'skipped']);
export type TaskStatus = z.infer<typeof TaskStatus>;
