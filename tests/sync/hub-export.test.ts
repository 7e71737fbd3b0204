import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addUser } from '../../src/hub';
import { ExportJob, ExportPreviewResult, ExportSources } from '../../src/shared/contract';
import {
  createImageProject,
  openClient,
  startHub,
  closeAfterEach,
  threeDemoImages,
  syncUntilQuiet,
  tmpDir,
} from './harness';

/**
 * A lead exports a hub project from the workbench's export screen: listed with the hub's
 * versions, previewed by the hub, streamed into a hidden file and renamed; the hub's role check
 * and the options a zip cannot carry are refused naming the field; a cancel leaves nothing.
 */

const closing = closeAfterEach();

const box = (id: string, x: number) => ({
  type: 'bbox' as const,
  id,
  label: 'person',
  x,
  y: 10,
  w: 20,
  h: 30,
  rotation: 0,
  attributes: {},
});

describe('export from the hub in the workbench', () => {
  it('lists, previews and streams a lead’s hub export; refuses an annotator', async () => {
    const hub = closing.hub(await startHub('sqlite'));
    const projectId = await createImageProject(hub, threeDemoImages(), 'exp');
    const ann = await addUser(hub.storage, { name: 'ann', role: 'annotator', project: projectId });
    const lee = await addUser(hub.storage, { name: 'lee', role: 'lead', project: projectId });
    const a = await openClient(hub.url, ann.token);
    const l = await openClient(hub.url, lee.token);
    closing.clients(a, l);

    expect((await a.handlers['tasks.getMore']({ projectId, count: 3 })).leased).toBe(3);
    for (let i = 0; i < 3; i++) {
      const view = await a.handlers['tasks.claimNext']({});
      if (!view) throw new Error('no task');
      await a.handlers['tasks.submit']({
        taskId: view.task.id,
        annotation: { results: [box(`b${i}`, 5 + i)], activeMs: 1000 },
      });
    }
    await syncUntilQuiet(a);

    // The annotator leads nothing: no hub project, and the reason.
    const annSources = ExportSources.parse(await a.handlers['export.sources']({}));
    expect(annSources.projects.filter((p) => p.source === 'hub')).toEqual([]);
    expect(annSources.hubNote).toMatch(/lead no project/);

    const s = ExportSources.parse(await l.handlers['export.sources']({}));
    const p = s.projects.find((x) => x.source === 'hub' && x.id === projectId)!;
    expect(p.versions).toEqual(['latest', 'submitted', 'accepted', 'reviewed', 'consensus']);
    expect(p.annotators).toContain('ann');
    expect(p.submitted).toBe(3);

    const r = await l.dispatch('export.preview', {
      projectId,
      source: 'hub',
      options: { format: 'coco', split: [0.6, 0.4, 0] },
    });
    if (!r.ok) throw new Error(r.error.message);
    const preview = ExportPreviewResult.parse(r.value);
    expect(preview.records).toBe(3);
    expect(preview.perSplit.all.labels).toEqual({ person: 3 });

    const out = tmpDir('out');
    const jobs: ExportJob[] = [];
    l.events.subscribe((e, j) => {
      if (e === 'export.progress') jobs.push(ExportJob.parse(j));
    });
    const sr = await l.dispatch('export.start', {
      projectId,
      source: 'hub',
      options: { format: 'yolo-detect', images: 'zip' },
      outDir: out,
    });
    if (!sr.ok) throw new Error(sr.error.message);
    const started = ExportJob.parse(sr.value);
    expect(started).toMatchObject({ source: 'hub', state: 'running', total: null });
    const done = await l.exports.settled(started.exportId);
    expect(done).toMatchObject({ state: 'finished', records: 3 });
    expect(done.bytes).toBeGreaterThan(1000);
    expect(fs.readdirSync(out)).toEqual([path.basename(done.path!)]);
    const zip = fs.readFileSync(done.path!);
    expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(zip.includes(Buffer.from('data.yaml'))).toBe(true);
    expect(zip.includes(Buffer.from('images/astronaut.png'))).toBe(true);
    expect(jobs.at(-1)).toMatchObject({ state: 'finished', path: done.path });

    // What a zip cannot carry, and the hub's own refusals, name the field.
    const copy = await l.dispatch('export.start', {
      projectId,
      source: 'hub',
      options: { format: 'coco', images: 'copy' },
    });
    expect(copy).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', path: 'options.images' } });
    const wrong = await l.dispatch('export.preview', {
      projectId,
      source: 'hub',
      options: { format: 'conll' },
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', path: 'options.format' } });
    const denied = await a.exports.start({
      projectId,
      source: 'hub',
      options: { format: 'coco', version: 'latest', seed: 0, images: 'none' },
      outDir: tmpDir('denied'),
    });
    const end = await a.exports.settled(denied.exportId);
    expect(end.state).toBe('failed');
    expect(end.message).toMatch(/lead|admin|not allowed|permission|role/i);

    // A cancelled hub export leaves nothing behind.
    const out2 = tmpDir('out2');
    const c = await l.exports.start({
      projectId,
      source: 'hub',
      options: { format: 'coco', version: 'latest', seed: 0, images: 'zip' },
      outDir: out2,
    });
    expect((await l.exports.cancel(c.exportId)).state).toBe('cancelled');
    expect(fs.readdirSync(out2)).toEqual([]);
  });

  it('exports review states reviewed on this computer, and says why not for others', async () => {
    const hub = closing.hub(await startHub('sqlite'));
    const projectId = await createImageProject(hub, threeDemoImages(), 'rev');
    await hub.storage.setReviewPolicy(projectId, 'all', ['wrong label']);
    const ann = await addUser(hub.storage, { name: 'ann', role: 'annotator', project: projectId });
    const rev = await addUser(hub.storage, { name: 'rita', role: 'reviewer', project: projectId });
    const a = await openClient(hub.url, ann.token);
    const r = await openClient(hub.url, rev.token);
    closing.clients(a, r);
    await a.handlers['tasks.getMore']({ projectId, count: 3 });
    for (let i = 0; i < 3; i++) {
      const view = await a.handlers['tasks.claimNext']({});
      if (!view) throw new Error('no task');
      await a.handlers['tasks.submit']({
        taskId: view.task.id,
        annotation: { results: [box(`b${i}`, 5 + i)], activeMs: 1000 },
      });
    }
    await syncUntilQuiet(a);
    expect((await r.handlers['review.lease']({ projectId, count: 10 })).leased).toBe(3);
    const items = (await r.handlers['review.list']({ projectId, limit: 10, offset: 0 })).items;
    // One accepted as is, one fixed (the box moved to x = 50), one rejected — offline, unsent.
    await r.handlers['review.accept']({ submissionId: items[0]!.submissionId, comments: [] });
    await r.handlers['review.fix']({
      submissionId: items[1]!.submissionId,
      annotation: { results: [box('fixed', 50)], activeMs: 1 },
      comments: [],
    });
    await r.handlers['review.reject']({
      submissionId: items[2]!.submissionId,
      reason: 'wrong label',
      comments: [],
    });

    const rs = ExportSources.parse(await r.handlers['export.sources']({}));
    const local = rs.projects.find((p) => p.source === 'local' && p.id === projectId)!;
    expect(local.versions).toEqual(['latest', 'submitted', 'accepted', 'reviewed']);
    expect(local.unavailable.map((u) => u.version)).toEqual(['consensus']);
    const preview = async (version: string) => {
      const res = await r.dispatch('export.preview', { projectId, options: { format: 'jsonl', version } });
      if (!res.ok) throw new Error(res.error.message);
      return ExportPreviewResult.parse(res.value);
    };
    expect((await preview('accepted')).records).toBe(1);
    expect((await preview('reviewed')).records).toBe(2);
    const job = await r.exports.start({
      projectId,
      options: { format: 'jsonl', version: 'reviewed', seed: 0, images: 'none' },
      outDir: tmpDir('rev-out'),
    });
    const done = await r.exports.settled(job.exportId);
    expect(done).toMatchObject({ state: 'finished', records: 2, total: 2 });
    const rows = fs
      .readdirSync(done.path!)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => fs.readFileSync(path.join(done.path!, f), 'utf8').trim().split('\n'));
    expect(rows.join('\n')).toContain('"x":50');
    expect(rows.join('\n')).not.toContain('"x":7');

    // The annotator's own workspace holds no acceptances: the version is refused, with why.
    const as = ExportSources.parse(await a.handlers['export.sources']({}));
    const mine = as.projects.find((p) => p.source === 'local' && p.id === projectId)!;
    expect(mine.unavailable.find((u) => u.version === 'reviewed')?.reason).toMatch(/only of rejections/);
    const refused = await a.dispatch('export.preview', {
      projectId,
      options: { format: 'jsonl', version: 'reviewed' },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', path: 'options.version' } });
  });
});
