import type { Page } from '@playwright/test';
import type { AnnotationResult } from '../../src/shared/model';
import { expect, test } from './fixtures/app';
import { queueScreen } from './pages/queue-page';
import { saveScreenshot } from './pages/screenshots';

/** Screen point of a source-image pixel, from the camera the canvas exposes. */
const screenOf = async (page: Page, x: number, y: number): Promise<[number, number]> => {
  const canvas = page.getByTestId('image-canvas');
  const [cx, cy, scale] = ((await canvas.getAttribute('data-camera')) ?? '0,0,1').split(',').map(Number) as [
    number,
    number,
    number,
  ];
  const box = (await canvas.boundingBox())!;
  return [box.x + cx + x * scale, box.y + cy + y * scale];
};
const scaleOf = async (page: Page): Promise<number> =>
  Number(((await page.getByTestId('image-canvas').getAttribute('data-camera')) ?? '0,0,1').split(',')[2]);

const dragImage = async (page: Page, from: [number, number], to: [number, number]) => {
  await page.mouse.move(...(await screenOf(page, ...from)));
  await page.mouse.down();
  await page.mouse.move(...(await screenOf(page, ...to)), { steps: 6 });
  await page.mouse.up();
};
const clickImage = async (page: Page, p: readonly [number, number]) =>
  page.mouse.click(...(await screenOf(page, p[0], p[1])));

const byType = <T extends AnnotationResult['type']>(results: AnnotationResult[], type: T) =>
  results.filter((r): r is Extract<AnnotationResult, { type: T }> => r.type === type);

test('draws every shape with the mouse, edits, undoes, labels by hotkey, submits, reopens with the same source-pixel geometry', async ({
  page,
  app,
}) => {
  const { queue, task } = await queueScreen(page);
  // The largest demo image, so screen and source pixels differ (the view is scaled to fit).
  const { items } = await app.value('tasks.list', { limit: 100 });
  const views = await Promise.all(
    items.filter((t) => t.kind === 'image').map((t) => app.value('tasks.open', { taskId: t.id })),
  );
  const view =
    views.find((v) => v.task.data.kind === 'image' && v.task.data.image.fileName === 'retina.jpg') ??
    views[0]!;
  const taskId = view.task.id;
  await queue.open(taskId, task);
  await expect(page.getByTestId('image-editor')).toHaveAttribute('data-state', 'ready');
  const tol = 1 / (await scaleOf(page)) + 0.5; // one screen pixel, in source pixels
  const saved = async () => {
    await expect(task.root).toHaveAttribute('data-save-state', 'saved');
    return (await app.value('tasks.open', { taskId })).draft?.annotation.results ?? [];
  };

  // Box: tool and label by hotkey, drawn by dragging.
  await page.keyboard.press('b');
  await page.keyboard.press('w');
  await dragImage(page, [100, 120], [400, 330]);
  await expect(page.getByTestId('region-count')).toHaveText('1');
  let box = byType(await saved(), 'bbox')[0]!;
  expect(box.label).toBe('animal');
  expect(box.attributes).toEqual({ occluded: false });
  for (const [got, want] of [
    [box.x, 100],
    [box.y, 120],
    [box.w, 300],
    [box.h, 210],
  ] as const)
    expect(Math.abs(got - want)).toBeLessThanOrEqual(tol);
  await saveScreenshot(page, 'image-editor-bbox');

  // Edit: move it with the select tool, then resize by the south-east handle.
  await page.keyboard.press('v');
  await dragImage(page, [250, 225], [300, 265]);
  await dragImage(page, [box.x + 50 + box.w, box.y + 40 + box.h], [520, 470]);
  box = byType(await saved(), 'bbox')[0]!;
  for (const [got, want] of [
    [box.x, 150],
    [box.y, 160],
    [box.w, 370],
    [box.h, 310],
  ] as const)
    expect(Math.abs(got - want)).toBeLessThanOrEqual(2 * tol);

  // Undo the resize, redo it.
  await page.keyboard.press('Control+z');
  const undone = byType(await saved(), 'bbox')[0]!;
  expect(undone.w).toBeCloseTo(box.w - 70, 0);
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(async () => byType(await saved(), 'bbox')[0]!.w).toBeCloseTo(box.w, 3);

  // Polygon: four clicks, close on the first point; relabel by hotkey while selected.
  await page.keyboard.press('p');
  const poly: [number, number][] = [
    [700, 200],
    [1000, 260],
    [950, 600],
    [650, 520],
  ];
  for (const p of poly) await clickImage(page, p);
  await saveScreenshot(page, 'image-editor-polygon-drawing');
  await clickImage(page, poly[0]!);
  await page.keyboard.press('e');
  // Drag a vertex.
  await dragImage(page, [950, 600], [980, 640]);
  await saveScreenshot(page, 'image-editor-polygon');

  // Polyline: three clicks and Enter (Enter ends the line and does not submit).
  await page.keyboard.press('l');
  for (const p of [
    [200, 800],
    [400, 700],
    [600, 820],
  ] as const)
    await clickImage(page, p);
  await page.keyboard.press('Enter');
  await expect(task.root).toHaveAttribute('data-task-id', taskId);
  await saveScreenshot(page, 'image-editor-polyline');

  // Keypoints: the demo skeleton has five points; the third is occluded (Alt+click).
  await page.keyboard.press('k');
  await page.keyboard.press('q');
  const kps: [number, number][] = [
    [1100, 900],
    [1000, 1000],
    [1200, 1000],
    [1050, 1200],
    [1150, 1200],
  ];
  for (const [i, p] of kps.entries()) {
    if (i === 2) await page.keyboard.down('Alt');
    await clickImage(page, p);
    if (i === 2) await page.keyboard.up('Alt');
  }
  await saveScreenshot(page, 'image-editor-keypoints');

  // Image-level class by hotkey.
  await page.keyboard.press('2');
  await expect(task.classOption('animal')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('region-count')).toHaveText('4');

  const draft = await saved();
  const polygon = byType(draft, 'polygon')[0]!;
  expect(polygon.label).toBe('object');
  const expectedPoly: [number, number][] = [
    [700, 200],
    [1000, 260],
    [980, 640],
    [650, 520],
  ];
  polygon.points.forEach((p, i) => {
    expect(Math.abs(p[0] - expectedPoly[i]![0])).toBeLessThanOrEqual(2 * tol);
    expect(Math.abs(p[1] - expectedPoly[i]![1])).toBeLessThanOrEqual(2 * tol);
  });
  const line = byType(draft, 'polyline')[0]!;
  expect(line.points).toHaveLength(3);
  expect(line.label).toBe('object'); // the later label hotkey (after K) did not relabel it
  const person = byType(draft, 'keypoints')[0]!;
  expect(person.label).toBe('person');
  expect(person.points.map((k) => k.v)).toEqual([2, 2, 1, 2, 2]);
  person.points.forEach((k, i) =>
    expect(Math.abs(k.x - kps[i]![0]) + Math.abs(k.y - kps[i]![1])).toBeLessThanOrEqual(2 * tol),
  );
  expect(byType(draft, 'image-class')).toEqual([
    expect.objectContaining({ group: 'scene', labels: ['animal'] }),
  ]);

  // Submit with Enter: the next task opens; the submission is the draft.
  await page.keyboard.press('Escape'); // clear the selection first: Esc is the editor's, not a skip
  await expect(task.root).toHaveAttribute('data-task-id', taskId);
  await task.pressAndMove('Enter');
  const done = await app.value('tasks.open', { taskId });
  expect(done.status).toBe('submitted');
  expect(done.submitted?.results).toEqual(draft);

  // Reopen it in the UI: the same regions are there, at the same source-pixel coordinates.
  await page.getByRole('button', { name: '← Queue' }).click();
  await queue.waitReady();
  await queue.open(taskId, task);
  await expect(page.getByTestId('image-editor')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('region-count')).toHaveText('4');
  await page.keyboard.press('?');
  await expect(page.getByTestId('cheat-sheet')).toContainText('Copy regions from the previous task');
  await saveScreenshot(page, 'image-editor-cheat-sheet');
  await page.keyboard.press('Escape');
  // Selecting a region on the canvas and nudging it is stored in source pixels too.
  await page.keyboard.press('v');
  await clickImage(page, [box.x + 10, box.y + box.h / 2]);
  await page.keyboard.press('Shift+ArrowRight');
  const after = byType(await saved(), 'bbox')[0]!;
  expect(after.x).toBeCloseTo(box.x + 10, 3);
  expect(after.y).toBeCloseTo(box.y, 3);
});
