import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { AnnotationResult } from '../../shared/model';
import type { YoloTask } from '../../shared/export/yolo';
import { InputError } from '../admin/errors';
import { boxFromCorners } from './coco';
import { parseValue } from './parse';

const DataYaml = z.object({
  names: z.union([z.array(z.string()), z.record(z.string(), z.string())]),
  kpt_shape: z.tuple([z.number().int().positive(), z.union([z.literal(2), z.literal(3)])]).optional(),
});

export interface YoloNames {
  names: string[];
  kpt?: [number, 2 | 3];
}

/** `data.yaml`: class names (a list or an id → name map) and `kpt_shape`. */
export const readDataYaml = (text: string, file: string): YoloNames => {
  let y: unknown;
  try {
    y = parseYaml(text);
  } catch (e) {
    throw new InputError(`${file}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const d = parseValue(DataYaml, y, file);
  const names = Array.isArray(d.names)
    ? d.names
    : Object.entries(d.names)
        .sort((a, b) => Number(a[0]) - Number(b[0]))
        .map(([, n]) => n);
  return { names, ...(d.kpt_shape ? { kpt: d.kpt_shape } : {}) };
};

/**
 * One YOLO label file (see the YOLO writer for the conventions): normalized values scaled by
 * the image's width and height. detect: `cls xc yc w h [conf]`; segment: `cls x1 y1 … [conf]`
 * is not distinguishable from a trailing confidence, so segment lines take an even count of
 * coordinates; pose: `cls xc yc w h` + K points of 2 or 3 values (+ conf); obb: `cls` + four
 * corners (+ conf) → a rotated box. Errors name the file, the line and the field.
 */
export const readYoloLabels = (
  text: string,
  file: string,
  task: YoloTask,
  meta: YoloNames,
  W: number,
  H: number,
): AnnotationResult[] => {
  const out: AnnotationResult[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, li) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${file} line ${li + 1}`;
    const parts = line.split(/\s+/);
    const nums = parts.map(Number);
    const bad = nums.findIndex((n) => !Number.isFinite(n));
    if (bad >= 0) throw new InputError(`${where}: field ${bad + 1} ("${parts[bad]}") is not a number`);
    const cls = nums[0]!;
    const label = meta.names[cls];
    if (!Number.isInteger(cls) || label === undefined)
      throw new InputError(
        `${where}: field 1: class ${parts[0]} is not in data.yaml names (0…${meta.names.length - 1})`,
      );
    const v = nums.slice(1);
    const id = `yolo-${li + 1}`;
    const score = (n: number | undefined) => (n === undefined ? {} : { score: n });
    const need = (ok: boolean, what: string) => {
      if (!ok) throw new InputError(`${where}: ${parts.length} fields; a ${task} line has ${what}`);
    };
    if (task === 'detect') {
      need(v.length === 4 || v.length === 5, 'cls xc yc w h [conf]');
      const [xc, yc, w, h] = v as [number, number, number, number];
      out.push({
        type: 'bbox',
        id,
        label,
        x: (xc - w / 2) * W,
        y: (yc - h / 2) * H,
        w: w * W,
        h: h * H,
        rotation: 0,
        attributes: {},
        ...score(v[4]),
      });
    } else if (task === 'obb') {
      need(v.length === 8 || v.length === 9, 'cls x1 y1 x2 y2 x3 y3 x4 y4 [conf]');
      const c: [number, number][] = [0, 2, 4, 6].map((k) => [v[k]! * W, v[k + 1]! * H]);
      out.push({ type: 'bbox', id, label, ...boxFromCorners(c), attributes: {}, ...score(v[8]) });
    } else if (task === 'segment') {
      need(v.length >= 6 && v.length % 2 === 0, 'cls and at least three x y pairs');
      const pts: [number, number][] = [];
      for (let k = 0; k + 1 < v.length; k += 2) pts.push([v[k]! * W, v[k + 1]! * H]);
      out.push({ type: 'polygon', id, label, points: pts, attributes: {} });
    } else {
      const [K, dim] = meta.kpt ?? [0, 3];
      need(
        K > 0 && (v.length === 4 + K * dim || v.length === 5 + K * dim),
        `cls xc yc w h and ${K} points of ${dim} values (kpt_shape in data.yaml)`,
      );
      const points = [];
      for (let k = 0; k < K; k++) {
        const [x, y] = [v[4 + k * dim]!, v[5 + k * dim]!];
        const vis = dim === 3 ? v[6 + k * dim]! : x === 0 && y === 0 ? 0 : 2;
        if (vis !== 0 && vis !== 1 && vis !== 2)
          throw new InputError(`${where}: field ${7 + k * dim}: visibility must be 0, 1 or 2`);
        points.push({ x: x * W, y: y * H, v: vis as 0 | 1 | 2 });
      }
      out.push({ type: 'keypoints', id, label, points, attributes: {}, ...score(v[4 + K * dim]) });
    }
  });
  return out;
};
