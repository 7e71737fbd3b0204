import { mkdirSync } from 'node:fs';
import { expect, test } from './fixtures/app';
import { queueScreen } from './pages/queue-page';
import type { TaskPage } from './pages/task-page';
import type { Page } from '@playwright/test';

const SHOTS = process.env.SHOTS_DIR ?? 'test-results/screenshots/next-task';

/** Waits until what the open task leads to (next, ←, →) is planned and every part of it ready. */
const waitPrepared = async (page: Page, task: TaskPage) => {
  const app = page.getByTestId('app');
  await expect(app).toHaveAttribute('data-prepared-for', await task.taskId(), { timeout: 15_000 });
  await expect(app).toHaveAttribute('data-prepared-tasks', /^([1-9]\d*)\/\1$/, { timeout: 15_000 });
};

const shot = async (page: Page, name: string) => {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
};

test('Enter shows the next task from its prepared state; the submit is written behind it', async ({
  page,
  app,
}) => {
  const { task } = await queueScreen(page);
  await page.keyboard.press('Enter');
  const first = await task.waitOpen();
  await task.waitImageLoaded();
  await waitPrepared(page, task);
  await page.keyboard.press('1');
  await expect(task.root).toHaveAttribute('data-save-state', 'saved');
  const second = await task.pressAndMove('Enter');
  // Shown from what was prepared: no read on the way, the image already decoded.
  await expect(task.root).toHaveAttribute('data-opened-from', 'prepared');
  await task.waitImageLoaded();
  // The submit landed in the background, and the shown task was claimed by its id.
  await expect.poll(async () => (await app.value('tasks.open', { taskId: first })).status).toBe('submitted');
  await expect
    .poll(async () => (await app.value('tasks.open', { taskId: second })).status)
    .toBe('in_progress');
  await expect(task.status()).toHaveText('In progress');
  await shot(page, 'prepared-next-light');

  // ← goes back to the finished task, also prepared; its header offers no Submit/Skip and the
  // instructions stay in the side panel.
  await waitPrepared(page, task);
  await expect(task.root).toHaveAttribute('data-save-state', /idle|saved/);
  await task.pressAndMove('ArrowLeft');
  await expect(task.root).toHaveAttribute('data-task-id', first);
  await expect(task.root).toHaveAttribute('data-opened-from', 'prepared');
  await expect(task.status()).toHaveText('Submitted');
  await expect(task.root.getByTestId('submit')).toHaveCount(0);
  await expect(task.root.getByTestId('skip')).toHaveCount(0);
  await expect(task.root.getByRole('heading', { name: 'Instructions' })).toBeInViewport();
  expect(await task.chosenClasses()).toEqual(['person']);
  await task.waitImageLoaded();
  await shot(page, 'finished-task-light');
  await page.getByTestId('theme-toggle').click();
  await shot(page, 'finished-task-dark');
});

test('a submit that fails in the background is shown at once and its work is kept', async ({ page, app }) => {
  const { task } = await queueScreen(page);
  await page.keyboard.press('Enter');
  const first = await task.waitOpen();
  await task.waitImageLoaded();
  await waitPrepared(page, task);
  await page.keyboard.press('2');
  await expect(task.root).toHaveAttribute('data-save-state', 'saved');
  await app.stop();
  await task.pressAndMove('Enter');
  await expect(task.root).toHaveAttribute('data-opened-from', 'prepared');
  await expect(page.getByText(/was not submitted: it stays in your queue/)).toBeVisible();
  await shot(page, 'failed-submit-light');
  await app.start();
  // Nothing lost: the task is still open with its class, saved as a draft once the host is back.
  await expect
    .poll(async () => (await app.value('tasks.open', { taskId: first })).draft?.annotation.results, {
      timeout: 20_000,
    })
    .toEqual([expect.objectContaining({ type: 'image-class', labels: ['animal'] })]);
  expect((await app.value('tasks.open', { taskId: first })).status).toBe('in_progress');
});

test('the label last picked stays picked on the next task of the same project', async ({ page }) => {
  const { task } = await queueScreen(page);
  await page.keyboard.press('Enter');
  await task.waitOpen();
  await task.waitImageLoaded();
  await expect(task.root.getByTestId('label-person')).toHaveAttribute('aria-pressed', 'true');
  await task.root.getByTestId('label-animal').click();
  await page.getByTestId('image-canvas').focus();
  await page.keyboard.press('1');
  await expect(task.root).toHaveAttribute('data-save-state', 'saved');
  await task.pressAndMove('Enter');
  await task.waitImageLoaded();
  await expect(task.root.getByTestId('label-animal')).toHaveAttribute('aria-pressed', 'true');
  await expect(task.root.getByTestId('label-person')).toHaveAttribute('aria-pressed', 'false');
});
