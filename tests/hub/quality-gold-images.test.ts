// Gold tasks of an image project (issue 12.3), on SQLite and on PostgreSQL: gold images are
// leased like any other — same shape, no answer or flag in the bytes the hub sends, their image
// served like any — and what comes back is scored by IoU matching of boxes and polygons
// (annotationAgreement) into each annotator's gold accuracy.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addGoldTasks } from '../../src/hub/admin/gold';
import { createProject } from '../../src/hub/admin/projects';
import { addUser } from '../../src/hub/admin/users';
import { LabelConfig } from '../../src/shared/model';
import { LeaseResponse, PushResponse, QualityReport } from '../../src/shared/sync';
import { submit } from './helpers';
import { httpFixture, type HttpFixture } from './http.fixture';

const box = (id: string, label: string, x: number, y: number, w: number, h: number) => ({
  type: 'bbox',
  id,
  label,
  x,
  y,
  w,
  h,
  rotation: 0,
  attributes: {},
});
const polygon = (id: string, label: string, pts: [number, number][]) => ({
  type: 'polygon',
  id,
  label,
  points: pts,
  attributes: {},
});
const square = (x: number, y: number, s: number): [number, number][] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
];

describe.each([
  ['SQLite', false],
  ['PostgreSQL', true],
])('gold image tasks on %s', (_name, pg) => {
  let f: HttpFixture;
  afterEach(async () => f?.close());

  it('leases gold images indistinguishably and scores boxes and polygons by IoU', async () => {
    f = await httpFixture({ pg });
    const images = join(f.dataDir, 'shapes');
    const gold = join(f.dataDir, 'gold-images');
    mkdirSync(images);
    mkdirSync(gold);
    copyFileSync('resources/demo/images/astronaut.png', join(images, 'img-1.png'));
    copyFileSync('resources/demo/images/camera.png', join(images, 'img-2.png'));
    copyFileSync('resources/demo/images/coffee.png', join(gold, 'frame-901.png'));
    copyFileSync('resources/demo/images/coins.png', join(gold, 'frame-902.png'));
    const { project } = await createProject(
      f.storage,
      f.dataDir,
      {
        name: 'Shapes',
        labelConfig: LabelConfig.parse({
          tools: ['bbox', 'polygon'],
          labels: [
            { name: 'car', color: '#ff0000' },
            { name: 'person', color: '#00ff00' },
          ],
        }),
        images,
      },
      () => f.clock.now,
    );
    const { token } = await addUser(
      f.storage,
      { name: 'iris', role: 'annotator', project: project.id },
      () => f.clock.now,
    );
    const answers = join(f.dataDir, 'answers.jsonl');
    writeFileSync(
      answers,
      [
        {
          id: 'frame-901.png',
          annotation: {
            results: [
              box('answer-secret-1', 'car', 10, 10, 100, 80),
              polygon('answer-secret-2', 'person', square(200, 200, 60)),
            ],
          },
        },
        {
          id: 'frame-902.png',
          annotation: {
            results: [
              box('answer-secret-3', 'car', 0, 0, 50, 50),
              box('answer-secret-4', 'car', 100, 0, 50, 50),
            ],
          },
        },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    );
    await addGoldTasks(f.storage, f.dataDir, {
      project: project.id,
      batch: 'qa-frames',
      images: gold,
      gold: answers,
    });
    await f.storage.setGoldRate(project.id, 0.5);

    const res = await f.call('POST', '/v1/leases', {
      token,
      body: { projectId: project.id, deviceId: 'dev-iris', count: 4 },
    });
    expect(res.statusCode).toBe(200);
    const bytes = res.rawPayload.toString('utf8');
    const leases = LeaseResponse.parse(JSON.parse(bytes)).leases;
    const goldLeases = leases.filter((l) => l.taskId.includes('frame-90'));
    expect(goldLeases).toHaveLength(2);
    expect(leases).toHaveLength(4);
    // No answer (its region ids, its coordinates), no flag, no batch name on the wire.
    for (const secret of ['answer-secret', 'gold', 'Gold', 'answer', 'qa-frames', '"points"', '"results"'])
      expect(bytes.includes(secret), secret).toBe(false);
    // A gold lease has the very shape of an ordinary one (ids, hashes and sizes aside).
    const shape = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(shape)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, shape((v as Record<string, unknown>)[k])]),
            )
          : typeof v;
    expect(new Set(leases.map((l) => JSON.stringify(shape(l)))).size).toBe(1);
    // Its image is served like any leased task's.
    for (const l of goldLeases) {
      const data = l.task.data;
      if (data.kind !== 'image') throw new Error('an image task');
      const img = await f.call('GET', `/v1/assets/${data.image.sha256}`, { token });
      expect(img.statusCode).toBe(200);
    }

    // frame-901: the box a few pixels off (IoU 0.85) and the polygon as a slightly moved square:
    // all matched → score 1. frame-902: one box matched, one drawn elsewhere → tp 1, fp 1, fn 1,
    // F1 0.5 → score 0.5 (below the 0.8 pass mark).
    const mine: Record<string, unknown[]> = {
      'frame-901.png': [box('b1', 'car', 14, 12, 100, 80), polygon('p1', 'person', square(205, 203, 60))],
      'frame-902.png': [box('b1', 'car', 2, 1, 50, 50), box('b2', 'car', 300, 300, 50, 50)],
    };
    const mutations = goldLeases.map((l, i) =>
      submit('c-iris', i + 1, l.taskId, l.epoch, {
        payload: { annotation: { results: mine[l.taskId.split(':')[1]!], activeMs: 5 } },
      }),
    );
    const pushed = await f.call('POST', '/v1/push', { token, body: { clientId: 'c-iris', mutations } });
    expect(PushResponse.parse(pushed.json()).answers.map((a) => a.status)).toEqual(['applied', 'applied']);

    const report = await f.call('GET', `/v1/projects/${project.id}/quality`, { token: f.tokens.root });
    expect(report.statusCode).toBe(200);
    const r = QualityReport.parse(report.json());
    expect(r.annotators.find((a) => a.name === 'iris')?.gold).toEqual({ tasks: 2, score: 0.75, passed: 1 });
    // The per-submission detail the hub kept: regions matched by IoU, not compared as text.
    const detail = await f.storage.db.all(
      'SELECT task_id, score, detail FROM gold_scores WHERE project_id = ? ORDER BY task_id',
      [project.id],
    );
    expect(detail.map((d) => [String(d.task_id).split(':')[1], Number(d.score)])).toEqual([
      ['frame-901.png', 1],
      ['frame-902.png', 0.5],
    ]);
    expect(JSON.parse(String(detail[0]?.detail))).toMatchObject({ regions: { tp: 2, fp: 0, fn: 0 } });
    expect(JSON.parse(String(detail[1]?.detail))).toMatchObject({ regions: { tp: 1, fp: 1, fn: 1 } });
  });
});
