import { z } from 'zod';
import { type AnnotationResult, utf16ToCodePoint, sliceCodePoints } from '../../shared/model';
import { rotateAbout } from '../../shared/geometry';
import { InputError } from '../admin/errors';
import type { NotImported } from './parse';

export const LsResult = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    type: z.string(),
    from_name: z.string().optional(),
    to_name: z.string().optional(),
    value: z.record(z.string(), z.unknown()).optional(),
    original_width: z.number().positive().optional(),
    original_height: z.number().positive().optional(),
    from_id: z.union([z.string(), z.number()]).optional(),
    to_id: z.union([z.string(), z.number()]).optional(),
    labels: z.array(z.string()).optional(),
    score: z.number().min(0).max(1).optional(),
  })
  .passthrough();
export type LsResult = z.infer<typeof LsResult>;

export const LsTask = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    data: z.record(z.string(), z.unknown()),
    annotations: z
      .array(
        z
          .object({
            result: z.array(LsResult).default([]),
            completed_by: z.unknown().optional(),
            was_cancelled: z.boolean().optional(),
            created_at: z.string().optional(),
          })
          .passthrough(),
      )
      .default([]),
    predictions: z
      .array(
        z
          .object({
            result: z.array(LsResult).default([]),
            model_version: z.union([z.string(), z.number()]).optional(),
            score: z.number().min(0).max(1).optional(),
          })
          .passthrough(),
      )
      .default([]),
  })
  .passthrough();
export type LsTask = z.infer<typeof LsTask>;

const num = z.number().finite();
const Rect = z.object({
  x: num,
  y: num,
  width: num.nonnegative(),
  height: num.nonnegative(),
  rotation: num.default(0),
});
const Poly = z.object({ points: z.array(z.tuple([num, num])).min(3) });
const Point = z.object({ x: num, y: num });
const Span = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  text: z.string().optional(),
});
const Strs = z.array(z.string().min(1));

export interface LsTarget {
  kind: 'image' | 'text';
  width?: number;
  height?: number;
  text?: string;
}

/**
 * Text offsets from Label Studio: its editor selects in UTF-16 units, while some of its
 * exports and scripts count code points. Whichever reading reproduces the result's `text` wins
 * (UTF-16 first); without `text`, UTF-16. Returns code points into the text.
 */
export const lsSpanOffsets = (
  text: string,
  start: number,
  end: number,
  covered?: string,
): [number, number] => {
  const asUtf16: [number, number] = [utf16ToCodePoint(text, start), utf16ToCodePoint(text, end)];
  if (covered === undefined || text.slice(start, end) === covered) return asUtf16;
  if (sliceCodePoints(text, start, end) === covered) return [start, end];
  return asUtf16;
};

/**
 * One Label Studio result in our model (see the Label Studio writer for the conventions):
 * percent rectangles rotated about their top-left corner, polygons, keypoints (one point
 * each), choices, labels (spans) and relations. Anything else is counted in `notImported`.
 * `where` names the result in errors (file and JSON path).
 */
export const fromLsResult = (
  r: LsResult,
  target: LsTarget,
  where: string,
  notImported: NotImported,
  idOf: (raw: string | number | undefined) => string,
): AnnotationResult | undefined => {
  const v = r.value ?? {};
  const W = r.original_width ?? target.width;
  const H = r.original_height ?? target.height;
  const label = (key: string): string | undefined => {
    const p = Strs.safeParse(v[key]);
    return p.success ? p.data[0] : undefined;
  };
  const fail = (what: string): never => {
    throw new InputError(`${where}.value: ${what}`);
  };
  const score = r.score === undefined ? {} : { score: r.score };
  if (r.type === 'relation') {
    if (r.from_id === undefined || r.to_id === undefined) return fail('a relation needs from_id and to_id');
    return {
      type: 'relation',
      id: idOf(undefined),
      label: r.labels?.[0] ?? 'related',
      from: idOf(r.from_id),
      to: idOf(r.to_id),
    };
  }
  if (r.type === 'rectanglelabels' || r.type === 'polygonlabels' || r.type === 'keypointlabels') {
    if (target.kind !== 'image' || !W || !H)
      return fail('an image region needs original_width and original_height');
    const l = label(r.type);
    if (!l) return fail(`${r.type}: a label is required`);
    if (r.type === 'rectanglelabels') {
      const p = Rect.safeParse(v);
      if (!p.success) return fail(`${p.error.issues[0]?.path.join('.')}: ${p.error.issues[0]?.message}`);
      const w = (p.data.width / 100) * W;
      const h = (p.data.height / 100) * H;
      // Label Studio rotates about the top-left corner; we rotate about the centre.
      const tl: [number, number] = [(p.data.x / 100) * W, (p.data.y / 100) * H];
      const [cx, cy] = rotateAbout([tl[0] + w / 2, tl[1] + h / 2], tl, p.data.rotation);
      return {
        type: 'bbox',
        id: idOf(r.id),
        label: l,
        x: cx - w / 2,
        y: cy - h / 2,
        w,
        h,
        rotation: p.data.rotation,
        attributes: {},
        ...score,
      };
    }
    if (r.type === 'polygonlabels') {
      const p = Poly.safeParse(v);
      if (!p.success) return fail(`points: ${p.error.issues[0]?.message}`);
      return {
        type: 'polygon',
        id: idOf(r.id),
        label: l,
        points: p.data.points.map(([x, y]) => [(x / 100) * W, (y / 100) * H] as [number, number]),
        attributes: {},
        ...score,
      };
    }
    const p = Point.safeParse(v);
    if (!p.success) return fail(`${p.error.issues[0]?.path.join('.')}: ${p.error.issues[0]?.message}`);
    return {
      type: 'keypoints',
      id: idOf(r.id),
      label: l,
      points: [{ x: (p.data.x / 100) * W, y: (p.data.y / 100) * H, v: 2 }],
      attributes: {},
      ...score,
    };
  }
  if (r.type === 'choices') {
    const p = Strs.safeParse(v.choices);
    if (!p.success) return fail('choices must be a list of strings');
    const group = r.from_name ?? 'choices';
    return target.kind === 'image'
      ? { type: 'image-class', id: idOf(r.id), group, labels: p.data, ...score }
      : { type: 'doc-class', id: idOf(r.id), group, labels: p.data, ...score };
  }
  if (r.type === 'labels') {
    if (target.text === undefined) return fail('a text span needs a text task');
    const p = Span.safeParse(v);
    const l = label('labels');
    if (!p.success || !l || p.data.end <= p.data.start) return fail('a span needs start < end and a label');
    const [start, end] = lsSpanOffsets(target.text, p.data.start, p.data.end, p.data.text);
    return {
      type: 'span',
      id: idOf(r.id),
      label: l,
      start,
      end,
      text: sliceCodePoints(target.text, start, end),
      attributes: {},
      ...score,
    };
  }
  notImported.add(`Label Studio "${r.type}" results`);
  return undefined;
};

/**
 * Our ids for one result list's Label Studio region ids (relations name regions by them);
 * results without an id (relations) get fresh ones.
 */
export const lsIds = (): ((raw: string | number | undefined) => string) => {
  let n = 0;
  const ids = new Map<string, string>();
  return (raw) => {
    if (raw === undefined) return `ls-${++n}`;
    const k = String(raw);
    if (!ids.has(k)) ids.set(k, `ls-${k}`.slice(0, 64));
    return ids.get(k) as string;
  };
};

/**
 * Keypoints as our Label Studio writer splits them (one `keypointlabels` region per labelled
 * point, id `<keypoints id>_<point index>`, `meta.text: [label]`), joined back into one
 * keypoints result of the skeleton's `K` points: points not there come back unlabelled (v = 0),
 * the others visible (Label Studio marks no point hidden). Regions without that id and meta
 * (drawn in Label Studio) stay one-point results. `converted[k]` is `raw[k]` in our model.
 */
export const joinLsKeypoints = (
  raw: readonly LsResult[],
  converted: readonly (AnnotationResult | undefined)[],
  K: number,
): AnnotationResult[] => {
  const out: AnnotationResult[] = [];
  const groups = new Map<string, Extract<AnnotationResult, { type: 'keypoints' }>>();
  raw.forEach((r, k) => {
    const c = converted[k];
    if (!c) return;
    const m = typeof r.id === 'string' ? /^(.+)_(\d+)$/.exec(r.id) : null;
    const meta = (r as { meta?: { text?: unknown } }).meta?.text;
    const label = Array.isArray(meta) && typeof meta[0] === 'string' && meta[0] ? meta[0] : undefined;
    const i = m ? Number(m[2]) : -1;
    if (r.type !== 'keypointlabels' || c.type !== 'keypoints' || !m || !label || i >= K) {
      out.push(c);
      return;
    }
    const key = `${m[1]}\u0000${label}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        type: 'keypoints',
        id: c.id.slice(0, c.id.length - m[2]!.length - 1) || c.id,
        label,
        points: Array.from({ length: K }, () => ({ x: 0, y: 0, v: 0 as const })),
        attributes: {},
        ...(c.score === undefined ? {} : { score: c.score }),
      };
      groups.set(key, g);
      out.push(g);
    }
    g.points[i] = c.points[0]!;
  });
  return out;
};
