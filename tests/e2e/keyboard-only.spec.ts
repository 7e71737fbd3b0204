import type { Page } from '@playwright/test';
import type { AnnotationResult, BBoxResult } from '../../src/shared/model';
import { expect, firstImageTask, test } from './fixtures/app';
import { QueuePage } from './pages/queue-page';
import { TaskPage } from './pages/task-page';

/*
 * Keyboard only (issue 19): every step is a key press or typing. No click, no mouse move, no
 * locator action that would synthesize a pointer event; the page is read, never touched.
 */

/** What has focus, as a CSS-ish description the assertions below can match. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    const id = el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : '';
    const label = (
      el.getAttribute('aria-label') ??
      el.closest('label')?.textContent ??
      el.textContent ??
      ''
    ).trim();
    return `${el.tagName.toLowerCase()}${id}${el.dataset.class ? `[data-class=${el.dataset.class}]` : ''}|${label}`;
  });

/** Tab (or Shift+Tab) until the focused element matches, at most `max` presses. */
const tabTo = async (page: Page, match: RegExp, opts: { back?: boolean; max?: number } = {}) => {
  const seen: string[] = [];
  for (let i = 0; i < (opts.max ?? 80); i++) {
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    seen.push(f);
    if (match.test(f)) return seen;
  }
  throw new Error(`Tab never reached ${match}: ${seen.join(' → ')}`);
};

/** From the queue: arrow down the list to a task and open it with Enter. */
const openFromQueue = async (page: Page, queue: QueuePage, task: TaskPage, taskId: string) => {
  await queue.waitReady();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('ArrowDown');
    const at = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.taskId);
    if (at === taskId) break;
  }
  await page.keyboard.press('Enter');
  await task.waitOpen({ id: taskId });
};

/** Back to the queue by its button (Shift+Tab to it, Enter). */
const backToQueue = async (page: Page, queue: QueuePage) => {
  await tabTo(page, /Queue/, { back: true });
  await page.keyboard.press('Enter');
  await queue.waitReady();
};

/** Submit by its button: whatever has focus, Shift+Tab reaches it and Enter presses it. */
const submitByButton = async (page: Page, task: TaskPage) => {
  const id = await task.taskId();
  await tabTo(page, /data-testid=submit/, { back: true });
  await page.keyboard.press('Enter');
  await task.waitOpen({ notId: id });
};

test('labels an image, a text and a comparison with the keyboard alone; the API has them all', async ({
  page,
  app,
}) => {
  const queue = new QueuePage(page);
  const task = new TaskPage(page);
  // Any pointer event would fail the test: the page itself counts them.
  await page.evaluate(() => {
    (window as unknown as { pointerEvents: number }).pointerEvents = 0;
    for (const k of ['pointerdown', 'mousedown', 'click', 'pointermove', 'wheel'])
      window.addEventListener(
        k,
        (e) => {
          // Keyboard activation of a button dispatches a click with detail 0: that one is fine.
          if (k === 'click' && (e as MouseEvent).detail === 0) return;
          (window as unknown as { pointerEvents: number }).pointerEvents++;
        },
        true,
      );
  });

  // ---- image: 3 boxes, a class, an attribute --------------------------------------------------
  const imageId = await firstImageTask(app);
  await openFromQueue(page, queue, task, imageId);
  await task.waitImageLoaded();
  await page.keyboard.press('b'); // box tool
  await page.keyboard.press('i'); // a box at the centre, selected
  for (let i = 0; i < 15; i++) await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('i');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+Alt+ArrowRight'); // wider by 40 px
  await page.keyboard.press('w'); // relabel the selected box: animal
  await page.keyboard.press('i');
  for (let i = 0; i < 15; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('e'); // object
  await page.keyboard.press('1'); // image class: scene = person
  // The attribute: the first box (a person) by region cycling, then Tab to its checkbox.
  await page.keyboard.press('.');
  await expect(page.getByTestId('inspector')).toContainText('person');
  await tabTo(page, /input.*\|truncated/);
  await page.keyboard.press('Space');
  await expect(task.root).toHaveAttribute('data-save-state', 'saved');
  await submitByButton(page, task);

  const image = await app.value('tasks.open', { taskId: imageId });
  expect(image.status).toBe('submitted');
  const boxes = (image.submitted?.results ?? []).filter((r): r is BBoxResult => r.type === 'bbox');
  expect(boxes.map((b) => b.label).sort()).toEqual(['animal', 'object', 'person']);
  const person = boxes.find((b) => b.label === 'person')!;
  const animal = boxes.find((b) => b.label === 'animal')!;
  expect(person.attributes).toMatchObject({ truncated: true });
  expect(animal.w).toBeCloseTo(person.w + 40, 5);
  expect(image.submitted?.results).toContainEqual(
    expect.objectContaining({ type: 'image-class', group: 'scene', labels: ['person'] }),
  );

  // ---- text: 3 spans, a relation, a topic -------------------------------------------------------
  await backToQueue(page, queue);
  await openFromQueue(page, queue, task, 'text-1');
  // The text pane is one tab stop; with it focused, arrows move the caret.
  await tabTo(page, /data-testid=text-view/);
  const span = async (words: number, hotkey: string) => {
    // → then ← puts the caret at the text's start; Shift+→ then selects word by word.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < words; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press(hotkey);
  };
  await span(3, '1'); // "Nguyễn Thị Lan": PER
  await page.keyboard.press('Escape'); // clears the selected span (it does not skip)
  await span(1, '5'); // "Nguyễn": MISC
  await page.keyboard.press('Escape');
  await span(6, '2'); // up to "Outrigger Labs": ORG (selected now)
  await page.keyboard.press('w'); // works_for from it…
  await page.keyboard.press(','); // …to the previous span
  await page.keyboard.press('Enter'); // confirms the relation (Enter does not submit here)
  await expect(task.root).toHaveAttribute('data-task-id', 'text-1');
  await tabTo(page, /data-class=topics:science/);
  await page.keyboard.press('Enter'); // a focused button keeps Enter: it toggles the topic
  await expect(page.locator('[data-class="topics:science"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(task.root).toHaveAttribute('data-save-state', 'saved');
  await submitByButton(page, task);

  const text = await app.value('tasks.open', { taskId: 'text-1' });
  expect(text.status).toBe('submitted');
  const results = text.submitted?.results ?? [];
  const spans = results.filter((r) => r.type === 'span');
  expect(spans.map((s) => s.label).sort()).toEqual(['MISC', 'ORG', 'PER']);
  const relations = results.filter(
    (r): r is Extract<AnnotationResult, { type: 'relation' }> => r.type === 'relation',
  );
  expect(relations).toHaveLength(1);
  expect(relations[0]!.label).toBe('works_for');
  expect(relations[0]!.from).toBe(spans.find((s) => s.label === 'ORG')!.id);
  expect(results).toContainEqual(
    expect.objectContaining({ type: 'doc-class', group: 'topics', labels: ['science'] }),
  );

  // ---- comparison ------------------------------------------------------------------------------
  await backToQueue(page, queue);
  await openFromQueue(page, queue, task, 'cmp-1');
  await page.keyboard.press('b'); // B is better
  for (const k of ['5', '6', '5', '6', '7', '6']) await page.keyboard.press(k);
  await page.keyboard.press('j');
  await page.keyboard.type('B answers the question.');
  await page.keyboard.press('Escape'); // leaves the field, does not skip
  await expect(task.root).toHaveAttribute('data-task-id', 'cmp-1');
  await expect(task.root).toHaveAttribute('data-save-state', 'saved');
  await task.pressAndMove('Enter');
  const cmp = await app.value('tasks.open', { taskId: 'cmp-1' });
  expect(cmp.status).toBe('submitted');
  expect(cmp.submitted?.results).toEqual([
    expect.objectContaining({ type: 'comparison', choice: 'b', justification: 'B answers the question.' }),
  ]);

  expect(await page.evaluate(() => (window as unknown as { pointerEvents: number }).pointerEvents)).toBe(0);
});

test('Esc closes only the innermost open thing: the cheat sheet, a field; never the task (19.1)', async ({
  page,
  app,
}) => {
  const queue = new QueuePage(page);
  const task = new TaskPage(page);
  await openFromQueue(page, queue, task, 'text-1');
  // The text toolbar's "?" opens the one cheat sheet; Esc closes it and the task stays open.
  await tabTo(page, /data-testid=shortcuts/);
  await page.keyboard.press('Enter');
  const sheet = page.getByTestId('cheat-sheet');
  await expect(sheet).toContainText('Select the next span');
  await expect(sheet).toContainText('Skip and open the next task');
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await expect(task.root).toHaveAttribute('data-task-id', 'text-1');
  await expect(task.status()).not.toHaveText('Skipped');
  expect((await app.value('tasks.open', { taskId: 'text-1' })).status).not.toBe('skipped');

  // A text attribute field on an image region: Esc leaves the field, the task stays.
  await backToQueue(page, queue);
  const imageId = await firstImageTask(app);
  await openFromQueue(page, queue, task, imageId);
  await task.waitImageLoaded();
  await page.keyboard.press('e'); // label: object (it has a text attribute, "note")
  await page.keyboard.press('i');
  await tabTo(page, /input.*\|note/);
  await page.keyboard.type('dented');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Backspace'); // with the field left, Backspace deletes the box…
  await expect(task.root).toHaveAttribute('data-task-id', imageId);
  expect(await focused(page)).toBe('body');
  await page.keyboard.press('Control+z'); // …and undo brings it back, with its note
  await expect
    .poll(async () => (await app.value('tasks.open', { taskId: imageId })).draft?.annotation.results ?? [])
    .toContainEqual(
      expect.objectContaining({
        type: 'bbox',
        label: 'object',
        attributes: expect.objectContaining({ note: 'dented' }),
      }),
    );
  await expect(task.root).toHaveAttribute('data-task-id', imageId);
  expect((await app.value('tasks.open', { taskId: imageId })).status).not.toBe('skipped');
});

test('Tab moves through every control of the image task; region cycling has its own keys (19.2)', async ({
  page,
  app,
}) => {
  const queue = new QueuePage(page);
  const task = new TaskPage(page);
  const imageId = await firstImageTask(app);
  await openFromQueue(page, queue, task, imageId);
  await task.waitImageLoaded();
  await page.keyboard.press('q'); // person: a select and a checkbox attribute
  await page.keyboard.press('i');
  await page.keyboard.press('i');
  for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowRight');
  const selected = await page.getByTestId('inspector').textContent();
  // Tab leaves the selection alone and walks: zoom controls, the canvas (one stop), the panel.
  const seen = await tabTo(page, /select.*\|pose/);
  expect(seen.some((f) => /data-testid=zoom-in/.test(f))).toBe(true);
  expect(seen.some((f) => /data-testid=zoom-out/.test(f))).toBe(true);
  expect(seen.filter((f) => /data-testid=image-canvas/.test(f))).toHaveLength(1);
  expect(await page.getByTestId('inspector').textContent()).toBe(selected);
  // Zoom by keyboard from the focused button: Enter presses it (it does not submit).
  await tabTo(page, /data-testid=zoom-in/, { back: true });
  const zoom = await page.getByTestId('zoom').textContent();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('zoom')).not.toHaveText(zoom ?? '');
  await expect(task.root).toHaveAttribute('data-task-id', imageId);
  // Shift+Tab back through the canvas to the top bar: one stop again.
  const back = await tabTo(page, /Queue/, { back: true });
  expect(back.filter((f) => /data-testid=image-canvas/.test(f)).length).toBeLessThanOrEqual(1);
  // . and , cycle the regions.
  await tabTo(page, /data-testid=image-canvas/);
  await page.keyboard.press('.');
  const first = await page.getByTestId('geometry').textContent();
  await page.keyboard.press('.');
  await expect(page.getByTestId('geometry')).not.toHaveText(first ?? '');
  await page.keyboard.press(',');
  await expect(page.getByTestId('geometry')).toHaveText(first ?? '');
});

test('the text pane is one tab stop once spans exist (19.2)', async ({ page }) => {
  const queue = new QueuePage(page);
  const task = new TaskPage(page);
  await openFromQueue(page, queue, task, 'text-1');
  await tabTo(page, /data-testid=text-view/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('1');
  await expect(page.getByTestId('span-list').locator('[data-span-id]')).toHaveCount(1);
  // Tab leaves the pane for the next control instead of cycling spans.
  await page.keyboard.press('Tab');
  expect(await focused(page)).not.toMatch(/text-view/);
  await page.keyboard.press('Shift+Tab');
  expect(await focused(page)).toMatch(/text-view/);
});
