import { z } from 'zod';
import { IdleThreshold } from '../metrics/active-time';

/** A hotkey is one printable key (a digit or a letter), optionally with a modifier prefix. */
export const Hotkey = z
  .string()
  .regex(/^((shift|alt|ctrl)\+)?[a-z0-9]$/i, 'hotkey must be one letter or digit, e.g. "1", "q", "shift+2"');

export const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'color must be #rrggbb');

export const AttributeDef = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('select'),
    name: z.string().min(1),
    options: z.array(z.string().min(1)).min(1),
    default: z.string().optional(),
    /** Every region of the label must have a value (Enter says which is missing). */
    required: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('checkbox'),
    name: z.string().min(1),
    default: z.boolean().optional(),
    /** A checkbox is "answered" when ticked: required means it must be ticked. */
    required: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('text'),
    name: z.string().min(1),
    default: z.string().optional(),
    required: z.boolean().optional(),
  }),
]);
export type AttributeDef = z.infer<typeof AttributeDef>;

export const LabelClass = z.object({
  name: z.string().min(1).max(100),
  color: HexColor,
  hotkey: Hotkey.optional(),
  attributes: z.array(AttributeDef).default([]),
  /** Region / span labels: a submission needs at least one region or span with this label. */
  required: z.boolean().optional(),
});
export type LabelClass = z.infer<typeof LabelClass>;

/** The tools a project allows; each editor shows only these. */
export const ToolName = z.enum([
  'image-class',
  'bbox',
  'polygon',
  'polyline',
  'keypoints',
  'span',
  'relation',
  'doc-class',
  'comparison',
]);
export type ToolName = z.infer<typeof ToolName>;

/** Keypoint skeleton: named points and edges between their indices (0-based). */
export const Skeleton = z
  .object({
    points: z.array(z.object({ name: z.string().min(1) })).min(1),
    edges: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])).default([]),
  })
  .refine((s) => s.edges.every(([a, b]) => a < s.points.length && b < s.points.length), {
    message: 'skeleton edge names a point that does not exist',
  });
export type Skeleton = z.infer<typeof Skeleton>;

export const ChoiceGroup = z.object({
  name: z.string().min(1),
  multiple: z.boolean().default(false),
  options: z.array(LabelClass).min(1),
  /** A submission must choose at least one option of this group. */
  required: z.boolean().optional(),
});
export type ChoiceGroup = z.infer<typeof ChoiceGroup>;

export const RubricCriterion = z.object({
  name: z.string().min(1),
  min: z.number().int().default(1),
  max: z.number().int().default(7),
  description: z.string().optional(),
});
export type RubricCriterion = z.infer<typeof RubricCriterion>;

/** A BCP 47 language tag ("vi", "ar", "fil", "hi-IN"): set as `lang` on the text, for fonts, line breaking and screen readers. */
export const LanguageTag = z
  .string()
  .regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/, 'language must be a BCP 47 tag such as "ar" or "hi-IN"');
/** Base direction of texts: `auto` takes each paragraph's first strong character (HTML `dir="auto"`). */
export const TextDirection = z.enum(['ltr', 'rtl', 'auto']);
export type TextDirection = z.infer<typeof TextDirection>;

export const LabelConfig = z.object({
  /** Schema version of the label config itself. */
  version: z.literal(1).default(1),
  tools: z.array(ToolName).min(1),
  /** Region / span labels (bbox, polygon, polyline, keypoints, span). */
  labels: z.array(LabelClass).default([]),
  /** Image-level or document-level classes. */
  classes: z.array(ChoiceGroup).default([]),
  relations: z.array(LabelClass).default([]),
  skeleton: Skeleton.optional(),
  allowRotation: z.boolean().default(false),
  allowOverlappingSpans: z.boolean().default(true),
  rubric: z.array(RubricCriterion).default([]),
  instructions: z.string().max(20_000).optional(),
  /** A submission needs at least this many regions / spans (boxes, polygons, lines, keypoints, spans). */
  minRegions: z.number().int().min(0).max(100_000).optional(),
  /** Language of the project's texts (a task's own `language` wins). */
  language: LanguageTag.optional(),
  /** Direction of the project's texts (a task's own `direction` wins); absent = auto. */
  direction: TextDirection.optional(),
  /**
   * A pause in input longer than this counts no active time (5 s – 30 min; absent: 60 s). The
   * rule is src/shared/metrics' one definition of active time.
   */
  idleThresholdMs: IdleThreshold.optional(),
  /** Submitted tasks a day the lead asks of each annotator (the dashboard's target line). */
  dailyTarget: z.number().int().positive().max(100_000).optional(),
});
export type LabelConfig = z.infer<typeof LabelConfig>;
export type LabelConfigInput = z.input<typeof LabelConfig>;
