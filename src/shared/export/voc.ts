import type { AnnotationResult } from '../model';
import { boxBoundsClamped, polygonBounds, polygonClamped, type XYWH } from './geometry';
import { ChunkBuffer, type DatasetWriter, SPLITS, type Split, clamp, imageFileName, stemOf } from './record';

export const xmlEscape = (s: string): string =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

/**
 * Pascal VOC XML (the VOC devkit's annotation format), one `Annotations/<stem>.xml` per image.
 *
 * Coordinates: integer pixels, **1-based and inclusive** as the devkit reads them: a box
 * covering continuous [x0, x1) writes `xmin = round(x0) + 1`, `xmax = round(x1)`, so its width
 * is `xmax − xmin + 1` and a box over the first pixel is `1,1,1,1`; clamped to `1…width`.
 * `<size>` is the displayed image (EXIF orientation applied), depth 3. Rotated boxes and
 * polygons are written as their axis-aligned bounds; keypoints, polylines and classes have no
 * VOC form (counted as skipped). `difficult`, `truncated`, `occluded` come from the result's
 * boolean attributes of those names (0 when absent); `pose` is `Unspecified`.
 *
 * Layout: `Annotations/<stem>.xml`, images in `images/` (`<folder>`), and the image lists
 * `ImageSets/Main/<split>.txt` (or `trainval.txt` without a split).
 */
export const writeVoc: DatasetWriter = async function* (records, ctx, skipped) {
  const lists = new Map<string, ChunkBuffer>();
  const listOf = (name: string): ChunkBuffer => {
    let b = lists.get(name);
    if (!b) lists.set(name, (b = new ChunkBuffer(`ImageSets/Main/${name}.txt`)));
    return b;
  };
  for await (const r of records) {
    if (r.data.kind !== 'image') continue;
    const { width: W, height: H } = r.data.image;
    const name = imageFileName(r);
    const objects: string[] = [];
    for (const res of r.results) {
      const b =
        res.type === 'bbox'
          ? boxBoundsClamped(res, W, H)
          : res.type === 'polygon'
            ? polygonBounds(polygonClamped(res, W, H))
            : undefined;
      if (!b || (res.type !== 'bbox' && res.type !== 'polygon')) {
        skipped.add(`${res.type} results have no Pascal VOC form`);
        continue;
      }
      objects.push(objectXml(res.label, vocBox(b, W, H), res));
    }
    const folder = ctx.split && r.split ? `images/${r.split}` : 'images';
    yield {
      file: `Annotations/${stemOf(name)}.xml`,
      text: `<annotation>
  <folder>${xmlEscape(folder)}</folder>
  <filename>${xmlEscape(name)}</filename>
  <source><database>${xmlEscape(ctx.project.name)}</database><annotation>Outrigger</annotation></source>
  <size><width>${W}</width><height>${H}</height><depth>3</depth></size>
  <segmented>0</segmented>
${objects.join('')}</annotation>
`,
      last: true,
    };
    const list = listOf(ctx.split && r.split ? r.split : 'trainval');
    if (list.push(`${stemOf(name)}\n`)) yield list.take();
  }
  if (ctx.split) for (const s of SPLITS as Split[]) listOf(s);
  else listOf('trainval');
  for (const b of lists.values()) yield b.take(true);
};

/** 1-based inclusive integer corners of continuous bounds, clamped to the image. */
export const vocBox = (b: XYWH, W: number, H: number): [number, number, number, number] => {
  const xmin = clamp(Math.round(b.x) + 1, 1, W);
  const ymin = clamp(Math.round(b.y) + 1, 1, H);
  return [
    xmin,
    ymin,
    clamp(Math.max(Math.round(b.x + b.w), xmin), 1, W),
    clamp(Math.max(Math.round(b.y + b.h), ymin), 1, H),
  ];
};

const flag = (res: AnnotationResult, name: string): number =>
  'attributes' in res && res.attributes[name] === true ? 1 : 0;

const objectXml = (label: string, [x0, y0, x1, y1]: number[], res: AnnotationResult): string =>
  `  <object>
    <name>${xmlEscape(label)}</name>
    <pose>Unspecified</pose>
    <truncated>${flag(res, 'truncated')}</truncated>
    <occluded>${flag(res, 'occluded')}</occluded>
    <difficult>${flag(res, 'difficult')}</difficult>
    <bndbox><xmin>${x0}</xmin><ymin>${y0}</ymin><xmax>${x1}</xmax><ymax>${y1}</ymax></bndbox>
  </object>
`;
