import { describe, expect, it } from 'vitest';
import { writeCoco } from './coco';
import { writeLabelStudio } from './label-studio';
import { collect, ctxOf, imageRecord } from './test-helpers';
import { writeVoc } from './voc';
import { flipIndex, yoloWriter } from './yolo';

const config = {
  tools: ['bbox', 'polygon', 'keypoints', 'polyline'],
  labels: [
    { name: 'cat', color: '#ff0000' },
    { name: 'dog', color: '#00ff00' },
  ],
  skeleton: {
    points: [{ name: 'left_eye' }, { name: 'right_eye' }, { name: 'nose' }],
    edges: [
      [0, 2],
      [1, 2],
    ],
  },
};
const box = { type: 'bbox', id: 'b1', label: 'dog', x: 10, y: 20, w: 30, h: 40 };
const poly = {
  type: 'polygon',
  id: 'p1',
  label: 'cat',
  points: [
    [0, 0],
    [100, 0],
    [100, 50],
  ],
};
const kps = {
  type: 'keypoints',
  id: 'k1',
  label: 'cat',
  points: [
    { x: 10, y: 10, v: 2 },
    { x: 30, y: 20, v: 1 },
    { x: 99, y: 99, v: 0 },
  ],
};
const line = {
  type: 'polyline',
  id: 'l1',
  label: 'cat',
  points: [
    [1, 1],
    [2, 2],
  ],
};

describe('COCO writer', () => {
  it('writes boxes, polygons and keypoints with hand-checked numbers', async () => {
    const { files, skipped } = await collect(
      writeCoco,
      [imageRecord('a/b.jpg', 200, 100, [box, poly, kps, line]), imageRecord('c.png', 10, 10, [])],
      ctxOf('image', config),
    );
    const coco = JSON.parse(files.get('annotations.json')!);
    expect(coco.images).toEqual([
      { id: 1, file_name: 'a__b.jpg', width: 200, height: 100, source_id: 'a/b.jpg' },
      { id: 2, file_name: 'c.jpg', width: 10, height: 10, source_id: 'c.png' },
    ]);
    expect(coco.annotations).toEqual([
      {
        id: 1,
        image_id: 1,
        category_id: 2,
        bbox: [10, 20, 30, 40],
        area: 1200,
        segmentation: [],
        iscrowd: 0,
      },
      {
        id: 2,
        image_id: 1,
        category_id: 1,
        bbox: [0, 0, 100, 50],
        area: 2500,
        segmentation: [[0, 0, 100, 0, 100, 50]],
        iscrowd: 0,
      },
      {
        id: 3,
        image_id: 1,
        category_id: 1,
        bbox: [10, 10, 20, 10],
        area: 200,
        segmentation: [],
        keypoints: [10, 10, 2, 30, 20, 1, 0, 0, 0],
        num_keypoints: 2,
        iscrowd: 0,
      },
    ]);
    expect(coco.categories).toEqual([
      {
        id: 1,
        name: 'cat',
        supercategory: '',
        keypoints: ['left_eye', 'right_eye', 'nose'],
        skeleton: [
          [1, 3],
          [2, 3],
        ],
      },
      { id: 2, name: 'dog', supercategory: '' },
    ]);
    expect(skipped.list()).toEqual([{ reason: 'polyline results have no COCO form', count: 1 }]);
  });

  it('writes a rotated box as its bounds, corner polygon and rotation attribute; clamps to the image', async () => {
    const rot = { type: 'bbox', id: 'r', label: 'cat', x: 0, y: 0, w: 20, h: 10, rotation: 90 };
    const out = { type: 'bbox', id: 'o', label: 'cat', x: -5, y: 90, w: 20, h: 20 };
    const { files } = await collect(
      writeCoco,
      [imageRecord('x', 100, 100, [rot, out])],
      ctxOf('image', config),
    );
    const [a, b] = JSON.parse(files.get('annotations.json')!).annotations;
    // Centre (10,5); rotated 90° it spans x 5..15, y -5..15, clamped to y 0..15.
    expect(a.bbox.map((v: number) => Math.round(v * 1e9) / 1e9)).toEqual([5, 0, 10, 15]);
    expect(a.attributes).toEqual({ rotation: 90 });
    expect(a.segmentation[0]).toHaveLength(8);
    expect(b.bbox).toEqual([0, 90, 15, 10]);
    expect(b.area).toBe(150);
  });

  it('writes one file per split, each complete even when empty', async () => {
    const { files } = await collect(
      writeCoco,
      [imageRecord('a', 10, 10, [box], { split: 'val' })],
      ctxOf('image', config, true),
    );
    expect([...files.keys()].sort()).toEqual([
      'annotations/instances_test.json',
      'annotations/instances_train.json',
      'annotations/instances_val.json',
    ]);
    expect(JSON.parse(files.get('annotations/instances_val.json')!).images).toHaveLength(1);
    expect(JSON.parse(files.get('annotations/instances_train.json')!).images).toEqual([]);
  });
});

describe('YOLO writers', () => {
  it('detect: normalized centre boxes, class ids from 0, data.yaml names', async () => {
    const { files } = await collect(
      yoloWriter('detect'),
      [imageRecord('a.jpg', 200, 100, [box, poly]), imageRecord('empty.jpg', 10, 10, [])],
      ctxOf('image', config),
    );
    expect(files.get('labels/a.txt')).toBe('1 0.125 0.4 0.15 0.4\n0 0.25 0.25 0.5 0.5\n');
    expect(files.has('labels/empty.txt')).toBe(false);
    expect(files.get('data.yaml')).toContain('names:\n  0: "cat"\n  1: "dog"\n');
    expect(files.get('data.yaml')).toContain('train: images\nval: images\n');
  });

  it('segment, obb and pose lines', async () => {
    const rec = [imageRecord('a.jpg', 200, 100, [box, poly, kps])];
    const seg = await collect(yoloWriter('segment'), rec, ctxOf('image', config));
    expect(seg.files.get('labels/a.txt')).toBe('1 0.05 0.2 0.2 0.2 0.2 0.6 0.05 0.6\n0 0 0 0.5 0 0.5 0.5\n');
    const obb = await collect(yoloWriter('obb'), rec, ctxOf('image', config));
    expect(obb.files.get('labels/a.txt')).toBe('1 0.05 0.2 0.2 0.2 0.2 0.6 0.05 0.6\n');
    const pose = await collect(yoloWriter('pose'), rec, ctxOf('image', config, true));
    expect(pose.files.get('labels/a.txt')).toBe('0 0.1 0.15 0.1 0.1 0.05 0.1 2 0.15 0.2 1 0 0 0\n');
    expect(pose.files.get('data.yaml')).toContain('kpt_shape: [3, 3]\nflip_idx: [1, 0, 2]\n');
    expect(pose.files.get('data.yaml')).toContain(
      'train: images/train\nval: images/val\ntest: images/test\n',
    );
  });

  it('flip_idx pairs left and right points', () => {
    expect(
      flipIndex({ points: [{ name: 'Nose' }, { name: 'left_knee' }, { name: 'right_knee' }], edges: [] }),
    ).toEqual([0, 2, 1]);
  });
});

describe('Pascal VOC writer', () => {
  it('writes 1-based inclusive integer boxes and escapes names', async () => {
    const first = {
      type: 'bbox',
      id: 'f',
      label: 'a<b',
      x: 0,
      y: 0,
      w: 1,
      h: 1,
      attributes: { difficult: true },
    };
    const { files } = await collect(
      writeVoc,
      [imageRecord('a.jpg', 200, 100, [box, first, kps])],
      ctxOf('image', config),
    );
    const xml = files.get('Annotations/a.xml')!;
    expect(xml).toContain('<size><width>200</width><height>100</height><depth>3</depth></size>');
    expect(xml).toContain('<bndbox><xmin>11</xmin><ymin>21</ymin><xmax>40</xmax><ymax>60</ymax></bndbox>');
    expect(xml).toContain('<name>a&lt;b</name>');
    expect(xml).toContain('<difficult>1</difficult>');
    expect(xml).toContain('<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>1</xmax><ymax>1</ymax></bndbox>');
    expect(files.get('ImageSets/Main/trainval.txt')).toBe('a\n');
  });
});

describe('Label Studio writer', () => {
  it('writes percent rectangles rotated about their top-left corner', async () => {
    const rot = { type: 'bbox', id: 'r', label: 'cat', x: 0, y: 0, w: 20, h: 10, rotation: 90 };
    const { files } = await collect(
      writeLabelStudio,
      [imageRecord('a.jpg', 200, 100, [box, rot])],
      ctxOf('image', config),
    );
    const [task] = JSON.parse(files.get('label-studio.json')!);
    expect(task.data).toEqual({ image: 'images/a.jpg' });
    const [r0, r1] = task.annotations[0].result;
    expect(r0).toMatchObject({
      from_name: 'box',
      to_name: 'image',
      type: 'rectanglelabels',
      original_width: 200,
      original_height: 100,
      value: { x: 5, y: 20, width: 15, height: 40, rotation: 0, rectanglelabels: ['dog'] },
    });
    // Top-left corner (0,0) rotated 90° about the centre (10,5) lands on (15,-5).
    expect(r1.value.x).toBeCloseTo(7.5);
    expect(r1.value.y).toBeCloseTo(-5);
    expect(r1.value.rotation).toBe(90);
    expect(files.get('label_config.xml')).toContain(
      '<RectangleLabels name="box" toName="image" canRotate="false">',
    );
  });
});
