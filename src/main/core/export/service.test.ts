import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportJob, ExportPreviewResult, ExportSources } from '../../../shared/contract';
import { ExportOptions, type ExportOptionsInput } from '../../../shared/export';
import { RESOURCES_DIR, manualClock, tempDir } from '../../../../tests/db/helpers';
import { openWorkbenchInternals, type WorkbenchInternals } from '../workbench';

const box = (id: string, label: string) => ({ type: 'bbox', id, label, x: 4, y: 5, w: 20, h: 10 });
const LABELS = ['person', 'animal', 'object'];

describe('ExportService (the workbench export)', () => {
  let dir: string;
  let cleanup: () => void;
  let wb: WorkbenchInternals;
  let jobs: ExportJob[];
  const clock = manualClock();
  const outDir = () => path.join(dir, 'exports');

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir('outrigger-export-'));
    wb = await openWorkbenchInternals({ dataDir: dir, resourcesDir: RESOURCES_DIR, mode: 'test', clock });
    jobs = [];
    wb.events.subscribe((e, p) => {
      if (e === 'export.progress') jobs.push(ExportJob.parse(p));
    });
    // Every demo image submitted with one or two boxes.
    for (let i = 0; ; i++) {
      const v = await wb.queue.claimNext({ projectId: 'demo-image' });
      if (!v) break;
      const results = [box(`a${i}`, LABELS[i % 3]!), ...(i % 2 ? [box(`b${i}`, 'person')] : [])];
      clock.advance(60_000);
      await wb.queue.submit(v.view.task.id, { results, activeMs: 1000 } as never);
    }
  });
  afterEach(async () => {
    await wb.close();
    cleanup();
  });

  const req = (options: ExportOptionsInput) => ({
    projectId: 'demo-image',
    options: ExportOptions.parse(options),
  });
  const leftovers = () => (fs.existsSync(outDir()) ? fs.readdirSync(outDir()) : []);

  it('lists the exportable projects with their submitted work and formats', async () => {
    const s = ExportSources.parse(await wb.exports.sources());
    const img = s.projects.find((p) => p.id === 'demo-image')!;
    expect(img.submitted).toBe(10);
    expect(img.formats).toContain('coco');
    expect(img.formats).not.toContain('conll');
    expect(img.labels).toEqual(expect.arrayContaining(['person', 'space']));
    expect(img.source).toBe('local');
    expect(img.versions).toEqual(['latest', 'submitted']);
    // Review states are not on this computer for work that was not reviewed here: said, with why.
    expect(img.unavailable.map((u) => u.version)).toEqual(['accepted', 'reviewed', 'consensus']);
    expect(img.unavailable[0]!.reason).toMatch(/only of rejections/);
    expect(s.hubNote).toMatch(/not signed in/i);
  });

  it('previews counts per split and per label, the same seed giving the same counts', async () => {
    const p = ExportPreviewResult.parse(
      await wb.exports.preview(req({ format: 'coco', split: [0.6, 0.2, 0.2], seed: 3 })),
    );
    expect(p.records).toBe(10);
    expect(p.results).toBe(15);
    expect(p.perSplit.all.labels).toEqual({ person: 4 + 5, animal: 3, object: 3 });
    const parts = [p.perSplit.train, p.perSplit.val, p.perSplit.test];
    expect(parts.reduce((n, s) => n + s.records, 0)).toBe(10);
    expect(p.perSplit.train.records).toBeGreaterThan(p.perSplit.val.records);
    expect(await wb.exports.preview(req({ format: 'coco', split: [0.6, 0.2, 0.2], seed: 3 }))).toEqual(p);
    const only = await wb.exports.preview(req({ format: 'coco', labels: ['animal'] }));
    expect(only.perSplit.all.labels).toEqual({ animal: 3 });
  });

  it('writes a COCO export with progress events, renamed into place, that the checker accepts', async () => {
    const started = await wb.exports.start(req({ format: 'coco' }));
    expect(started).toMatchObject({ state: 'running', total: 10, path: null });
    const done = await wb.exports.settled(started.exportId);
    expect(done.state).toBe('finished');
    expect(done.records).toBe(10);
    expect(leftovers()).toEqual([path.basename(done.path!)]);
    const file = path.join(done.path!, 'annotations.json');
    const coco = JSON.parse(fs.readFileSync(file, 'utf8')) as { images: unknown[]; annotations: unknown[] };
    expect([coco.images.length, coco.annotations.length]).toEqual([10, 15]);
    expect(jobs.at(-1)).toMatchObject({ exportId: started.exportId, state: 'finished', path: done.path });
    expect(jobs[0]!.state).toBe('running');
    if (spawnSync('python3', ['--version']).status === 0) {
      const r = spawnSync('python3', ['tests/export/check_datasets.py', 'coco', file], { encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`).toMatch(/^ok /);
    }
    expect(await wb.exports.openFolder(started.exportId)).toEqual({ opened: false, path: done.path });
  });

  it('zips annotations and images into one file', async () => {
    const s = await wb.exports.start(req({ format: 'yolo-detect', images: 'zip', split: [0.8, 0.1, 0.1] }));
    const done = await wb.exports.settled(s.exportId);
    expect(done.state).toBe('finished');
    expect(done.path!.endsWith('.zip')).toBe(true);
    expect(fs.readFileSync(done.path!).subarray(0, 2).toString()).toBe('PK');
    expect(leftovers()).toEqual([path.basename(done.path!)]);
  });

  it('a cancelled export leaves nothing behind', async () => {
    const s = await wb.exports.start(req({ format: 'coco', images: 'copy' }));
    const end = await wb.exports.cancel(s.exportId);
    expect(end).toMatchObject({ state: 'cancelled', path: null });
    expect(leftovers()).toEqual([]);
    expect(jobs.at(-1)?.state).toBe('cancelled');
  });

  it('a failed export (an image missing from the store) leaves nothing and says why', async () => {
    const sha = (
      wb.db.prepare("SELECT data FROM tasks WHERE project_id = 'demo-image' LIMIT 1").get() as {
        data: string;
      }
    ).data.match(/"sha256":"([0-9a-f]{64})"/)![1]!;
    fs.rmSync(wb.assetStore.path(sha)!);
    const s = await wb.exports.start(req({ format: 'coco', images: 'copy' }));
    const end = await wb.exports.settled(s.exportId);
    expect(end.state).toBe('failed');
    expect(end.message).toMatch(/image of task .* is not in this workspace/);
    expect(leftovers()).toEqual([]);
  });

  it('refuses what this workspace cannot export, naming the field', async () => {
    const r = await wb.dispatch('export.start', {
      projectId: 'demo-image',
      options: { format: 'coco', version: 'reviewed' },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', path: 'options.version' } });
    const f = await wb.dispatch('export.preview', { projectId: 'demo-image', options: { format: 'conll' } });
    expect(f).toMatchObject({ ok: false, error: { path: 'options.format' } });
    const n = await wb.dispatch('export.preview', { projectId: 'nope', options: { format: 'coco' } });
    expect(n).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
