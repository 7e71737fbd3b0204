import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../hub/run-cli';
import { hubWith, imageTask } from './fixture';

const run = runCli;

describe('hub export CLI', () => {
  let fx: Awaited<ReturnType<typeof hubWith>>;
  beforeAll(async () => {
    fx = await hubWith({
      kind: 'image',
      labelConfig: { tools: ['bbox'], labels: [{ name: 'cat', color: '#ff0000' }] },
      tasks: [imageTask('a.png', 10, 10, [{ type: 'bbox', id: 'b', label: 'cat', x: 1, y: 2, w: 3, h: 4 }])],
    });
    await fx.storage.close();
  });
  afterAll(() => fx.remove().catch(() => undefined));

  it('exports to a folder and says what it wrote', async () => {
    const out = join(fx.dir, 'yolo');
    const r = await run(
      'export',
      '--data',
      fx.dataDir,
      '--project',
      fx.projectId,
      '--format',
      'yolo-detect',
      '--out',
      out,
      '--images',
      'copy',
    );
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('exported 1 versions (1 results');
    expect(readFileSync(join(out, 'labels/a.txt'), 'utf8')).toBe('0 0.25 0.4 0.3 0.4\n');
    expect(existsSync(join(out, 'images/a.png'))).toBe(true);
  });

  it('names the flag at fault and exits 2', async () => {
    const base = ['export', '--data', fx.dataDir, '--project', fx.projectId, '--out', join(fx.dir, 'x')];
    expect((await run(...base, '--format', 'cocoa')).err).toMatch(/^hub export: --format: /);
    expect((await run(...base, '--format', 'coco', '--split', '0.8,0.1')).err).toMatch(
      /--split takes three shares/,
    );
    expect((await run(...base, '--format', 'coco', '--version', 'best')).err).toMatch(/--version: /);
    const r = await run(...base, '--format', 'coco', '--from', 'soon');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--from must be a date/);
    expect(existsSync(join(fx.dir, 'x'))).toBe(false);
  });
});
