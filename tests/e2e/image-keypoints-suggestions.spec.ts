import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import type { AnnotationResult, Task } from '../../src/shared/model';
import { openWorkbenchInternals } from '../../src/main/core/workbench';
import { activeWorkspaceFolder } from '../../src/main/core/workspaces/registry';
import { taskTitle } from '../../src/shared/model/task-title';
import { expect, test, waitForApp } from './fixtures/app';
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
const clickImage = async (page: Page, x: number, y: number) =>
  page.mouse.click(...(await screenOf(page, x, y)));

test('each keypoint state is reachable from the panel and by keys; a skipped point is placed later', async ({
  page,
  app,
}) => {
  const { queue, task } = await queueScreen(page);
  const taskId = 'image-astronaut';
  await queue.open(taskId, task);
  await expect(page.getByTestId('image-editor')).toHaveAttribute('data-state', 'ready');
  const keypoints = async () => {
    await expect(task.root).toHaveAttribute('data-save-state', 'saved');
    const results = (await app.value('tasks.open', { taskId })).draft?.annotation.results ?? [];
    return results.find(
      (r): r is Extract<AnnotationResult, { type: 'keypoints' }> => r.type === 'keypoints',
    )!;
  };

  // Draw the five-point skeleton, skipping the second point (N).
  await page.keyboard.press('k');
  await page.keyboard.press('q');
  await clickImage(page, 300, 110);
  await page.keyboard.press('n');
  for (const [x, y] of [
    [420, 400],
    [230, 500],
    [330, 505],
  ] as const)
    await clickImage(page, x, y);
  const point = (i: number) => page.getByTestId(`keypoint-${i}`);
  await expect(point(1)).toHaveAttribute('data-v', '0');
  expect((await keypoints()).points.map((k) => k.v)).toEqual([2, 0, 2, 2, 2]);

  // Panel: the skipped point made visible is placed by the next click on the image.
  await page.getByTestId('keypoint-1-visible').click();
  await expect(page.locator('.ie-status')).toContainText('Click the image to place left hand');
  await saveScreenshot(page, 'image-keypoints-placing');
  await clickImage(page, 170, 390);
  await expect(point(1)).toHaveAttribute('data-v', '2');
  const placed = (await keypoints()).points[1]!;
  expect(placed.v).toBe(2);
  expect(Math.abs(placed.x - 170) + Math.abs(placed.y - 390)).toBeLessThanOrEqual(4);
  await expect(page.getByTestId('region-count')).toHaveText('1');

  // Panel: occluded, absent, and back to visible where it was.
  await page.getByTestId('keypoint-1-occluded').click();
  await expect(point(1)).toHaveAttribute('data-v', '1');
  await page.getByTestId('keypoint-1-absent').click();
  await expect(point(1)).toHaveAttribute('data-v', '0');
  await page.getByTestId('keypoint-1-visible').click();
  await expect(point(1)).toHaveAttribute('data-v', '2');
  expect((await keypoints()).points[1]).toMatchObject({ x: placed.x, y: placed.y, v: 2 });

  // Keys: ] moves to the next point, O cycles visible → occluded → absent → visible; Ctrl+Z undoes one.
  await page.keyboard.press(']');
  await expect(point(2)).toHaveAttribute('aria-current', 'true');
  const seen: string[] = [];
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('o');
    seen.push((await point(2).getAttribute('data-v')) ?? '');
  }
  expect(seen).toEqual(['1', '0', '2']);
  await page.keyboard.press('o');
  await saveScreenshot(page, 'image-keypoints-panel');
  await page.keyboard.press('Control+z');
  await expect(point(2)).toHaveAttribute('data-v', '2');
  expect((await keypoints()).points.map((k) => k.v)).toEqual([2, 2, 2, 2, 2]);
});

test('a rejected suggestion is not offered again when the task is reopened; an accepted one is not offered twice', async ({
  page,
  app,
}) => {
  // A task with predictions: added to the workspace the app serves, as a hub would deliver it.
  const base = await app.value('tasks.open', { taskId: 'image-astronaut' });
  const box = (id: string, x: number, score: number) =>
    ({
      type: 'bbox',
      id,
      label: 'person',
      x,
      y: 100,
      w: 90,
      h: 120,
      rotation: 0,
      attributes: {},
      score,
    }) as const;
  const predicted: Task = {
    id: 'image-predicted',
    projectId: base.task.projectId,
    data: base.task.data,
    predictions: [
      { model: 'detector-v3', results: [box('p1', 40, 0.9), box('p2', 200, 0.8), box('p3', 360, 0.7)] },
    ],
    meta: {},
  };
  await app.stop();
  const wb = await openWorkbenchInternals({
    dataDir: activeWorkspaceFolder(app.dataDir),
    resourcesDir: resolve(__dirname, '../../resources'),
    mode: 'test',
  });
  wb.queue.addProjectsAndTasks([], [{ task: predicted, title: taskTitle(predicted.data, 'predicted') }]);
  await wb.close();
  await app.start();
  await page.reload();
  await waitForApp(page);

  const { queue, task } = await queueScreen(page);
  const open = async () => {
    await queue.open(predicted.id, task);
    await expect(page.getByTestId('image-editor')).toHaveAttribute('data-state', 'ready');
  };
  await open();
  const panel = page.getByTestId('suggestions');
  await expect(panel).toContainText('3 of 3 shown');

  // Reject p1 (select it, Delete), accept p2 (select it, A); p3 stays a suggestion.
  await page.keyboard.press('v');
  await clickImage(page, 85, 160);
  await page.keyboard.press('Delete');
  await expect(panel).toContainText('2 of 2 shown');
  await clickImage(page, 245, 160);
  await page.keyboard.press('a');
  await expect(panel).toContainText('1 of 1 shown');
  await expect(task.root).toHaveAttribute('data-save-state', 'saved');
  const draft = (await app.value('tasks.open', { taskId: predicted.id })).draft!.annotation;
  expect(draft.dismissedSuggestions).toEqual(['p1']);
  expect(draft.results.map((r) => r.id)).toEqual(['p2']);
  await saveScreenshot(page, 'image-suggestions-before-reopen');

  // Reopen: only p3 is offered; p2 is a region, p1 is gone.
  await page.getByRole('button', { name: '← Queue' }).click();
  await queue.waitReady();
  await open();
  await expect(panel).toContainText('1 of 1 shown');
  await expect(page.getByTestId('region-count')).toHaveText('1'); // the list holds accepted regions (p2)
  await saveScreenshot(page, 'image-suggestions-reopened');
});
