import type { Skeleton } from '../model';
import {
  boxBoundsClamped,
  boxPolygon,
  keypointBounds,
  polygonBounds,
  polygonClamped,
  type XYWH,
} from './geometry';
import { LabelIndex } from './labels';
import { type DatasetWriter, type ExportContext, clamp, fixed, imageFileName, stemOf } from './record';

export type YoloTask = 'detect' | 'segment' | 'pose' | 'obb';

const d6 = (v: number): string => fixed(clamp(v, 0, 1), 6);

/**
 * YOLO / Ultralytics (docs.ultralytics.com/datasets/{detect,segment,pose,obb}).
 *
 * Coordinates: normalized to 0–1 by the displayed image's width and height, clamped to [0, 1],
 * six decimals; class ids from 0 in label-config order (`names` in `data.yaml`).
 * - detect: `cls xc yc w h`, centre-based; rotated boxes and polygons as their axis-aligned
 *   bounds.
 * - segment: `cls x1 y1 … xn yn` (no box); boxes as their four (rotated) corners.
 * - pose: `cls xc yc w h px py v …` with K points in skeleton order, the box being the bounds of
 *   the labelled points; v as in COCO (0 unlabelled, written `0 0 0`; 1 not visible; 2
 *   visible). `data.yaml` gets `kpt_shape: [K, 3]` and `flip_idx` (points named left…/right…
 *   swap).
 * - obb: `cls x1 y1 x2 y2 x3 y3 x4 y4`, a box's four corners clockwise from its own top-left.
 * Results the task cannot carry are counted as skipped.
 *
 * Layout: `labels/[<split>/]<stem>.txt` beside `images/[<split>/]<name>` (an image with
 * nothing to write gets no `.txt`: Ultralytics reads that as a background image) and
 * `data.yaml` (`path: .`, `train`/`val`/`test` folders; without a split both train and val
 * name `images`).
 */
export const yoloWriter = (task: YoloTask): DatasetWriter =>
  async function* (records, ctx, skipped) {
    const labels = new LabelIndex(ctx.project.labelConfig);
    const K = ctx.project.labelConfig.skeleton?.points.length;
    for await (const r of records) {
      if (r.data.kind !== 'image') continue;
      const { width: W, height: H } = r.data.image;
      const lines: string[] = [];
      for (const res of r.results) {
        if (res.type === 'bbox') {
          const cls = labels.id(res.label);
          if (task === 'detect') lines.push(`${cls} ${centre(boxBoundsClamped(res, W, H), W, H)}`);
          else if (task === 'segment' || task === 'obb')
            lines.push(
              `${cls} ${boxPolygon(res, W, H)
                .map(([x, y]) => `${d6(x / W)} ${d6(y / H)}`)
                .join(' ')}`,
            );
          else skipped.add('boxes are not written to a YOLO pose dataset');
        } else if (res.type === 'polygon') {
          const cls = labels.id(res.label);
          const pts = polygonClamped(res, W, H);
          if (task === 'detect') lines.push(`${cls} ${centre(polygonBounds(pts), W, H)}`);
          else if (task === 'segment')
            lines.push(`${cls} ${pts.map(([x, y]) => `${d6(x / W)} ${d6(y / H)}`).join(' ')}`);
          else skipped.add(`polygons are not written to a YOLO ${task} dataset`);
        } else if (res.type === 'keypoints' && task === 'pose') {
          const k = K ?? res.points.length;
          const b = keypointBounds(res, W, H) ?? { x: 0, y: 0, w: 0, h: 0 };
          const kps: string[] = [];
          for (let i = 0; i < k; i++) {
            const p = res.points[i];
            kps.push(!p || p.v === 0 ? '0 0 0' : `${d6(p.x / W)} ${d6(p.y / H)} ${p.v}`);
          }
          lines.push(`${labels.id(res.label)} ${centre(b, W, H)} ${kps.join(' ')}`);
        } else {
          skipped.add(`${res.type} results are not written to a YOLO ${task} dataset`);
        }
      }
      if (lines.length === 0) continue;
      const dir = ctx.split && r.split ? `labels/${r.split}/` : 'labels/';
      yield { file: `${dir}${stemOf(imageFileName(r))}.txt`, text: `${lines.join('\n')}\n`, last: true };
    }
    yield { file: 'data.yaml', text: dataYaml(task, labels.names, ctx), last: true };
  };

const centre = (b: XYWH, W: number, H: number): string =>
  `${d6((b.x + b.w / 2) / W)} ${d6((b.y + b.h / 2) / H)} ${d6(b.w / W)} ${d6(b.h / H)}`;

/** YAML double-quoted scalars accept JSON's string escapes, so names are written as JSON strings. */
const dataYaml = (task: YoloTask, names: string[], ctx: ExportContext): string => {
  const lines = [
    `# Ultralytics YOLO ${task} dataset of "${ctx.project.name.replace(/[\r\n]/g, ' ')}", written by Outrigger`,
    'path: .',
    ...(ctx.split
      ? ['train: images/train', 'val: images/val', 'test: images/test']
      : ['train: images', 'val: images']),
    `nc: ${names.length}`,
    'names:',
    ...names.map((n, i) => `  ${i}: ${JSON.stringify(n)}`),
  ];
  const sk = ctx.project.labelConfig.skeleton;
  if (task === 'pose' && sk) {
    lines.push(`kpt_shape: [${sk.points.length}, 3]`, `flip_idx: [${flipIndex(sk).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
};

/** For horizontal-flip augmentation: each point's mirror (left_x ↔ right_x), else itself. */
export const flipIndex = (sk: Skeleton): number[] => {
  const names = sk.points.map((p) => p.name.toLowerCase());
  return names.map((n, i) => {
    const swapped = n.replace(/left|right/g, (m) => (m === 'left' ? 'right' : 'left'));
    if (swapped === n) return i;
    const j = names.indexOf(swapped);
    return j < 0 ? i : j;
  });
};
