import { z } from 'zod';

/** Finite number: NaN and Infinity never reach storage. */
const num = z.number().finite();
const coord = num;
const id = z.string().min(1).max(64);
const attributes = z.record(z.string(), z.union([z.string(), z.boolean()])).default({});

export const Point = z.tuple([coord, coord]);
export type Point = z.infer<typeof Point>;

/** Axis-aligned box in source-image pixels, top-left origin; rotation in degrees about its centre. */
export const BBoxResult = z.object({
  type: z.literal('bbox'),
  id,
  label: z.string().min(1),
  x: coord,
  y: coord,
  w: num.nonnegative(),
  h: num.nonnegative(),
  rotation: num.default(0),
  attributes,
  score: num.min(0).max(1).optional(),
});
export const PolygonResult = z.object({
  type: z.literal('polygon'),
  id,
  label: z.string().min(1),
  points: z.array(Point).min(3),
  attributes,
  score: num.min(0).max(1).optional(),
});
export const PolylineResult = z.object({
  type: z.literal('polyline'),
  id,
  label: z.string().min(1),
  points: z.array(Point).min(2),
  attributes,
  score: num.min(0).max(1).optional(),
});
/** COCO visibility: 0 unlabeled, 1 labeled but occluded, 2 visible. */
export const Keypoint = z.object({
  x: coord,
  y: coord,
  v: z.union([z.literal(0), z.literal(1), z.literal(2)]),
});
export const KeypointsResult = z.object({
  type: z.literal('keypoints'),
  id,
  label: z.string().min(1),
  points: z.array(Keypoint).min(1),
  attributes,
  score: num.min(0).max(1).optional(),
});
/** Classes of a whole image, per choice group. */
export const ImageClassResult = z.object({
  type: z.literal('image-class'),
  id,
  group: z.string().min(1),
  labels: z.array(z.string().min(1)),
  score: num.min(0).max(1).optional(),
});
/**
 * Entity span: [start, end) in Unicode code points into the NFC text; `text` is the covered
 * text and must equal [...text].slice(start, end).join('').
 */
export const SpanResult = z
  .object({
    type: z.literal('span'),
    id,
    label: z.string().min(1),
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
    text: z.string(),
    /** For comparison tasks: which field the span lies in; absent for plain text tasks. */
    field: z.string().optional(),
    attributes,
    score: num.min(0).max(1).optional(),
  })
  .refine((s) => s.end > s.start, { message: 'span end must be greater than start', path: ['end'] });
export const RelationResult = z.object({
  type: z.literal('relation'),
  id,
  label: z.string().min(1),
  from: id,
  to: id,
});
export const DocClassResult = z.object({
  type: z.literal('doc-class'),
  id,
  group: z.string().min(1),
  labels: z.array(z.string().min(1)),
  score: num.min(0).max(1).optional(),
});
/** A judgement of 2..N model responses: best pick (or tie), full ranking, rubric ratings. */
export const ComparisonResult = z.object({
  type: z.literal('comparison'),
  id,
  choice: z.string().min(1).nullable(),
  tie: z.boolean().default(false),
  ranking: z.array(z.string().min(1)).default([]),
  ratings: z.record(z.string(), z.record(z.string(), z.number().int())).default({}),
  justification: z.string().max(10_000).default(''),
});

// Keyed by `type`: one schema is tried per result, not up to nine in turn.
export const AnnotationResult = z.discriminatedUnion('type', [
  BBoxResult,
  PolygonResult,
  PolylineResult,
  KeypointsResult,
  ImageClassResult,
  SpanResult,
  RelationResult,
  DocClassResult,
  ComparisonResult,
]);
export type AnnotationResult = z.infer<typeof AnnotationResult>;
export type BBoxResult = z.infer<typeof BBoxResult>;
export type PolygonResult = z.infer<typeof PolygonResult>;
export type PolylineResult = z.infer<typeof PolylineResult>;
export type KeypointsResult = z.infer<typeof KeypointsResult>;
export type ImageClassResult = z.infer<typeof ImageClassResult>;
export type SpanResult = z.infer<typeof SpanResult>;
export type RelationResult = z.infer<typeof RelationResult>;
export type DocClassResult = z.infer<typeof DocClassResult>;
export type ComparisonResult = z.infer<typeof ComparisonResult>;
export type ResultType = AnnotationResult['type'];

/** One annotator's work on one task: what a draft holds and what a submission sends. */
export const Annotation = z.object({
  results: z.array(AnnotationResult).max(100_000),
  /** Milliseconds of active labeling time, for throughput metrics. */
  activeMs: z.number().int().nonnegative().default(0),
  /**
   * Wall-clock ms from the task's first activity on the device to the submission. Both are set
   * by the workbench core from its activity log (src/shared/metrics), never by an editor.
   */
  wallMs: z.number().int().nonnegative().optional(),
  /** Ids of prediction results the annotator rejected; kept so a reopened draft does not offer them again (absent: none). */
  dismissedSuggestions: z.array(id).max(100_000).optional(),
});
export type Annotation = z.infer<typeof Annotation>;
export type AnnotationInput = z.input<typeof Annotation>;

export const emptyAnnotation = (): Annotation => ({ results: [], activeMs: 0 });
