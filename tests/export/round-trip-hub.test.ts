import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnotationResult, Prediction } from '../../src/shared/model';
import { hubWith, imageTask } from './fixture';
import { exportCli, importPredictionsCli } from './import-cli';

/**
 * Export → import through the hub's own commands, for every format that has an importer: a
 * project's submissions exported with `hub export`, read back with `hub import predictions`
 * into the same project, compared with what was submitted. What a format cannot carry is
 * left out of the comparison and named (see the formats table in the root README).
 */

type Hub = Awaited<ReturnType<typeof hubWith>>;

const exportThenImport = async (fx: Hub, format: string, file: string): Promise<void> => {
  const out = join(fx.dir, `out-${format}`);
  const e = await exportCli(fx, format, out);
  expect(e, format).toMatchObject({ code: 0, err: '' });
  const i = await importPredictionsCli(fx, format, join(out, file), `m-${format}`);
  expect(i, format).toMatchObject({ code: 0, err: '' });
};

const predicted = async (fx: Hub, taskId: string, model: string): Promise<AnnotationResult[]> => {
  const row = await fx.storage.db.get('SELECT predictions FROM tasks WHERE id = ?', [taskId]);
  const all = JSON.parse(String(row?.predictions)) as Prediction[];
  return all.filter((p) => p.model === model).flatMap((p) => p.results);
};

const TEXTS = {
  t1: 'Nguyễn Thị Lan 😀 joined 👩‍👩‍👧 Outrigger Labs in Hà Nội.\r\nनमस्ते दुनिया, สวัสดี e\u0301!',
  t2: 'No entities here at all.',
};
const cp = (text: string, needle: string) => {
  const start = [...text.slice(0, text.indexOf(needle))].length;
  return { start, end: start + [...needle].length, text: needle };
};
const t1 = TEXTS.t1.normalize('NFC');
const SPANS = [
  { type: 'span', id: 's1', label: 'PER', ...cp(t1, 'Nguyễn Thị Lan'), attributes: {} },
  { type: 'span', id: 's2', label: 'ORG', ...cp(t1, 'Outrigger Labs'), attributes: {} },
  { type: 'span', id: 's3', label: 'LOC', ...cp(t1, 'Hà Nội'), attributes: {} },
  { type: 'span', id: 's4', label: 'MISC', ...cp(t1, 'नमस्ते'), attributes: {} },
  { type: 'span', id: 's5', label: 'MISC', ...cp(t1, 'สวัสดี é'), attributes: {} },
];

describe('text formats: hub export → hub import predictions', () => {
  let fx: Hub;
  beforeAll(async () => {
    fx = await hubWith({
      kind: 'text',
      labelConfig: {
        tools: ['span', 'relation', 'doc-class'],
        labels: ['PER', 'ORG', 'LOC', 'MISC'].map((name) => ({ name, color: '#ff0000' })),
        relations: [{ name: 'works_for', color: '#000000' }],
        classes: [
          {
            name: 'sentiment',
            options: [
              { name: 'pos', color: '#00ff00' },
              { name: 'neg', color: '#ff0000' },
            ],
          },
        ],
      },
      tasks: [
        {
          sourceId: 't1',
          data: { kind: 'text', text: t1 },
          submissions: [
            {
              results: [
                ...SPANS,
                { type: 'relation', id: 'r1', label: 'works_for', from: 's1', to: 's2' },
                { type: 'doc-class', id: 'c1', group: 'sentiment', labels: ['pos'] },
              ],
            },
          ],
        },
        { sourceId: 't2', data: { kind: 'text', text: TEXTS.t2 }, submissions: [{ results: [] }] },
      ],
    });
  });
  afterAll(() => fx.remove());

  const spans = (rs: AnnotationResult[]) =>
    rs.flatMap((r) => (r.type === 'span' ? [[r.label, r.start, r.end, r.text]] : [])).sort();
  const want = SPANS.map((s) => [s.label, s.start, s.end, s.text]).sort();

  it.each([
    ['conll', 'dataset.conll', { relations: false, classes: false }],
    ['spacy', 'spacy.jsonl', { relations: false, classes: true }],
    ['text-jsonl', 'texts.jsonl', { relations: true, classes: true }],
    ['label-studio', 'label-studio.json', { relations: true, classes: true }],
    ['jsonl', 'results.jsonl', { relations: true, classes: true }],
    ['csv', 'results.csv', { relations: true, classes: true }],
  ] as const)('%s carries spans over emoji and combining marks', async (format, file, carries) => {
    await exportThenImport(fx, format, file);
    const got = await predicted(fx, 'proj:t1', `m-${format}`);
    expect(spans(got)).toEqual(want);
    const span = (id: string) =>
      got.find((r) => r.type === 'span' && r.text === SPANS.find((s) => s.id === id)!.text)!.id;
    const relations = got.flatMap((r) => (r.type === 'relation' ? [[r.label, r.from, r.to]] : []));
    expect(relations).toEqual(carries.relations ? [['works_for', span('s1'), span('s2')]] : []);
    const classes = got.flatMap((r) => (r.type === 'doc-class' ? [[r.group, r.labels]] : []));
    expect(classes).toEqual(carries.classes ? [['sentiment', ['pos']]] : []);
    expect(await predicted(fx, 'proj:t2', `m-${format}`)).toEqual([]);
  });

  it('CoNLL: every version of a text becomes a prediction of its task', async () => {
    const doc = readFileSync(join(fx.dir, 'out-conll/dataset.conll'), 'utf8').split('-DOCSTART-')[1]!;
    const file = join(fx.dir, 'twice.conll');
    writeFileSync(file, `-DOCSTART-${doc}-DOCSTART-${doc}`);
    expect(await importPredictionsCli(fx, 'conll', file, 'twice')).toMatchObject({ code: 0 });
    const row = await fx.storage.db.get('SELECT predictions FROM tasks WHERE id = ?', ['proj:t1']);
    const sets = (JSON.parse(String(row?.predictions)) as Prediction[]).filter((p) => p.model === 'twice');
    expect(sets.map((p) => spans(p.results))).toEqual([want, want]);
  });

  it('a bad line imports nothing and names the file, line and field', async () => {
    const out = join(fx.dir, 'out-text-jsonl/texts.jsonl');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const bad = JSON.parse(lines[1]!);
    bad.spans = [{ id: 'x', start: 0, end: 999, label: 'PER' }];
    const file = join(fx.dir, 'bad.jsonl');
    writeFileSync(file, `${lines[0]}\n${JSON.stringify(bad)}\n`);
    const before = await predicted(fx, 'proj:t1', 'bad');
    const r = await importPredictionsCli(fx, 'text-jsonl', file, 'bad');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file} line 2: $.spans[0].end: 999 is past the text's end`);
    expect(before).toEqual([]);
    expect(await predicted(fx, 'proj:t1', 'bad')).toEqual([]);
  });
});

const W = 640;
const H = 480;
const IMAGE_RESULTS = [
  {
    type: 'bbox',
    id: 'b1',
    label: 'cat',
    x: 0,
    y: 0,
    w: 64,
    h: 48,
    rotation: 0,
    attributes: { difficult: true },
  },
  { type: 'bbox', id: 'b2', label: 'dog', x: 600, y: 400, w: 40, h: 80, rotation: 0, attributes: {} },
  { type: 'bbox', id: 'b3', label: 'dog', x: 200, y: 200, w: 60, h: 30, rotation: 30, attributes: {} },
  {
    type: 'polygon',
    id: 'p1',
    label: 'cat',
    points: [
      [0, 0],
      [640, 0],
      [320, 480],
    ],
    attributes: {},
  },
  {
    type: 'keypoints',
    id: 'k1',
    label: 'cat',
    points: [
      { x: 10, y: 20, v: 2 },
      { x: 0, y: 0, v: 0 },
      { x: 640, y: 480, v: 1 },
    ],
    attributes: {},
  },
] as const;

describe('image formats: hub export → hub import predictions', () => {
  let fx: Hub;
  beforeAll(async () => {
    fx = await hubWith({
      kind: 'image',
      labelConfig: {
        tools: ['bbox', 'polygon', 'keypoints'],
        allowRotation: true,
        labels: [
          { name: 'cat', color: '#ff0000' },
          { name: 'dog', color: '#00ff00' },
        ],
        skeleton: { points: [{ name: 'a' }, { name: 'b' }, { name: 'c' }], edges: [[0, 1]] },
      },
      tasks: [imageTask('a.png', W, H, [...IMAGE_RESULTS]), imageTask('b.png', W, H, [])],
    });
  });
  afterAll(() => fx.remove());

  const near = (a: number, b: number, tol: number) =>
    expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(tol);

  it('COCO carries boxes (rotated too), polygons at the edges and hidden keypoints', async () => {
    await exportThenImport(fx, 'coco', 'annotations.json');
    const got = await predicted(fx, 'proj:a.png', 'm-coco');
    expect(got.map((r) => [r.type, 'label' in r ? r.label : ''])).toEqual(
      IMAGE_RESULTS.map((r) => [r.type, r.label]),
    );
    const rot = got[2]!;
    if (rot.type !== 'bbox') throw new Error('not a box');
    near(rot.rotation ?? 0, 30, 1e-9);
    expect(got[3]).toMatchObject({ points: IMAGE_RESULTS[3].points });
    expect(got[4]).toMatchObject({ points: IMAGE_RESULTS[4].points });
  });

  it('Pascal VOC carries axis-aligned boxes and their flags; polygons and rotated boxes come back as bounds', async () => {
    await exportThenImport(fx, 'voc', '');
    const got = await predicted(fx, 'proj:a.png', 'm-voc');
    expect(got.map((r) => r.type)).toEqual(['bbox', 'bbox', 'bbox', 'bbox']);
    expect(got[0]).toMatchObject({ label: 'cat', x: 0, y: 0, w: 64, h: 48, attributes: { difficult: true } });
    expect(got[1]).toMatchObject({ label: 'dog', x: 600, y: 400, w: 40, h: 80 });
    expect(got[3]).toMatchObject({ label: 'cat', x: 0, y: 0, w: 640, h: 480 });
    expect(await predicted(fx, 'proj:b.png', 'm-voc')).toEqual([]);
  });

  it('a VOC folder with one bad file imports nothing and names the element', async () => {
    const dir = join(fx.dir, 'voc-bad');
    cpSync(join(fx.dir, 'out-voc'), dir, { recursive: true });
    const b = join(dir, 'Annotations/b.xml');
    writeFileSync(b, readFileSync(b, 'utf8').replace('<height>480</height>', '<height>tall</height>'));
    const r = await importPredictionsCli(fx, 'voc', dir, 'voc-bad');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${b}: /annotation/size/height: must be a number`);
    expect(await predicted(fx, 'proj:a.png', 'voc-bad')).toEqual([]);
  });

  it('results JSONL and CSV carry every result unchanged', async () => {
    await exportThenImport(fx, 'jsonl', 'results.jsonl');
    expect(await predicted(fx, 'proj:a.png', 'm-jsonl')).toEqual(IMAGE_RESULTS);
    await exportThenImport(fx, 'csv', 'results.csv');
    expect(await predicted(fx, 'proj:a.png', 'm-csv')).toEqual(IMAGE_RESULTS);
    expect(await predicted(fx, 'proj:b.png', 'm-csv')).toEqual([]);
  });

  it('YOLO OBB and Label Studio carry the rotated box; Label Studio the keypoints', async () => {
    await exportThenImport(fx, 'yolo-obb', '');
    await exportThenImport(fx, 'label-studio', 'label-studio.json');
    for (const model of ['m-yolo-obb', 'm-label-studio']) {
      const box = (await predicted(fx, 'proj:a.png', model)).find(
        (r) => r.type === 'bbox' && (r.rotation ?? 0) > 1,
      );
      if (box?.type !== 'bbox') throw new Error(`${model}: no rotated box`);
      for (const k of ['x', 'y', 'w', 'h'] as const)
        near(box[k], IMAGE_RESULTS[2][k], model === 'm-yolo-obb' ? 2e-3 : 1e-6);
      near(box.rotation ?? 0, 30, model === 'm-yolo-obb' ? 0.01 : 1e-6);
    }
    // Label Studio keypoints: one region a point, joined back; it marks no point hidden.
    const kp = (await predicted(fx, 'proj:a.png', 'm-label-studio')).find((r) => r.type === 'keypoints');
    if (kp?.type !== 'keypoints') throw new Error('no keypoints');
    expect(kp.label).toBe('cat');
    expect(kp.points.map((p) => p.v)).toEqual([2, 0, 2]);
    for (const i of [0, 2]) {
      near(kp.points[i]!.x, IMAGE_RESULTS[4].points[i]!.x, 1e-6);
      near(kp.points[i]!.y, IMAGE_RESULTS[4].points[i]!.y, 1e-6);
    }
  });
});
