import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateLabelStudioConfig } from '../../src/hub/import/label-studio-config';
import { NotImported } from '../../src/hub/import/parse';
import { readCoco } from '../../src/hub/import/coco';
import { readDataYaml, readYoloLabels } from '../../src/hub/import/yolo';
import { importLabelStudioProject } from '../../src/hub/import/label-studio-project';
import { runCli } from '../hub/run-cli';
import { hubWith, imageTask } from './fixture';
import { importPredictionsCli } from './import-cli';

describe('import parsers name the file, line or JSON path, and field', () => {
  it('COCO', () => {
    const coco = (annotations: unknown[]) =>
      JSON.stringify({
        images: [{ id: 1, file_name: 'a.png', width: 10, height: 10 }],
        categories: [{ id: 1, name: 'cat' }],
        annotations,
      });
    expect(() => readCoco('{', 'p.json', new NotImported())).toThrow(/^p\.json: not valid JSON/);
    expect(() =>
      readCoco(coco([{ image_id: 1, category_id: 1, bbox: [0, 0, 'x', 1] }]), 'p.json', new NotImported()),
    ).toThrow(/^p\.json: \$\.annotations\[0\]\.bbox\[2\]: /);
    expect(() =>
      readCoco(coco([{ image_id: 9, category_id: 1, bbox: [0, 0, 1, 1] }]), 'p.json', new NotImported()),
    ).toThrow('p.json: $.annotations[0].image_id: no image with id 9');
    const ok = readCoco(
      coco([{ image_id: 1, category_id: 1, bbox: [1, 2, 3, 4], score: 0.9 }]),
      'p.json',
      new NotImported(),
    );
    expect(ok.get('a.png')?.results[0]).toMatchObject({
      type: 'bbox',
      label: 'cat',
      x: 1,
      y: 2,
      w: 3,
      h: 4,
      score: 0.9,
    });
  });

  it('YOLO', () => {
    const meta = readDataYaml('names:\n  0: cat\n  1: dog\n', 'data.yaml');
    expect(meta.names).toEqual(['cat', 'dog']);
    expect(() =>
      readYoloLabels('0 0.5 0.5 0.2 0.2\n7 0.5 0.5 0.1 0.1\n', 'a.txt', 'detect', meta, 100, 100),
    ).toThrow('a.txt line 2: field 1: class 7 is not in data.yaml names (0…1)');
    expect(() => readYoloLabels('0 0.5 x 0.2 0.2\n', 'a.txt', 'detect', meta, 100, 100)).toThrow(
      'a.txt line 1: field 3 ("x") is not a number',
    );
    expect(readYoloLabels('1 0.5 0.5 0.2 0.4 0.75\n', 'a.txt', 'detect', meta, 100, 50)[0]).toMatchObject({
      label: 'dog',
      x: 40,
      y: 15,
      w: 20,
      h: 20,
      score: 0.75,
    });
  });

  it('translates a Label Studio config and lists what it cannot', () => {
    const xml = `<View>
      <Image name="img" value="$image"/>
      <RectangleLabels name="box" toName="img"><Label value="Car" background="#ff0000"/><Label value="Bus"/></RectangleLabels>
      <Choices name="weather" toName="img" choice="multiple"><Choice value="sunny"/><Choice value="rain"/></Choices>
      <TextArea name="notes" toName="img"/>
      <BrushLabels name="mask" toName="img"><Label value="Road"/></BrushLabels>
    </View>`;
    const r = translateLabelStudioConfig(xml, 'c.xml');
    expect(r.kind).toBe('image');
    expect(r.labelConfig.tools).toEqual(['bbox', 'image-class']);
    expect(r.labelConfig.labels.map((l) => [l.name, l.color])).toEqual([
      ['Car', '#ff0000'],
      ['Bus', expect.stringMatching(/^#/)],
    ]);
    expect(r.labelConfig.classes[0]).toMatchObject({ name: 'weather', multiple: true });
    expect(r.labelConfig.allowRotation).toBe(true);
    expect(r.untranslated).toEqual(['<TextArea name="notes">', '<BrushLabels name="mask">']);
    expect(() => translateLabelStudioConfig('<View><Image name="i"', 'c.xml')).toThrow(/^c\.xml line 1: /);
    const twoDoctypes = '<!DOCTYPE a [<!ENTITY x "y">]><!DOCTYPE b [<!ENTITY x "y">]><View/>';
    expect(() => translateLabelStudioConfig(twoDoctypes, 'c.xml')).toThrow(/^c\.xml: Multiple DOCTYPE/);
  });
});

describe('Label Studio project import', () => {
  let fx: Awaited<ReturnType<typeof hubWith>>;
  beforeAll(async () => {
    fx = await hubWith({
      kind: 'image',
      labelConfig: { tools: ['bbox'], labels: [{ name: 'x', color: '#ff0000' }] },
      tasks: [imageTask('seed.png', 4, 4)],
    });
  });
  afterAll(() => fx.remove());

  const config = `<View><Text name="text" value="$text"/><Labels name="label" toName="text"><Label value="PER"/></Labels><Relations><Relation value="knows"/></Relations></View>`;
  const text = '😀 Anna meets Bob';
  const good = [
    {
      id: 11,
      data: { text },
      annotations: [
        {
          completed_by: { email: 'ann@example.com' },
          result: [
            {
              id: 'r1',
              type: 'labels',
              from_name: 'label',
              to_name: 'text',
              value: { start: 3, end: 7, text: 'Anna', labels: ['PER'] },
            },
            {
              id: 'r2',
              type: 'labels',
              from_name: 'label',
              to_name: 'text',
              value: { start: 14, end: 17, text: 'Bob', labels: ['PER'] },
            },
            { type: 'relation', from_id: 'r1', to_id: 'r2', labels: ['knows'] },
            { id: 'r3', type: 'textarea', from_name: 'n', to_name: 'text', value: { text: ['hi'] } },
          ],
        },
      ],
      predictions: [
        {
          model_version: 'ner-v2',
          score: 0.8,
          result: [{ id: 'p1', type: 'labels', value: { start: 3, end: 7, text: 'Anna', labels: ['PER'] } }],
        },
      ],
    },
  ];

  it('creates the project with its annotations as submissions, predictions as predictions', async () => {
    writeFileSync(join(fx.dir, 'ls.json'), JSON.stringify(good));
    writeFileSync(join(fx.dir, 'ls.xml'), config);
    const r = await importLabelStudioProject(fx.storage, fx.dataDir, {
      file: join(fx.dir, 'ls.json'),
      config: join(fx.dir, 'ls.xml'),
      name: 'From LS',
      now: 5,
    });
    expect(r).toMatchObject({
      tasks: 1,
      submissions: 1,
      predictions: 1,
      notImported: [{ reason: 'Label Studio "textarea" results', count: 1 }],
    });
    const subs = await fx.storage.submissions('from-ls:11');
    expect(subs).toHaveLength(1);
    const results = (subs[0]!.annotation as { results: { type: string; start?: number; text?: string }[] })
      .results;
    // UTF-16 offsets 3..7 after the emoji are code points 2..6.
    expect(results[0]).toMatchObject({ type: 'span', start: 2, end: 6, text: 'Anna' });
    expect(results[2]).toMatchObject({ type: 'relation', from: 'ls-r1', to: 'ls-r2' });
  });

  it('imports nothing when one task is bad, and says where', async () => {
    const bad = [
      ...good.map((t) => ({ ...t, id: 21 })),
      {
        id: 22,
        data: { text: 'x' },
        annotations: [{ result: [{ type: 'labels', value: { start: 5, end: 2, labels: ['PER'] } }] }],
      },
    ];
    mkdirSync(join(fx.dir, 'bad'), { recursive: true });
    writeFileSync(join(fx.dir, 'bad/ls.json'), JSON.stringify(bad));
    const r = await runCli(
      'import',
      'label-studio',
      '--data',
      fx.dataDir,
      '--file',
      join(fx.dir, 'bad/ls.json'),
      '--config',
      join(fx.dir, 'ls.xml'),
      '--name',
      'Bad one',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('$[1].annotations[0].result[0].value: a span needs start < end and a label');
    expect(await fx.storage.getProject('bad-one')).toBeUndefined();
  });
});

describe('pre-annotations as predictions', () => {
  let fx: Awaited<ReturnType<typeof hubWith>>;
  beforeAll(async () => {
    fx = await hubWith({
      kind: 'image',
      labelConfig: { tools: ['bbox'], labels: [{ name: 'cat', color: '#ff0000' }] },
      tasks: [imageTask('a.png', 100, 50), imageTask('b.png', 100, 50)],
    });
  });
  afterAll(() => fx.remove());
  const task = async (id: string) =>
    JSON.parse(
      String((await fx.storage.db.get('SELECT predictions FROM tasks WHERE id = ?', [id]))?.predictions),
    );

  it('attaches COCO and YOLO predictions with model and score; a file naming an unknown image imports nothing', async () => {
    const coco = {
      images: [{ id: 1, file_name: 'dir/a.png', width: 100, height: 50 }],
      categories: [{ id: 3, name: 'cat' }],
      annotations: [{ image_id: 1, category_id: 3, bbox: [1, 2, 3, 4], score: 0.4 }],
    };
    writeFileSync(join(fx.dir, 'pred.json'), JSON.stringify(coco));
    const r = await importPredictionsCli(fx, 'coco', join(fx.dir, 'pred.json'), 'det-v1', '--score', '0.7');
    expect(r).toMatchObject({ code: 0 });
    expect(await task('proj:a.png')).toEqual([
      { model: 'det-v1', score: 0.7, results: [expect.objectContaining({ type: 'bbox', x: 1, score: 0.4 })] },
    ]);
    mkdirSync(join(fx.dir, 'yolo/labels'), { recursive: true });
    writeFileSync(join(fx.dir, 'yolo/data.yaml'), 'names: [cat]\n');
    writeFileSync(join(fx.dir, 'yolo/labels/b.txt'), '0 0.5 0.5 0.2 0.2\n');
    writeFileSync(join(fx.dir, 'yolo/labels/zzz.txt'), '0 0.5 0.5 0.2 0.2\n');
    const bad = await importPredictionsCli(fx, 'yolo-detect', join(fx.dir, 'yolo'), 'y');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(
      '1 image(s) or task(s) not in project proj (first: labels/zzz.txt); nothing was imported',
    );
    expect(await task('proj:b.png')).toEqual([]);
  });
});
