import { z } from 'zod';
import type { AnnotationResult } from '../../shared/model';
import { InputError } from '../admin/errors';
import { type NotImported, imageKey, parseJsonFile } from './parse';

const finite = z.number().finite();
const CocoFile = z.object({
  images: z.array(
    z
      .object({
        id: z.union([z.number(), z.string()]),
        file_name: z.string().min(1),
        width: z.number().positive(),
        height: z.number().positive(),
      })
      .passthrough(),
  ),
  annotations: z.array(
    z
      .object({
        image_id: z.union([z.number(), z.string()]),
        category_id: z.union([z.number(), z.string()]),
        bbox: z.array(finite).length(4).optional(),
        segmentation: z
          .union([z.array(z.array(finite)), z.object({ counts: z.unknown(), size: z.array(z.number()) })])
          .optional(),
        keypoints: z.array(finite).optional(),
        iscrowd: z.union([z.literal(0), z.literal(1)]).optional(),
        score: z.number().min(0).max(1).optional(),
        attributes: z.record(z.string(), z.unknown()).optional(),
      })
      .passthrough(),
  ),
  categories: z.array(
    z.object({ id: z.union([z.number(), z.string()]), name: z.string().min(1) }).passthrough(),
  ),
});

export interface ImportedImage {
  /** The file name as the source names it. */
  fileName: string;
  width?: number;
  height?: number;
  results: AnnotationResult[];
}

const attrs = (a: Record<string, unknown> | undefined): Record<string, string | boolean> => {
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(a ?? {})) {
    if (k === 'rotation') continue;
    if (typeof v === 'string' || typeof v === 'boolean') out[k] = v;
    else if (typeof v === 'number') out[k] = String(v);
  }
  return out;
};

/** A box from four corners clockwise from its own top-left (OBB, a rotated COCO box). */
export const boxFromCorners = (c: readonly (readonly [number, number])[], rotation?: number) => {
  const [p0, p1, , p3] = c as [[number, number], [number, number], [number, number], [number, number]];
  const cx = (c[0]![0] + c[1]![0] + c[2]![0] + c[3]![0]) / 4;
  const cy = (c[0]![1] + c[1]![1] + c[2]![1] + c[3]![1]) / 4;
  const w = Math.hypot(p1[0] - p0[0], p1[1] - p0[1]);
  const h = Math.hypot(p3[0] - p0[0], p3[1] - p0[1]);
  const deg = rotation ?? (Math.atan2(p1[1] - p0[1], p1[0] - p0[0]) * 180) / Math.PI;
  return { x: cx - w / 2, y: cy - h / 2, w, h, rotation: ((deg % 360) + 360) % 360 };
};

const pairs = (flat: readonly number[]): [number, number][] => {
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
};

/**
 * A COCO file's annotations per image (see the COCO writer for the conventions read back):
 * keypoints → a keypoints result (unlabelled points kept with v = 0); a polygon segmentation →
 * one polygon per ring, or with `attributes.rotation` and one 4-corner ring → a rotated box;
 * otherwise `bbox` → a box. RLE masks (`iscrowd: 1`) come in as their `bbox`, and are counted.
 * Errors name the file and the JSON path.
 */
export const readCoco = (
  text: string,
  file: string,
  notImported: NotImported,
): Map<string, ImportedImage> => {
  const coco = parseJsonFile(CocoFile, text, file);
  const names = new Map(coco.categories.map((c) => [String(c.id), c.name]));
  const byId = new Map<string, ImportedImage>();
  const out = new Map<string, ImportedImage>();
  for (const img of coco.images) {
    const entry = { fileName: img.file_name, width: img.width, height: img.height, results: [] };
    byId.set(String(img.id), entry);
    out.set(imageKey(img.file_name), entry);
  }
  coco.annotations.forEach((a, i) => {
    const where = `${file}: $.annotations[${i}]`;
    const img = byId.get(String(a.image_id));
    if (!img) throw new InputError(`${where}.image_id: no image with id ${String(a.image_id)}`);
    const label = names.get(String(a.category_id));
    if (!label) throw new InputError(`${where}.category_id: no category with id ${String(a.category_id)}`);
    const id = `coco-${i + 1}`;
    const common = {
      id,
      label,
      attributes: attrs(a.attributes),
      ...(a.score === undefined ? {} : { score: a.score }),
    };
    const rot = typeof a.attributes?.rotation === 'number' ? a.attributes.rotation : undefined;
    if (a.keypoints && a.keypoints.length >= 3) {
      const pts = [];
      for (let k = 0; k + 2 < a.keypoints.length; k += 3) {
        const v = a.keypoints[k + 2];
        if (v !== 0 && v !== 1 && v !== 2)
          throw new InputError(`${where}.keypoints[${k + 2}]: visibility must be 0, 1 or 2`);
        pts.push({ x: a.keypoints[k]!, y: a.keypoints[k + 1]!, v: v as 0 | 1 | 2 });
      }
      img.results.push({ type: 'keypoints', ...common, points: pts });
    } else if (Array.isArray(a.segmentation) && a.segmentation.length > 0 && a.iscrowd !== 1) {
      const rings = a.segmentation.filter((r) => r.length >= 6);
      if (rot !== undefined && rings.length === 1 && rings[0]!.length === 8) {
        img.results.push({ type: 'bbox', ...common, ...boxFromCorners(pairs(rings[0]!), rot) });
      } else
        rings.forEach((r, k) =>
          img.results.push({ type: 'polygon', ...common, id: k ? `${id}-${k}` : id, points: pairs(r) }),
        );
    } else if (a.bbox) {
      if (a.iscrowd === 1) notImported.add('RLE masks (iscrowd 1) imported as their boxes');
      const [x, y, w, h] = a.bbox as [number, number, number, number];
      if (w < 0 || h < 0) throw new InputError(`${where}.bbox: width and height must not be negative`);
      img.results.push({ type: 'bbox', ...common, x, y, w, h, rotation: rot ?? 0 });
    } else notImported.add('annotations with neither bbox, polygon nor keypoints');
  });
  return out;
};
