import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import type { BBoxResult } from '../../shared/model';
import { InputError } from '../admin/errors';
import type { NotImported } from './parse';

// Element text, as a number (VOC files from other tools often hold floats).
const numText = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v)))
  .pipe(z.number({ message: 'must be a number' }).finite());
const flagText = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim().toLowerCase())
  .pipe(z.enum(['0', '1', 'false', 'true'], { message: 'must be 0 or 1' }))
  .transform((v) => v === '1' || v === 'true');
const VocObject = z
  .object({
    name: z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().min(1)),
    bndbox: z.object({ xmin: numText, ymin: numText, xmax: numText, ymax: numText }),
    difficult: flagText.optional(),
    truncated: flagText.optional(),
    occluded: flagText.optional(),
    score: numText.pipe(z.number().min(0).max(1)).optional(),
  })
  .passthrough();
const VocFile = z.object({
  annotation: z
    .object({
      filename: z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().min(1)),
      size: z.object({ width: numText, height: numText }).partial().optional(),
      object: z.array(VocObject).default([]),
    })
    .passthrough(),
});

// Values stay text (names like "007" and file names are not numbers); <object> is always a list.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (_name, jpath) => jpath === 'annotation.object',
});

/** An XPath of a zod issue in a VOC file, as `/annotation/object[2]/bndbox/xmax` (1-based). */
const xpath = (path: readonly PropertyKey[]): string =>
  path.map((p) => (typeof p === 'number' ? `[${p + 1}]` : `/${String(p)}`)).join('');

export interface VocImage {
  fileName: string;
  /** `<size>`, when the file gives a positive one. */
  width?: number;
  height?: number;
  objects: {
    label: string;
    box: [number, number, number, number];
    attributes: Record<string, boolean>;
    score?: number;
  }[];
}

/**
 * One Pascal VOC annotation file (the devkit's XML, as the VOC writer writes it). Errors name
 * the file and the line (XML syntax) or the element path and field.
 */
export const readVocXml = (xml: string, file: string): VocImage => {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new InputError(`${file} line ${valid.err.line}: ${valid.err.msg}`);
  let parsed: unknown;
  try {
    parsed = parser.parse(xml);
  } catch (e) {
    // What the validator lets through and the parser refuses (two DOCTYPEs, say).
    throw new InputError(`${file}: ${(e as Error).message}`);
  }
  const r = VocFile.safeParse(parsed);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(`${file}: ${xpath(issue?.path ?? [])}: ${issue?.message ?? 'invalid'}`);
  }
  const a = r.data.annotation;
  const W = a.size?.width;
  const H = a.size?.height;
  return {
    fileName: a.filename,
    ...(W && H && W > 0 && H > 0 ? { width: W, height: H } : {}),
    objects: a.object.map((o, i) => {
      const b = o.bndbox;
      if (b.xmax < b.xmin || b.ymax < b.ymin)
        throw new InputError(`${file}: /annotation/object[${i + 1}]/bndbox: xmax < xmin or ymax < ymin`);
      const attributes: Record<string, boolean> = {};
      for (const k of ['difficult', 'truncated', 'occluded'] as const) if (o[k]) attributes[k] = true;
      return {
        label: o.name,
        box: [b.xmin, b.ymin, b.xmax, b.ymax],
        attributes,
        ...(o.score === undefined ? {} : { score: o.score }),
      };
    }),
  };
};

/**
 * VOC objects as boxes in our continuous pixels: the devkit's 1-based inclusive
 * `xmin…xmax` covers `[xmin − 1, xmax)`, so `x = xmin − 1`, `w = xmax − xmin + 1`. Boxes
 * reaching outside the image (0-based files, for one) are clamped to it and counted.
 * `difficult`, `truncated`, `occluded` become boolean attributes when set.
 */
export const vocBoxes = (
  img: VocImage,
  W: number,
  H: number,
  file: string,
  notImported: NotImported,
): BBoxResult[] => {
  if (img.width !== undefined && (img.width !== W || img.height !== H))
    throw new InputError(
      `${file}: /annotation/size: ${img.width}×${img.height}, but the project's image ${img.fileName} is ${W}×${H}`,
    );
  return img.objects.map((o, i) => {
    const [x0, y0, x1, y1] = [o.box[0] - 1, o.box[1] - 1, o.box[2], o.box[3]];
    const c = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
    if (c(x0, W) !== x0 || c(y0, H) !== y0 || c(x1, W) !== x1 || c(y1, H) !== y1)
      notImported.add('the parts of VOC boxes outside the image (those boxes were clamped to it)');
    const [x, y] = [c(x0, W), c(y0, H)];
    return {
      type: 'bbox',
      id: `voc-${i + 1}`,
      label: o.label,
      x,
      y,
      w: c(x1, W) - x,
      h: c(y1, H) - y,
      rotation: 0,
      attributes: o.attributes,
      ...(o.score === undefined ? {} : { score: o.score }),
    };
  });
};
