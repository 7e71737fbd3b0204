import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type ExportFormat, type ExportRecord, SkipCounter, WRITERS } from '../../src/shared/export';
import { ctxOf, imageRecord } from '../../src/shared/export/test-helpers';

const python = spawnSync('python3', ['--version']).status === 0;
const CHECKER = 'tests/export/check_datasets.py';
const root = mkdtempSync(join(tmpdir(), 'check-datasets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const config = {
  tools: ['bbox', 'polygon', 'keypoints'],
  labels: [
    { name: 'a', color: '#ff0000' },
    { name: 'b', color: '#00ff00' },
  ],
  skeleton: {
    points: [{ name: 'left_eye' }, { name: 'right_eye' }, { name: 'nose' }],
    edges: [
      [0, 2],
      [1, 2],
    ],
  },
};

let n = 0;
const exportTo = async (format: ExportFormat, recs: ExportRecord[], split = false): Promise<string> => {
  const dir = join(root, `${format}-${n++}`);
  async function* gen() {
    yield* recs;
  }
  for await (const c of WRITERS[format](gen(), ctxOf('image', config, split), new SkipCounter())) {
    mkdirSync(dirname(join(dir, c.file)), { recursive: true });
    writeFileSync(join(dir, c.file), c.text, { flag: 'a' });
  }
  return dir;
};

const check = (...args: string[]) => {
  const r = spawnSync('python3', [CHECKER, ...args], { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

// Shapes partly outside the image too: the writers must clamp them.
const coord = fc.double({ min: -50, max: 700, noNaN: true });
const result = fc.oneof(
  fc.record({
    type: fc.constant('bbox'),
    label: fc.constantFrom('a', 'b'),
    x: coord,
    y: coord,
    w: fc.double({ min: 0, max: 300, noNaN: true }),
    h: fc.double({ min: 0, max: 300, noNaN: true }),
    rotation: fc.constantFrom(0, 0, 30, 90, 200),
  }),
  fc.record({
    type: fc.constant('polygon'),
    label: fc.constantFrom('a', 'b'),
    points: fc.array(fc.tuple(coord, coord), { minLength: 3, maxLength: 6 }),
  }),
  fc.record({
    type: fc.constant('keypoints'),
    label: fc.constant('a'),
    points: fc.array(fc.record({ x: coord, y: coord, v: fc.constantFrom(0, 1, 2) }), {
      minLength: 3,
      maxLength: 3,
    }),
  }),
);
const records = fc.array(fc.array(result, { maxLength: 12 }), { minLength: 1, maxLength: 12 }).map((imgs) =>
  imgs.map((rs, i) =>
    imageRecord(
      `img${i}.png`,
      640,
      480,
      rs.map((r, k) => ({ ...r, id: `r${k}` })),
    ),
  ),
);

describe.skipIf(!python)('exports pass the independent Python checker', () => {
  it('COCO, YOLO (all tasks) and VOC from generated annotations', async () => {
    await fc.assert(
      fc.asyncProperty(records, async (recs) => {
        const coco = await exportTo('coco', recs);
        const c = check('coco', join(coco, 'annotations.json'));
        expect(c.out).toMatch(/^ok /);
        for (const task of ['detect', 'segment', 'pose', 'obb']) {
          const y = check('yolo', await exportTo(`yolo-${task}` as ExportFormat, recs), task);
          expect(y.out, task).toMatch(/^ok /);
        }
        expect(check('voc', await exportTo('voc', recs)).out).toMatch(/^ok /);
      }),
      // Each run starts python six times (~0.1–0.5 s each on a loaded machine).
      { numRuns: 4 },
    );
  }, 120_000);

  it('split exports too (per-split COCO files, YOLO label folders, VOC image lists)', async () => {
    await fc.assert(
      fc.asyncProperty(records, async (recs) => {
        const split = recs.map((r, i) => ({ ...r, split: (['train', 'val', 'test'] as const)[i % 3] }));
        const coco = await exportTo('coco', split, true);
        for (const s of ['train', 'val', 'test'].slice(0, split.length)) {
          const c = check('coco', join(coco, `annotations/instances_${s}.json`));
          expect(c.out, s).toMatch(/^ok /);
        }
        expect(check('yolo', await exportTo('yolo-detect', split, true), 'detect').out).toMatch(/^ok /);
        expect(check('voc', await exportTo('voc', split, true)).out).toMatch(/^ok /);
      }),
      { numRuns: 2 },
    );
  }, 120_000);

  it('the checker catches a broken file (it can fail)', () => {
    const bad = join(root, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        images: [{ id: 1, file_name: 'a', width: 10, height: 10 }],
        categories: [{ id: 1, name: 'a' }],
        annotations: [{ id: 1, image_id: 2, category_id: 1, bbox: [0, 0, 20, 1], area: 1, iscrowd: 0 }],
      }),
    );
    const r = check('coco', bad);
    expect(r.code).toBe(1);
    expect(r.out).toContain('image_id 2 is not an image');
  });

  it('the checker catches broken YOLO and VOC datasets', () => {
    const write = (files: Record<string, string>): string => {
      const dir = join(root, `broken-${n++}`);
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, f)), { recursive: true });
        writeFileSync(join(dir, f), text);
      }
      return dir;
    };
    const yaml = 'path: .\ntrain: images\nval: images\nnc: 2\nnames:\n  0: "a"\n  1: "b"\n';
    const yolo = write({ 'data.yaml': yaml, 'labels/a.txt': '0 0.95 0.5 0.2 0.2\n2 0.5 0.5 0.1 0.1\n' });
    const y = check('yolo', yolo, 'detect');
    expect(y.code).toBe(1);
    expect(y.out).toContain('labels/a.txt line 1: box 0.95 0.5 0.2 0.2 reaches outside the image');
    expect(y.out).toContain('labels/a.txt line 2: class 2 not in names');
    const pose = write({
      'data.yaml': `${yaml}kpt_shape: [2, 3]\nflip_idx: [0, 0]\n`,
      'labels/a.txt': '0 0.5 0.5 0.2 0.2 0.5 0.5 3 0 0 0\n',
    });
    const p = check('yolo', pose, 'pose');
    expect(p.out).toContain('flip_idx [0, 0] is not a permutation of the 2 keypoints');
    expect(p.out).toContain('labels/a.txt line 1: visibility 3.0');
    const xml = (box: string) =>
      `<annotation><filename>a.png</filename><size><width>10</width><height>10</height></size><object><name>a</name><difficult>0</difficult><truncated>0</truncated><bndbox>${box}</bndbox></object></annotation>`;
    const voc = write({
      'Annotations/a.xml': xml('<xmin>0</xmin><ymin>1</ymin><xmax>10</xmax><ymax>10</ymax>'),
      'Annotations/b.xml': xml('<xmin>1</xmin><ymin>1</ymin><xmax>x</xmax><ymax>10</ymax>'),
      'ImageSets/Main/trainval.txt': 'a\nb\nc\n',
    });
    const v = check('voc', voc);
    expect(v.code).toBe(1);
    expect(v.out).toContain('box 0,1,10,10 not 1-based inclusive inside 10x10');
    expect(v.out).toContain('an object needs integer xmin, ymin, xmax, ymax');
    expect(v.out).toContain('ImageSets/Main/trainval.txt line 3: c has no Annotations file');
  });
});

if (!python) console.warn('python3 not found: the Python dataset checker was skipped');
