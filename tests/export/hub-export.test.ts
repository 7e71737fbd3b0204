import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportOptions } from '../../src/shared/export';
import { ExportRefusal, exportProject } from '../../src/hub/export/export';
import { box, catDogConfig, hubWith, imageTask } from './fixture';

const config = catDogConfig;

describe('hub export', () => {
  let hub: Awaited<ReturnType<typeof hubWith>>;
  beforeAll(async () => {
    hub = await hubWith({
      kind: 'image',
      labelConfig: config,
      tasks: [
        {
          ...imageTask('a.png', 100, 50),
          submissions: [{ results: [box('1', 'cat')] }, { annotator: 'bob', results: [box('2', 'dog', 9)] }],
        },
        imageTask('b.png', 10, 10, [box('3', 'dog')]),
        imageTask('c.png', 10, 10),
        ...Array.from({ length: 40 }, (_, i) =>
          imageTask(`n${i}.png`, 20, 20, [box(`x${i}`, i % 4 ? 'cat' : 'dog')]),
        ),
      ],
    });
  });
  afterAll(() => hub.remove());
  const run = (options: unknown, out: string, signal?: AbortSignal) =>
    exportProject({
      storage: hub.storage,
      dataDir: hub.dataDir,
      projectId: hub.projectId,
      options: ExportOptions.parse(options),
      out: join(hub.dir, out),
      now: 0,
      signal,
    });

  it('exports the latest version per task to COCO with images copied', async () => {
    const r = await run({ format: 'coco', images: 'copy' }, 'coco');
    expect(r.records).toBe(42);
    const coco = JSON.parse(readFileSync(join(r.path, 'annotations.json'), 'utf8'));
    const a = coco.images.find((i: { source_id: string }) => i.source_id === 'a.png');
    // bob submitted last: the latest version of a.png is his.
    expect(
      coco.annotations
        .filter((x: { image_id: number }) => x.image_id === a.id)
        .map((x: { bbox: number[] }) => x.bbox),
    ).toEqual([[9, 2, 3, 4]]);
    expect(readFileSync(join(r.path, 'images/a.png'), 'utf8')).toBe('a.png');
    expect(existsSync(join(r.path, 'images/c.png'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(r.path, 'outrigger-export.json'), 'utf8'));
    expect(manifest.options.format).toBe('coco');
  });

  it('filters by annotator and exports every submitted version', async () => {
    const r = await run({ format: 'jsonl', version: 'submitted', annotators: ['ann'] }, 'jsonl');
    const lines = readFileSync(join(r.path, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(42);
    expect(new Set(lines.map((l) => l.annotator))).toEqual(new Set(['ann']));
    const all = await run({ format: 'jsonl', version: 'submitted' }, 'jsonl-all');
    expect(all.records).toBe(43);
  });

  it("takes a task's submissions oldest first, whatever order they were stored in", async () => {
    // Stored newest first: the latest is still the one received last.
    const sub = (id: string, label: string, at: number) =>
      hub.storage.db.run(
        "INSERT INTO submissions (id, task_id, project_id, user_id, lease_epoch, annotation, conflict, superseded, received_at) VALUES (?, 'proj:c.png', 'proj', 'u-ann', 0, ?, 0, 0, ?)",
        [id, JSON.stringify({ results: [box(id, label)] }), at],
      );
    await sub('o-new', 'dog', 3000);
    await sub('o-old', 'cat', 1000);
    await sub('o-tie-b', 'dog', 2000);
    await sub('o-tie-a', 'cat', 2000);
    try {
      const rows = (r: { path: string }) =>
        readFileSync(join(r.path, 'results.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { source_id: string; results: { id: string }[] })
          .filter((l) => l.source_id === 'c.png')
          .map((l) => l.results[0]!.id);
      expect(rows(await run({ format: 'jsonl', version: 'submitted' }, 'order-all'))).toEqual([
        'o-old',
        'o-tie-a',
        'o-tie-b',
        'o-new',
      ]);
      expect(rows(await run({ format: 'jsonl' }, 'order-latest'))).toEqual(['o-new']);
    } finally {
      await hub.storage.db.run("DELETE FROM submissions WHERE id LIKE 'o-%'");
    }
  });

  it('splits by seed into YOLO folders, the same seed giving the same split', async () => {
    const a = await run({ format: 'yolo-detect', split: [0.5, 0.25, 0.25], seed: 3 }, 'yolo1');
    const b = await run({ format: 'yolo-detect', split: [0.5, 0.25, 0.25], seed: 3 }, 'yolo2');
    const list = (p: string) => ['train', 'val', 'test'].map((s) => readdirSync(join(p, 'labels', s)).sort());
    expect(list(a.path)).toEqual(list(b.path));
    // 42 labelled tasks (c.png has no submission): 21 / 10.5 / 10.5.
    const [train, val, test] = list(a.path).map((x) => x.length);
    expect([train, val! + test!]).toEqual([21, 21]);
    expect(Math.abs(val! - test!)).toBeLessThanOrEqual(1);
    expect(readFileSync(join(a.path, 'data.yaml'), 'utf8')).toContain('val: images/val');
  });

  it('refuses wrong formats and existing outputs, leaving nothing behind', async () => {
    await expect(run({ format: 'conll' }, 'x')).rejects.toBeInstanceOf(ExportRefusal);
    await expect(run({ format: 'coco' }, 'coco')).rejects.toThrow(/already exists/);
    expect(existsSync(join(hub.dir, 'x'))).toBe(false);
  });

  it('exports reviewed (fix applied) and accepted versions from the review tables', async () => {
    const subs = await hub.storage.db.all(
      "SELECT s.id, s.task_id FROM submissions s JOIN users u ON u.id = s.user_id WHERE u.name = 'ann' AND s.task_id IN ('proj:b.png', 'proj:n1.png', 'proj:n2.png') ORDER BY s.task_id",
      [],
    );
    const id = (task: string) => String(subs.find((s) => s.task_id === task)!.id);
    const item = (sub: string, task: string, status: string, verdict: string | null) =>
      hub.storage.db.run(
        `INSERT INTO reviews (submission_id, task_id, project_id, batch, author_id, status, verdict_id, created_at, pos)
         VALUES (?, ?, 'proj', 'default', 'u-ann', ?, ?, 1, 0)`,
        [sub, task, status, verdict],
      );
    await item(id('proj:b.png'), 'proj:b.png', 'accepted', null);
    await item(id('proj:n1.png'), 'proj:n1.png', 'fixed', 'v1');
    await item(id('proj:n2.png'), 'proj:n2.png', 'rejected', 'v2');
    await hub.storage.db.run(
      `INSERT INTO verdicts (id, submission_id, task_id, project_id, reviewer_id, kind, comments, annotation, active_ms, created_at)
       VALUES ('v1', ?, 'proj:n1.png', 'proj', 'u-ann', 'review.fix', '[]', ?, 1, 2)`,
      [id('proj:n1.png'), JSON.stringify({ results: [box('f', 'dog', 7)], activeMs: 1 })],
    );
    const reviewed = await run({ format: 'jsonl', version: 'reviewed' }, 'reviewed');
    const lines = readFileSync(join(reviewed.path, 'results.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { task_id: string }).task_id).sort()).toEqual([
      'proj:b.png',
      'proj:n1.png',
    ]);
    expect(lines.find((l) => l.includes('n1.png'))).toContain('"x":7');
    const accepted = await run({ format: 'jsonl', version: 'accepted' }, 'accepted');
    const acc = readFileSync(join(accepted.path, 'results.jsonl'), 'utf8').trim().split('\n');
    expect(acc).toHaveLength(1);
    expect(acc[0]).toContain('b.png');
  });

  it('filters by batch', async () => {
    await hub.storage.db.run(
      "UPDATE tasks SET batch = 'week-2' WHERE id IN ('proj:n3.png', 'proj:n5.png')",
      [],
    );
    const r = await run({ format: 'jsonl', batches: ['week-2'] }, 'batch');
    expect(r.records).toBe(2);
    await hub.storage.db.run("UPDATE tasks SET batch = 'default'", []);
  });

  it('a cancelled export leaves no file and no temporary folder', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(run({ format: 'coco', images: 'zip' }, 'cancelled', ctl.signal)).rejects.toThrow(
      /cancelled/,
    );
    expect(readdirSync(hub.dir).filter((f) => f.includes('cancelled'))).toEqual([]);
  });

  it('exports stored annotations whose client left schema defaults out', async () => {
    // The hub stores a client's own bytes: `attributes` and `rotation` may be absent.
    await hub.storage.db.run(
      "INSERT INTO submissions (id, task_id, project_id, user_id, lease_epoch, annotation, conflict, superseded, received_at) VALUES ('raw', 'proj:c.png', 'proj', 'u-ann', 0, ?, 0, 0, ?)",
      [
        JSON.stringify({ results: [{ type: 'bbox', id: 'z', label: 'cat', x: 1, y: 1, w: 2, h: 2 }] }),
        Date.now(),
      ],
    );
    const r = await run({ format: 'coco' }, 'coco-defaults');
    const coco = JSON.parse(readFileSync(join(r.path, 'annotations.json'), 'utf8'));
    expect(coco.annotations.some((a: { bbox: number[] }) => a.bbox.join() === '1,1,2,2')).toBe(true);
    await hub.storage.db.run("DELETE FROM submissions WHERE id = 'raw'");
  });

  it('names the task whose stored data or annotation fails its shape, and leaves nothing', async () => {
    const [saved] = await hub.storage.db.all("SELECT data FROM tasks WHERE id = 'proj:b.png'");
    await hub.storage.db.run("UPDATE tasks SET data = ? WHERE id = 'proj:b.png'", ['{"kind":"video"}']);
    try {
      await expect(run({ format: 'coco' }, 'bad-data')).rejects.toThrow(
        /task proj:b\.png: stored task data: value: task data must be an object of a known kind/,
      );
    } finally {
      await hub.storage.db.run("UPDATE tasks SET data = ? WHERE id = 'proj:b.png'", [saved!.data]);
    }
    await hub.storage.db.run(
      "INSERT INTO submissions (id, task_id, project_id, user_id, lease_epoch, annotation, conflict, superseded, received_at) VALUES ('bad', 'proj:c.png', 'proj', 'u-ann', 0, ?, 0, 0, ?)",
      ['{"results":[{"type":"bbox"},"x"]}', Date.now()],
    );
    try {
      await expect(run({ format: 'coco' }, 'bad-annotation')).rejects.toThrow(
        /task proj:c\.png, submission by ann: stored annotation: value: results must be a list/,
      );
    } finally {
      await hub.storage.db.run("DELETE FROM submissions WHERE id = 'bad'");
    }
    expect(readdirSync(hub.dir).filter((f) => f.includes('bad-'))).toEqual([]);
  });

  it('writes one zip with annotations and images', async () => {
    const r = await run({ format: 'voc', images: 'zip' }, 'voc');
    expect(r.path.endsWith('voc.zip')).toBe(true);
    const { default: yauzl } = await import('yauzl');
    const names = await new Promise<string[]>((res, rej) =>
      yauzl.open(r.path, { lazyEntries: false }, (err, zip) => {
        if (err || !zip) return rej(err);
        const out: string[] = [];
        zip.on('entry', (e: { fileName: string }) => out.push(e.fileName));
        zip.on('end', () => res(out));
        zip.on('error', rej);
      }),
    );
    expect(names).toContain('Annotations/a.xml');
    expect(names).toContain('images/a.png');
    expect(names).toContain('outrigger-export.json');
  });
});

describe('hub export of consensus versions', () => {
  it('merges agreeing submissions and leaves out (and counts) tasks without a clear consensus', async () => {
    const hub = await hubWith({
      kind: 'image',
      labelConfig: config,
      tasks: [
        {
          ...imageTask('agree.png', 100, 100),
          submissions: [
            { results: [box('1', 'cat', 10)] },
            { annotator: 'bob', results: [box('2', 'cat', 10.5)] },
          ],
        },
        imageTask('alone.png', 100, 100, [box('3', 'dog')]),
      ],
    });
    try {
      const r = await exportProject({
        storage: hub.storage,
        dataDir: hub.dataDir,
        projectId: hub.projectId,
        options: ExportOptions.parse({ format: 'jsonl', version: 'consensus' }),
        out: join(hub.dir, 'consensus'),
        now: 0,
      });
      expect(r.records).toBe(1);
      const line = JSON.parse(readFileSync(join(r.path, 'results.jsonl'), 'utf8').trim()) as {
        source_id: string;
        annotator: string;
        results: { label: string; x: number }[];
      };
      expect(line).toMatchObject({ source_id: 'agree.png', annotator: 'consensus' });
      expect(line.results).toHaveLength(1);
      expect(line.results[0]).toMatchObject({ label: 'cat', x: 10.25 });
      expect(r.skipped).toEqual([
        { reason: 'tasks without a clear consensus (too-few-submissions) left out', count: 1 },
      ]);
    } finally {
      await hub.remove();
    }
  });
});
