import { expect, test } from './fixtures/app';
import { QueuePage, queueScreen } from './pages/queue-page';
import { saveScreenshot } from './pages/screenshots';
import { StatusBar } from './pages/status-bar';
import { TaskPage } from './pages/task-page';

// The demo workspace's image project: class group "scene" with hotkeys 1–6.
const picks = [
  { key: '1', label: 'person' },
  { key: '2', label: 'animal' },
  { key: '4', label: 'space' },
];

test('labels three images with the keyboard, restarts, and finds them submitted', async ({ page, app }) => {
  const queue = new QueuePage(page);
  const task = new TaskPage(page);
  const bar = new StatusBar(page);
  await queue.waitReady();
  await expect(bar.submittedToday).toHaveText('0');
  await expect(bar.syncState).toHaveText('Local only');

  await page.keyboard.press('Enter');
  let id = await task.waitOpen();
  const labeled: { id: string; label: string }[] = [];
  for (const [i, pick] of picks.entries()) {
    await task.waitImageLoaded();
    await page.keyboard.press(pick.key);
    await expect(task.classOption(pick.label)).toHaveAttribute('aria-pressed', 'true');
    await expect(task.root).toHaveAttribute('data-save-state', 'saved');
    if (i === 0) await saveScreenshot(page, 'task-light');
    labeled.push({ id, label: pick.label });
    id = await task.pressAndMove('Enter');
  }
  expect(new Set(labeled.map((l) => l.id)).size).toBe(3);
  await expect(bar.submittedToday).toHaveText('3');

  await app.restart();

  // Through the API: each task is submitted with exactly its class.
  for (const l of labeled) {
    const v = await app.value('tasks.open', { taskId: l.id });
    expect(v.status).toBe('submitted');
    expect(v.submitted?.results).toEqual([
      expect.objectContaining({ type: 'image-class', group: 'scene', labels: [l.label] }),
    ]);
  }
  expect((await app.value('queue.counts', {})).submittedToday).toBe(3);

  // Through the UI: the count, the Submitted filter, and each task's class when opened.
  await expect(bar.submittedToday).toHaveText('3');
  await queue.waitReady();
  await expect(queue.filter('submitted')).toContainText('3');
  await saveScreenshot(page, 'queue-after-restart-light');
  await queue.showOnly('submitted');
  await expect(queue.rows).toHaveCount(3);
  expect((await queue.visibleTaskIds()).sort()).toEqual(labeled.map((l) => l.id).sort());
  // The keyboard reaches the list too: ↓ focuses the first row, Enter opens it.
  await page.keyboard.press('ArrowDown');
  const firstRow = (await queue.visibleTaskIds())[0];
  await page.keyboard.press('Enter');
  await task.waitOpen({ id: firstRow });
  await page.getByRole('button', { name: '← Queue' }).click();
  await queue.waitReady();
  for (const l of labeled) {
    await queue.open(l.id, task);
    await expect(task.status()).toHaveText('Submitted');
    expect(await task.chosenClasses()).toEqual([l.label]);
    await page.getByRole('button', { name: '← Queue' }).click();
    await queue.waitReady();
  }
});

test('Esc skips, arrows move through history, and changing a finished task resubmits it', async ({
  page,
  app,
}) => {
  const { task } = await queueScreen(page);

  await page.keyboard.press('Enter');
  const first = await task.waitOpen();
  await task.waitImageLoaded();
  await page.keyboard.press('3');
  await expect(task.classOption('object')).toHaveAttribute('aria-pressed', 'true');
  const second = await task.pressAndMove('Enter');
  const third = await task.pressAndMove('Escape');
  expect(third).not.toBe(first);

  // Back: the skipped task, then the submitted one with its class.
  expect(await task.pressAndMove('ArrowLeft')).toBe(second);
  await expect(task.status()).toHaveText('Skipped');
  expect(await task.pressAndMove('ArrowLeft')).toBe(first);
  await expect(task.status()).toHaveText('Submitted');
  expect(await task.chosenClasses()).toEqual(['object']);

  // Forward again, and past the newest finished task to the task in hand.
  expect(await task.pressAndMove('ArrowRight')).toBe(second);
  expect(await task.pressAndMove('ArrowRight')).toBe(third);

  // Back to the first, change its class: it is reopened, and Enter submits the change.
  await task.pressAndMove('ArrowLeft');
  await task.pressAndMove('ArrowLeft');
  await task.waitImageLoaded();
  await page.keyboard.press('2');
  await expect(task.status()).toHaveText('In progress');
  await expect(task.classOption('animal')).toHaveAttribute('aria-pressed', 'true');
  await task.pressAndMove('Enter');

  const reopened = await app.value('tasks.open', { taskId: first });
  expect(reopened.status).toBe('submitted');
  expect(reopened.submitted?.results).toEqual([expect.objectContaining({ labels: ['animal'] })]);
  expect((await app.value('tasks.open', { taskId: second })).status).toBe('skipped');

  // Backspace skips too.
  const current = await task.taskId();
  await task.pressAndMove('Backspace');
  expect((await app.value('tasks.open', { taskId: current })).status).toBe('skipped');
});

test('shows the cheat sheet and both themes', async ({ page }) => {
  const queue = new QueuePage(page);
  const task = new TaskPage(page);
  const bar = new StatusBar(page);
  await queue.waitReady();
  await page.emulateMedia({ colorScheme: 'light' });
  await saveScreenshot(page, 'queue-light');

  await bar.themeToggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await saveScreenshot(page, 'queue-dark');

  // The app's sheet: while it is open, keys do not reach the screen below (Enter does not
  // start labeling, nor click the focused theme button); Esc closes it.
  const sheet = page.getByTestId('cheat-sheet');
  await page.keyboard.press('?');
  await expect(sheet).toContainText('Start labeling');
  await saveScreenshot(page, 'cheat-sheet-dark');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await expect(queue.root).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  // Focus went back to the theme button, where Enter would press it (a focused control keeps
  // Enter): leave it, then Enter starts labeling.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Enter');
  const id = await task.waitOpen();
  await task.waitImageLoaded();
  await page.keyboard.press('5');
  await expect(task.root).toHaveAttribute('data-save-state', 'saved');
  await saveScreenshot(page, 'task-dark');

  // On a task, `?` lists the task keys (the editor may show its own fuller sheet); Esc closes
  // it without skipping the task.
  await page.keyboard.press('?');
  await expect(sheet).toContainText('Skip and open the next task');
  await saveScreenshot(page, 'task-cheat-sheet-dark');
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await expect(task.root).toHaveAttribute('data-task-id', id);
  expect(await task.chosenClasses()).toEqual(['text']);

  // The choice is remembered across a reload.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('text and comparison tasks open in their editors; document classes by hotkey are saved', async ({
  page,
  app,
}) => {
  const { queue, task } = await queueScreen(page);
  const { items } = await app.value('tasks.list', { limit: 100 });
  const text = items.find((t) => t.kind === 'text');
  const comparison = items.find((t) => t.kind === 'comparison');
  if (!text || !comparison) throw new Error('the demo workspace has text and comparison tasks');

  await queue.open(text.id, task);
  const textData = (await app.value('tasks.open', { taskId: text.id })).task.data;
  if (textData.kind !== 'text') throw new Error('not a text task');
  await expect(task.editorArea).toContainText(textData.text.slice(0, 20));
  // The demo text project: sentiment positive/neutral/negative on Shift+1..3.
  await page.keyboard.press('Shift+Digit3');
  await expect(task.root).toHaveAttribute('data-save-state', 'saved');
  await saveScreenshot(page, 'text-light');
  const saved = await app.value('tasks.open', { taskId: text.id });
  expect(saved.draft?.annotation.results).toContainEqual(
    expect.objectContaining({ type: 'doc-class', group: 'sentiment', labels: ['negative'] }),
  );

  await page.getByRole('button', { name: '← Queue' }).click();
  await queue.open(comparison.id, task);
  const cmp = (await app.value('tasks.open', { taskId: comparison.id })).task.data;
  if (cmp.kind !== 'comparison') throw new Error('not a comparison task');
  await expect(task.editorArea).toContainText(cmp.prompt);
  await saveScreenshot(page, 'comparison-light');
});

test('a failed submit is shown, keeps the work, and succeeds once the host is back', async ({
  page,
  app,
}) => {
  const queue = new QueuePage(page);
  const task = new TaskPage(page);
  const bar = new StatusBar(page);
  await queue.waitReady();
  await page.keyboard.press('Enter');
  const id = await task.waitOpen();
  await task.waitImageLoaded();

  await app.stop();
  await page.keyboard.press('2');
  // With the next task prepared Enter moves on without waiting for the write (issue 18), else it
  // stays; either way the failure is reported the moment it happens.
  await page.keyboard.press('Enter');
  const toast = page.getByTestId('toast').filter({ hasText: 'Not submitted' }).first();
  await expect(toast).toBeVisible();
  await expect(toast).toHaveAttribute('data-tone', 'error');
  await saveScreenshot(page, 'submit-failed-light');

  await app.start();
  // The work is kept: the task is still in the queue with its class, and submits once back.
  await page.getByRole('button', { name: '← Queue' }).click();
  await queue.waitReady();
  await queue.open(id, task);
  await task.waitImageLoaded();
  expect(await task.chosenClasses()).toEqual(['animal']);
  const next = await task.pressAndMove('Enter');
  expect(next).not.toBe(id);
  await expect.poll(async () => (await app.value('tasks.open', { taskId: id })).status).toBe('submitted');
  const done = await app.value('tasks.open', { taskId: id });
  expect(done.submitted?.results).toEqual([expect.objectContaining({ labels: ['animal'] })]);
  await expect(bar.submittedToday).toHaveText('1');
});
