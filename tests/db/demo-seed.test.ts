import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkbenchInternals, type WorkbenchInternals } from '../../src/main/core/workbench';
import { sha256Hex } from '../../src/main/core/assets';
import { DemoDataError } from '../../src/main/core/demo';
import { LabelConfig, Project, Task } from '../../src/shared/model';
import { RESOURCES_DIR, manualClock, tempDir, withOrientation } from './helpers';

const open = (dataDir: string, resourcesDir = RESOURCES_DIR): Promise<WorkbenchInternals> =>
  openWorkbenchInternals({ dataDir, resourcesDir, mode: 'test', clock: manualClock() });

/** A private copy of resources/ the test may change. */
const copyResources = (to: string): string => {
  fs.cpSync(RESOURCES_DIR, to, { recursive: true });
  return to;
};

describe('demo seeding', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('the shipped demo project files validate against the shared schemas', () => {
    for (const kind of ['image', 'text', 'comparison']) {
      const raw = JSON.parse(
        fs.readFileSync(path.join(RESOURCES_DIR, 'demo', `${kind}-project.json`), 'utf8'),
      );
      expect(LabelConfig.safeParse(raw.labelConfig).success, `${kind} label config`).toBe(true);
      const p = Project.safeParse(raw);
      expect(p.success, `${kind}: ${JSON.stringify(p.error?.issues)}`).toBe(true);
      expect(p.data?.kind).toBe(kind);
    }
  });

  it('seeds three projects and every demo task into an empty database, images first', async () => {
    const wb = await open(dir);
    const projects = await wb.queue.listProjects();
    expect(projects.map((p) => p.id)).toEqual(['demo-image', 'demo-text', 'demo-comparison']);
    const images = fs.readdirSync(path.join(RESOURCES_DIR, 'demo', 'images')).length;
    const texts = fs
      .readFileSync(path.join(RESOURCES_DIR, 'demo', 'texts.jsonl'), 'utf8')
      .trim()
      .split('\n').length;
    const cmps = fs
      .readFileSync(path.join(RESOURCES_DIR, 'demo', 'comparisons.jsonl'), 'utf8')
      .trim()
      .split('\n').length;
    const list = await wb.queue.list({ limit: 1000, offset: 0 });
    expect(list.total).toBe(images + texts + cmps);
    const kinds = list.items.map((t) => t.kind);
    expect(kinds).toEqual([
      ...Array(images).fill('image'),
      ...Array(texts).fill('text'),
      ...Array(cmps).fill('comparison'),
    ]);
    expect((await wb.queue.claimNext())?.view.task.data.kind).toBe('image');
    await wb.close();
  });

  it('stores each image content-addressed with its sha256 and displayed size', async () => {
    const wb = await open(dir);
    const { items } = await wb.queue.list({ projectId: 'demo-image', limit: 100, offset: 0 });
    for (const item of items) {
      const { task } = await wb.queue.open(item.id);
      expect(Task.safeParse(task).success).toBe(true);
      if (task.data.kind !== 'image') throw new Error('expected an image task');
      const img = task.data.image;
      const original = fs.readFileSync(path.join(RESOURCES_DIR, 'demo', 'images', img.fileName));
      expect(img.sha256).toBe(sha256Hex(original));
      expect(img.bytes).toBe(original.length);
      const served = wb.assets.path(img.sha256);
      expect(served).toBe(path.join(dir, 'assets', img.sha256));
      expect(sha256Hex(fs.readFileSync(served!))).toBe(img.sha256);
    }
    const hubble = await wb.queue.open('image-hubble_deep_field');
    expect(hubble.task.data).toMatchObject({ image: { width: 1000, height: 872, mime: 'image/jpeg' } });
    await wb.close();
  });

  it('stores the displayed size of a JPEG with EXIF orientation 6', async () => {
    const res = copyResources(path.join(dir, 'res'));
    const file = path.join(res, 'demo', 'images', 'hubble_deep_field.jpg');
    fs.writeFileSync(file, withOrientation(fs.readFileSync(file), 6));
    const wb = await open(path.join(dir, 'data'), res);
    const hubble = await wb.queue.open('image-hubble_deep_field');
    expect(hubble.task.data).toMatchObject({ image: { width: 872, height: 1000 } });
    await wb.close();
  });

  it('normalizes texts to NFC at import', async () => {
    const res = copyResources(path.join(dir, 'res'));
    const nfd = 'Nguyễn ở Hà Nội'.normalize('NFD');
    expect(nfd).not.toBe(nfd.normalize('NFC'));
    fs.appendFileSync(
      path.join(res, 'demo', 'texts.jsonl'),
      `${JSON.stringify({ id: 'text-nfd', title: nfd, text: nfd })}\n`,
    );
    fs.writeFileSync(
      path.join(res, 'demo', 'comparisons.jsonl'),
      `${JSON.stringify({
        id: 'cmp-nfd',
        prompt: nfd,
        responses: [
          { id: 'a', text: nfd },
          { id: 'b', text: 'x' },
        ],
      })}\n`,
    );
    const wb = await open(path.join(dir, 'data'), res);
    const t = await wb.queue.open('text-nfd');
    expect(t.task.data).toEqual({ kind: 'text', text: nfd.normalize('NFC'), title: nfd.normalize('NFC') });
    const c = await wb.queue.open('cmp-nfd');
    if (c.task.data.kind !== 'comparison') throw new Error('expected a comparison');
    expect(c.task.data.prompt).toBe(nfd.normalize('NFC'));
    expect(c.task.data.responses[0]!.text).toBe(nfd.normalize('NFC'));
    // The shipped texts keep their emoji, CRLF and scripts intact.
    const shipped = await wb.queue.open('text-2');
    expect(shipped.task.data).toMatchObject({ text: expect.stringContaining('\r\n') });
    await wb.close();
  });

  it('is idempotent: a second start seeds nothing and keeps the work', async () => {
    const first = await open(dir);
    const claimed = await first.queue.claimNext();
    await first.queue.submit(claimed!.view.task.id, { results: [], activeMs: 5 });
    const total = (await first.queue.list({ limit: 1, offset: 0 })).total;
    await first.close();
    const second = await open(dir);
    expect((await second.queue.list({ limit: 1, offset: 0 })).total).toBe(total);
    expect((await second.queue.listProjects()).length).toBe(3);
    expect((await second.queue.counts()).submitted).toBe(1);
    await second.close();
  });

  it('a demo file that fails its schema is a clear error naming the file and field', async () => {
    const res = copyResources(path.join(dir, 'res'));
    const file = path.join(res, 'demo', 'text-project.json');
    const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    raw.labelConfig.labels[0].color = 'red';
    fs.writeFileSync(file, JSON.stringify(raw));
    await expect(open(path.join(dir, 'data'), res)).rejects.toThrow(DemoDataError);
    await expect(open(path.join(dir, 'data2'), res)).rejects.toThrow(
      /text-project\.json: labelConfig\.labels\.0\.color/,
    );
    fs.appendFileSync(path.join(res, 'demo', 'texts.jsonl'), '{"id": "broken"\n');
    fs.writeFileSync(file, JSON.stringify({ ...raw, labelConfig: { ...raw.labelConfig, labels: [] } }));
    await expect(open(path.join(dir, 'data3'), res)).rejects.toThrow(/texts\.jsonl:6/);
  });

  it('seedDemo: false leaves the database empty', async () => {
    const wb = await openWorkbenchInternals({
      dataDir: dir,
      resourcesDir: RESOURCES_DIR,
      mode: 'test',
      seedDemo: false,
    });
    expect((await wb.queue.listProjects()).length).toBe(0);
    await wb.close();
  });
});
