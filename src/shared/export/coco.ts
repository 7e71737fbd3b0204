import type { AnnotationResult, KeypointsResult, LabelConfig } from '../model';
import {
  areaOfPolygon,
  clampPoint,
  boxBoundsClamped,
  boxPolygon,
  keypointBounds,
  polygonBounds,
  polygonClamped,
  type XYWH,
} from './geometry';
import { LabelIndex } from './labels';
import { ByteOut, bytesOf, NUM_ROOM, putBytes, putInt, putNum } from './bytes';
import {
  type DatasetWriter,
  type ExportContext,
  type ExportRecord,
  type SinkChunk,
  type SkipCounter,
  type Split,
  SPLITS,
  clamp,
  imageFileName,
  num,
} from './record';

/**
 * COCO object detection / segmentation / keypoints (cocodataset.org/#format-data).
 *
 * Coordinates: absolute float pixels of the displayed image (EXIF orientation applied),
 * continuous and edge-based: the origin is the top-left corner of the top-left pixel, `bbox =
 * [x, y, w, h]` from the top-left, `[0, 0, 1, 1]` covers the first pixel. Keypoints use the
 * same continuous frame (the centre of pixel i is i + 0.5), not pixel indices. Everything is
 * clamped to the image.
 *
 * What is written: boxes (`segmentation: []`, `area = w·h`); rotated boxes as their
 * axis-aligned bounds in `bbox`, the four rotated corners as the polygon `segmentation`, and
 * `attributes.rotation` (degrees clockwise about the centre, CVAT's convention); polygons as
 * one ring in `segmentation`, `area` the polygon's area; keypoints as `[x, y, v]·K` in skeleton
 * order (v = 0 unlabelled with x = y = 0, 1 labelled but not visible, 2 visible),
 * `num_keypoints` counting v > 0, `bbox` the bounds of the labelled points, and the category's
 * `keypoints` names and 1-based `skeleton`. `iscrowd` is always 0 (no RLE masks are stored).
 * Category ids are 1-based in label-config order. Image ids are 1-based in export order;
 * `file_name` is relative to the image folder (`images/` or `images/<split>/`). A result's
 * attributes go to `attributes`. Polylines and image classes have no COCO form and are
 * counted as skipped.
 *
 * Layout: `annotations.json`, or `annotations/instances_<split>.json` per split. The
 * annotations are streamed; `images` and `categories` follow them in the file (JSON objects
 * are unordered), so the writer holds only the image entries, never the annotations.
 */
export const writeCoco: DatasetWriter = async function* (records, ctx, skipped) {
  const coco = new CocoEntries(ctx, skipped);
  const files = new Map<Split | 'all', SplitFile>();
  const fileOf = (key: Split | 'all'): SplitFile => {
    let f = files.get(key);
    if (!f) {
      const file = cocoFileName(key);
      f = { out: new ByteOut(file), images: [], imagesOut: new ByteOut(file), nextImage: 1, nextAnn: 1 };
      f.out.text(cocoHead(ctx));
      files.set(key, f);
    }
    return f;
  };

  for await (const r of records) {
    if (r.data.kind !== 'image') continue;
    const f = fileOf(ctx.split && r.split ? r.split : 'all');
    const imageId = f.nextImage++;
    coco.image(f, imageId, r);
    const { width: W, height: H } = r.data.image;
    for (const res of r.results) {
      if (!coco.write(f.out, f.nextAnn, imageId, res, W, H)) continue;
      f.nextAnn++;
      if (f.out.full) yield f.out.take();
    }
  }
  // Every split gets its file, even an empty one: training code opens all three.
  for (const key of ctx.split ? SPLITS : (['all'] as const)) fileOf(key);
  for (const f of files.values()) {
    yield f.out.take();
    yield* imagesChunks(f);
    yield { file: f.out.file, text: coco.tail(), last: true };
  }
};

/** The file a COCO export writes for a split, or for all records. */
const cocoFileName = (key: Split | 'all'): string =>
  key === 'all' ? 'annotations.json' : `annotations/instances_${key}.json`;

/** A COCO file's start, up to the opening of its `annotations` list. */
const cocoHead = (ctx: ExportContext): string =>
  `{"info":${info(ctx.project.name, ctx.now)},"licenses":[],"annotations":[`;

// An annotation's fixed parts, encoded once (see ByteOut).
const FIRST_ID = bytesOf('\n{"id":');
const NEXT_ID = bytesOf(',\n{"id":');
const IMAGE_ID = bytesOf(',"image_id":');
const AREA = bytesOf('],"area":');
const NO_SEGMENTATION = bytesOf(',"segmentation":[]');
const ISCROWD_END = bytesOf(',"iscrowd":0}');
const COMMA = 44;
/** Room for a plain box's entry: its constants, three ids and five numbers. */
const BOX_ROOM = 128 + 8 * NUM_ROOM;

// An image entry's fixed parts (the first entry takes no comma).
const FILE_NAME = bytesOf(',"file_name":');
const WIDTH = bytesOf(',"width":');
const HEIGHT = bytesOf(',"height":');
const SOURCE_ID = bytesOf(',"source_id":');
const CLOSE = 125;

/** The text between the annotations and the first image entry. */
const COCO_IMAGES_OPEN = '\n],"images":[';

/**
 * What a COCO export writes of each record: the image entry's fields, each result's annotation
 * entry with its ids, and at the end the file's tail with the categories. Keeps the keypoint
 * labels seen (categories list their skeleton) and counts what has no COCO form in `skipped`.
 */
class CocoEntries {
  private readonly labels: LabelIndex;
  private readonly K: number | undefined;
  readonly keypointLabels = new Set<string>();
  private ref: Uint8Array = new Uint8Array(0);
  private refId = 0;
  private readonly categoryBoxes: Uint8Array[] = [];

  constructor(
    private readonly ctx: ExportContext,
    private readonly skipped: SkipCounter,
  ) {
    this.labels = new LabelIndex(ctx.project.labelConfig);
    this.K = ctx.project.labelConfig.skeleton?.points.length;
  }

  /** The image entry's fields after its id. */
  /** The record's entry in the file's `images` list, kept (as bytes) until the file's end. */
  image(f: SplitFile, id: number, r: ExportRecord): void {
    if (r.data.kind !== 'image') throw new Error(`task ${r.taskId} is not an image task`);
    const { width: W, height: H } = r.data.image;
    const o = f.imagesOut;
    o.bytes(id > 1 ? NEXT_ID : FIRST_ID);
    o.reserve(NUM_ROOM);
    o.at = putInt(o.buf, o.at, id);
    o.bytes(FILE_NAME);
    o.jsonString(imageFileName(r));
    o.bytes(WIDTH);
    o.reserve(2 * NUM_ROOM + 16);
    o.at = putInt(o.buf, o.at, W);
    o.bytes(HEIGHT);
    o.at = putInt(o.buf, o.at, H);
    o.bytes(SOURCE_ID);
    o.jsonString(r.sourceId);
    o.byte(CLOSE);
    if (o.full) f.images.push(o.take().text as Uint8Array);
  }

  /** `,"image_id":N` of the last image asked for (each image's boxes come together). */
  private imageRef(imageId: number): Uint8Array {
    if (this.refId !== imageId) {
      // Built with putInt: a TextEncoder call per image was 4% of a COCO export.
      const b = new Uint8Array(IMAGE_ID.length + NUM_ROOM);
      this.ref = b.subarray(0, putInt(b, putBytes(b, 0, IMAGE_ID), imageId));
      this.refId = imageId;
    }
    return this.ref;
  }

  /** `,"category_id":N,"bbox":[` of a label, encoded once per label. */
  private categoryBox(label: string): Uint8Array {
    const id = this.labels.id(label);
    return (this.categoryBoxes[id] ??= bytesOf(`,"category_id":${id + 1},"bbox":[`));
  }

  /**
   * Writes the annotation entry of a result with its ids, comma first unless it is the file's
   * first; false when the result has no COCO form (counted as skipped). Plain boxes, most of a
   * big export, are written as bytes with nothing allocated; the rest as `annotation` texts.
   */
  write(out: ByteOut, id: number, imageId: number, res: AnnotationResult, W: number, H: number): boolean {
    let body: string | undefined;
    if (!(res.type === 'bbox' && !res.rotation)) {
      body = this.annotation(res, W, H);
      if (body === undefined) return false;
    }
    if (body !== undefined) {
      out.reserve(2 * NUM_ROOM + 32);
      out.at = putInt(out.buf, putBytes(out.buf, out.at, id > 1 ? NEXT_ID : FIRST_ID), id);
      out.at = putInt(out.buf, putBytes(out.buf, out.at, IMAGE_ID), imageId);
      out.byte(COMMA);
      out.text(body);
    } else if (res.type === 'bbox') {
      // One reserve, then every part written in place: a million of these are most of an export.
      const x0 = clamp(res.x, 0, W);
      const y0 = clamp(res.y, 0, H);
      const w = clamp(res.x + res.w, 0, W) - x0;
      const h = clamp(res.y + res.h, 0, H) - y0;
      out.reserve(BOX_ROOM);
      const buf = out.buf;
      let at = putInt(buf, putBytes(buf, out.at, id > 1 ? NEXT_ID : FIRST_ID), id);
      at = putBytes(buf, at, this.imageRef(imageId));
      at = putNum(buf, putBytes(buf, at, this.categoryBox(res.label)), x0);
      buf[at++] = COMMA;
      at = putNum(buf, at, y0);
      buf[at++] = COMMA;
      at = putNum(buf, at, w);
      buf[at++] = COMMA;
      at = putNum(buf, at, h);
      at = putNum(buf, putBytes(buf, at, AREA), w * h);
      out.at = putBytes(buf, at, NO_SEGMENTATION);
      if (hasKeys(res.attributes)) out.text(attrsJson(res.attributes));
    }
    out.bytes(ISCROWD_END);
    return true;
  }

  /**
   * An annotation's fields between its ids and `iscrowd`, or undefined (counted as skipped),
   * for every result but plain boxes (written as bytes by `write`).
   */
  annotation(res: AnnotationResult, W: number, H: number): string | undefined {
    const labels = this.labels;
    if (res.type === 'bbox') {
      const b = boxBoundsClamped(res, W, H);
      const rot = res.rotation ?? 0;
      const seg = rot === 0 ? '[]' : `[[${boxPolygon(res, W, H).flat().map(num).join(',')}]]`;
      const attrs = rot === 0 ? res.attributes : { ...res.attributes, rotation: rot };
      return `"category_id":${labels.id(res.label) + 1},"bbox":${bboxJson(b)},"area":${num(rot === 0 ? b.w * b.h : areaOfPolygon(boxPolygon(res, W, H)))},"segmentation":${seg}${attrsJson(attrs)}`;
    }
    if (res.type === 'polygon') {
      const pts = polygonClamped(res, W, H);
      return `"category_id":${labels.id(res.label) + 1},"bbox":${bboxJson(polygonBounds(pts))},"area":${num(areaOfPolygon(pts))},"segmentation":[[${pts.flat().map(num).join(',')}]]${attrsJson(res.attributes)}`;
    }
    if (res.type === 'keypoints') {
      this.keypointLabels.add(res.label);
      const b = keypointBounds(res, W, H) ?? { x: 0, y: 0, w: 0, h: 0 };
      const kp = keypointsArray(res, this.K ?? res.points.length, W, H);
      return `"category_id":${labels.id(res.label) + 1},"bbox":${bboxJson(b)},"area":${num(b.w * b.h)},"segmentation":[],"keypoints":[${kp.values.map(num).join(',')}],"num_keypoints":${kp.labelled}${attrsJson(res.attributes)}`;
    }
    this.skipped.add(`${res.type} results have no COCO form`);
    return undefined;
  }

  /** The file's end: the categories, with the skeleton of every keypoint label seen. */
  tail(keypointLabels: Iterable<string> = this.keypointLabels): string {
    const config = this.ctx.project.labelConfig;
    return `],"categories":${categoriesJson(this.labels, config, new Set(keypointLabels))}}\n`;
  }
}

interface SplitFile {
  out: ByteOut;
  /** The `images` entries written so far, `,\n`-separated, in blocks of about 64 KiB of UTF-8. */
  images: Uint8Array[];
  /** The block being written. */
  imagesOut: ByteOut;
  nextImage: number;
  nextAnn: number;
}

function* imagesChunks(f: SplitFile): Generator<SinkChunk> {
  yield { file: f.out.file, text: COCO_IMAGES_OPEN };
  for (const block of f.images) yield { file: f.out.file, text: block };
  yield f.imagesOut.take();
  f.images = [];
}

const info = (name: string, now: number): string =>
  JSON.stringify({
    description: name,
    version: '1.0',
    year: new Date(now).getUTCFullYear(),
    contributor: 'Outrigger',
    date_created: new Date(now).toISOString(),
  });

const bboxJson = (b: XYWH): string => `[${num(b.x)},${num(b.y)},${num(b.w)},${num(b.h)}]`;

const hasKeys = (a: Record<string, unknown>): boolean => {
  for (const k in a) if (Object.hasOwn(a, k)) return true;
  return false;
};

const attrsJson = (a: Record<string, unknown>): string =>
  hasKeys(a) ? `,"attributes":${JSON.stringify(a)}` : '';

/** `[x, y, v]` per skeleton point; missing points are unlabelled (0, 0, 0). */
const keypointsArray = (
  k: KeypointsResult,
  K: number,
  W: number,
  H: number,
): { values: number[]; labelled: number } => {
  const values: number[] = [];
  let labelled = 0;
  for (let i = 0; i < K; i++) {
    const p = k.points[i];
    if (!p || p.v === 0) {
      values.push(0, 0, 0);
      continue;
    }
    const [x, y] = clampPoint([p.x, p.y], W, H);
    values.push(x, y, p.v);
    labelled++;
  }
  return { values, labelled };
};

const categoriesJson = (labels: LabelIndex, config: LabelConfig, keypointLabels: Set<string>): string => {
  const sk = config.skeleton;
  return `[${labels.names
    .map((name, i) => {
      const base = { id: i + 1, name, supercategory: '' };
      if (
        !keypointLabels.has(name) &&
        !(sk && config.tools.includes('keypoints') && config.tools.length === 1)
      )
        return JSON.stringify(base);
      return JSON.stringify({
        ...base,
        keypoints: sk ? sk.points.map((p) => p.name) : [],
        skeleton: sk ? sk.edges.map(([a, b]) => [a + 1, b + 1]) : [],
      });
    })
    .join(',')}]`;
};
