import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import type { AnnotationResult } from '../../src/shared/model';
import type { MethodInput, MethodName, MethodOutput, Result } from '../../src/shared/contract';
import { startWebHost, type ServedHost } from '../../src/main/web-host/server';
import { GRID, makeBigPng, pixelAt } from '../../bench/browser/big-image';
import { waitForApp } from './fixtures/app';
import { queueScreen } from './pages/queue-page';
import { saveScreenshot } from './pages/screenshots';

/**
 * A 100-megapixel image (10000 × 10000 PNG generated here, never committed) opens without
 * freezing the page, regions are stored in source pixels, and at 1:1 the visible region is
 * decoded at full resolution (a 1 px grid line is drawn exactly where the source has it).
 */
const SIZE = 10_000;
const root = resolve(__dirname, '../..');

/** Long tasks and the longest gap between animation frames, recorded from the page's first script. */
const PROBE = `
  window.__probe = { tasks: [], maxFrameGap: 0 };
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__probe.tasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  let last = performance.now();
  const beat = (t) => { window.__probe.maxFrameGap = Math.max(window.__probe.maxFrameGap, t - last); last = t; requestAnimationFrame(beat); };
  requestAnimationFrame(beat);
`;

const test = base.extend<{ host: { host: ServedHost; dataDir: string } }>({
  host: async ({ page }, use) => {
    // A demo folder whose only image is the big one (the text/comparison files are the repo's).
    const dir = mkdtempSync(join(tmpdir(), 'outrigger-large-'));
    const demo = join(dir, 'resources', 'demo');
    mkdirSync(join(demo, 'images'), { recursive: true });
    for (const f of readdirSync(join(root, 'resources/demo'))) {
      if (f.endsWith('.json') || f.endsWith('.jsonl'))
        copyFileSync(join(root, 'resources/demo', f), join(demo, f));
    }
    writeFileSync(join(demo, 'images', 'big.png'), makeBigPng(SIZE, SIZE));
    const dataDir = join(dir, 'data');
    const host = await startWebHost({
      dataDir,
      resourcesDir: join(dir, 'resources'),
      rendererDir: join(root, 'out/renderer'),
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(PROBE);
    await page.goto(host.url);
    await waitForApp(page);
    try {
      await use({ host, dataDir });
      expect(errors, 'errors in the page').toEqual([]);
    } finally {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

const camera = async (page: Page): Promise<[number, number, number]> =>
  ((await page.getByTestId('image-canvas').getAttribute('data-camera')) ?? '0,0,1')
    .split(',')
    .map(Number) as [number, number, number];

const screenOf = async (page: Page, x: number, y: number): Promise<[number, number]> => {
  const [cx, cy, scale] = await camera(page);
  const box = (await page.getByTestId('image-canvas').boundingBox())!;
  return [box.x + cx + x * scale, box.y + cy + y * scale];
};

test('a 100-megapixel image opens without freezing, stores source pixels and decodes the 1:1 detail', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const res = await page.request.post(`${host.host.baseUrl}/api/${method}`, {
      headers: { authorization: `Bearer ${host.host.token}`, 'content-type': 'application/json' },
      data: JSON.stringify(input),
    });
    const r = (await res.json()) as Result<MethodOutput<M>>;
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value;
  };
  const { queue, task } = await queueScreen(page);
  const taskId = 'image-big';
  await queue.open(taskId, task);
  const editor = page.getByTestId('image-editor');
  const canvas = page.getByTestId('image-canvas');
  await expect(editor).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(canvas).toHaveAttribute('data-image-mode', 'overview');

  // Responsive while it opened: a freeze would show as a task or a frame gap of seconds.
  const opening = await page.evaluate(() => {
    const p = (window as unknown as { __probe: { tasks: [number, number][]; maxFrameGap: number } }).__probe;
    const mounted = performance.getEntriesByName('image-editor:regions-drawn').at(-1)?.startTime ?? 0;
    return {
      longestAfterMount: Math.max(0, ...p.tasks.filter((t) => t[0] >= mounted).map((t) => t[1])),
      longest: Math.max(0, ...p.tasks.map((t) => t[1])),
      maxFrameGap: p.maxFrameGap,
    };
  });
  test.info().annotations.push({ type: 'opening (ms)', description: JSON.stringify(opening) });
  expect(opening.longestAfterMount).toBeLessThan(2000);
  await saveScreenshot(page, 'image-large-fit');

  // A box drawn across most of the image is stored in source pixels (not the overview's).
  const [, , fitScale] = await camera(page);
  expect(fitScale).toBeLessThan(0.2);
  const tol = 1 / fitScale + 0.5;
  await page.keyboard.press('b');
  await page.keyboard.press('w');
  await page.mouse.move(...(await screenOf(page, 2000, 3000)));
  await page.mouse.down();
  await page.mouse.move(...(await screenOf(page, 8500, 9000)), { steps: 6 });
  await page.mouse.up();
  await expect(page.locator('[data-save-state="saved"]')).toBeVisible();
  await expect
    .poll(async () => ((await call('tasks.open', { taskId })).draft?.annotation.results ?? []).length)
    .toBe(1);
  const box = (await call('tasks.open', { taskId })).draft!.annotation.results[0] as Extract<
    AnnotationResult,
    { type: 'bbox' }
  >;
  for (const [got, want] of [
    [box.x, 2000],
    [box.y, 3000],
    [box.w, 6500],
    [box.h, 6000],
  ] as const)
    expect(Math.abs(got - want)).toBeLessThanOrEqual(tol);

  // 1:1 (Ctrl+1): the visible region is decoded at full resolution.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+1');
  await expect.poll(async () => (await camera(page))[2]).toBe(1);
  await expect(canvas).toHaveAttribute('data-detail-res', '1', { timeout: 30_000 });
  expect(Number(await canvas.getAttribute('data-detail-decodes'))).toBeGreaterThanOrEqual(1);
  // Grid lines 1 px wide every 50 source px: at 1:1 each is exactly one dark pixel on the image layer.
  const [cx, cy] = await camera(page);
  const size = (await canvas.boundingBox())!;
  const sx = Math.ceil((size.width / 2 - cx) / GRID) * GRID; // a line near the middle of the view
  const sy = Math.floor((size.height / 2 - cy) / GRID) * GRID + 20; // a row between lines
  const read = (x: number, y: number) =>
    page.evaluate(
      ([x, y]) => {
        const layer = document.querySelector<HTMLCanvasElement>('[data-testid="image-canvas"] canvas')!;
        const k = layer.width / layer.clientWidth;
        return [
          ...layer
            .getContext('2d')!
            .getImageData(Math.round(x * k), Math.round(y * k), 1, 1)
            .data.slice(0, 3),
        ];
      },
      [x, y] as const,
    );
  const onLine = await read(cx + sx + 0.5, cy + sy + 0.5);
  const offLine = await read(cx + sx + 10.5, cy + sy + 0.5);
  const near = (got: number[], want: number[]) => got.every((v, i) => Math.abs(v - want[i]!) <= 12);
  expect(near(onLine, pixelAt(sx, sy)), `on a grid line: ${onLine.join(',')}`).toBe(true);
  expect(near(offLine, pixelAt(sx + 10, sy)), `between lines: ${offLine.join(',')}`).toBe(true);
  await saveScreenshot(page, 'image-large-1to1');

  // Panning most of a viewport away (middle-button drag) decodes the new region.
  await page.mouse.move(size.x + size.width - 40, size.y + 300);
  await page.mouse.down({ button: 'middle' });
  await page.mouse.move(size.x + 40, size.y + 300, { steps: 5 });
  await page.mouse.up({ button: 'middle' });
  expect((await camera(page))[0]).toBeLessThan(cx - size.width / 2);
  await expect
    .poll(async () => Number(await canvas.getAttribute('data-detail-decodes')), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(2);
  await expect(canvas).toHaveAttribute('data-detail-res', '1', { timeout: 30_000 });
  const overall = await page.evaluate(() => {
    const p = (window as unknown as { __probe: { tasks: [number, number][] } }).__probe;
    const mounted = performance.getEntriesByName('image-editor:regions-drawn').at(-1)?.startTime ?? 0;
    return Math.max(0, ...p.tasks.filter((t) => t[0] >= mounted).map((t) => t[1]));
  });
  test.info().annotations.push({ type: 'longest task after mount (ms)', description: String(overall) });
  expect(overall).toBeLessThan(2000);
});
