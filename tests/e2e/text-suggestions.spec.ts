import type { Page } from '@playwright/test';
import type { Prediction, SpanResult } from '../../src/shared/model';
import { expect, test } from './fixtures/app';
import { startTextHub, type TextHub } from './fixtures/text-hub';
import { QueuePage } from './pages/queue-page';
import { saveScreenshot } from './pages/screenshots';
import { StatusBar } from './pages/status-bar';
import { SyncDialog } from './pages/sync-dialog';
import { TaskPage } from './pages/task-page';

/**
 * Pre-annotations in the text editor, end to end: a hub project whose text carries predictions,
 * leased by the workbench; the score threshold hides weak suggestions; one is rejected, one
 * accepted; leaving and reopening the task offers neither again.
 */

const TEXT =
  'Nguyễn Thị Lan joined Outrigger Labs in Hà Nội on 3 March 2025. She leads the Đà Nẵng team of twelve annotators 🙂.';
const TASK_ID = 'suggest:sug-1';

const cpSpan = (id: string, label: string, needle: string, score?: number): SpanResult => {
  const start = [...TEXT.slice(0, TEXT.indexOf(needle))].length;
  return {
    type: 'span',
    id,
    label,
    start,
    end: start + [...needle].length,
    text: needle,
    attributes: {},
    ...(score === undefined ? {} : { score }),
  };
};
const predictions: Prediction[] = [
  {
    model: 'ner-v2',
    score: 0.7,
    results: [
      cpSpan('p-per', 'PER', 'Nguyễn Thị Lan', 0.95),
      cpSpan('p-org', 'ORG', 'Outrigger Labs', 0.6),
      cpSpan('p-loc', 'LOC', 'Hà Nội', 0.3),
      cpSpan('p-date', 'DATE', '3 March 2025'), // the prediction's score, 0.7
      { type: 'doc-class', id: 'p-sent', group: 'sentiment', labels: ['positive'], score: 0.9 },
    ],
  },
];

const chip = (page: Page, id: string) => page.getByTestId('text-view').locator(`[data-chip="${id}"]`);
const count = (page: Page) => page.getByTestId('suggestion-count');

let hub: TextHub;

test.beforeEach(async () => {
  hub = await startTextHub({
    projectId: 'suggest',
    name: 'Suggestions',
    tasks: [{ id: 'sug-1', title: 'Suggested entities', text: TEXT, predictions }],
  });
});

test.afterEach(async () => {
  await hub.close();
});

test('score threshold, reject one, accept one; reopened, neither is offered again', async ({ page, app }) => {
  const bar = new StatusBar(page);
  const queue = new QueuePage(page);
  const task = new TaskPage(page);
  await bar.syncState.click();
  await new SyncDialog(page).signInOk(hub.url, hub.token);
  await page.keyboard.press('Escape');
  // Signing in opened the hub's own workspace and leased its first batch: its one task.
  await expect(queue.rows).toHaveCount(1);

  const openTask = async () => {
    await queue.root.getByLabel('Search tasks').fill('Suggested entities');
    await queue.open(TASK_ID, task);
  };
  await openTask();
  const suggested = page.getByTestId('text-view').locator('.tt-chip.is-suggestion');
  await expect(suggested).toHaveCount(4);
  await expect(count(page)).toHaveText('5 of 5 shown');

  // Keyboard: = raises the threshold by 5%; at 35% the 0.3 place name hides.
  for (let i = 0; i < 7; i++) await page.keyboard.press('=');
  await expect(page.getByTestId('score-threshold')).toHaveValue('0.35');
  await expect(count(page)).toHaveText('4 of 5 shown');
  await expect(chip(page, 'p-loc')).toHaveCount(0);
  // Mouse: the slider to 65% also hides the 0.6 organisation.
  await page.getByTestId('score-threshold').fill('0.65');
  await expect(count(page)).toHaveText('3 of 5 shown');
  await expect(chip(page, 'p-org')).toHaveCount(0);
  await expect(page.getByTestId('accept-all')).toContainText('Accept 3');
  await saveScreenshot(page, 'text-suggestions-threshold-light');

  // Back to 0 by keyboard (- steps down), then reject ORG with Del and accept PER with A.
  for (let i = 0; i < 13; i++) await page.keyboard.press('-');
  await expect(count(page)).toHaveText('5 of 5 shown');
  await chip(page, 'p-org').click();
  await page.keyboard.press('Delete');
  await expect(chip(page, 'p-org')).toHaveCount(0);
  await chip(page, 'p-per').click();
  await page.keyboard.press('a');
  await expect(chip(page, 'p-per')).not.toHaveClass(/is-suggestion/);
  // Reject the class suggestion from the panel; at 50%, accept all shown: only DATE is left.
  await page.locator('[data-suggestion="p-sent"]').getByTestId('reject-suggestion').click();
  await page.getByTestId('score-threshold').fill('0.5');
  await expect(count(page)).toHaveText('1 of 2 shown');
  await page.getByTestId('accept-all').click();
  await expect(count(page)).toHaveText('0 of 1 shown');
  await expect(task.root).toHaveAttribute('data-save-state', 'saved');

  const draft = (await app.value('tasks.open', { taskId: TASK_ID })).draft!.annotation;
  expect(draft.dismissedSuggestions).toEqual(['p-org', 'p-sent']);
  const spans = draft.results.filter((r): r is SpanResult => r.type === 'span');
  expect(spans.map((s) => [s.id, s.label, s.text])).toEqual([
    ['p-per', 'PER', 'Nguyễn Thị Lan'],
    ['p-date', 'DATE', '3 March 2025'],
  ]);
  for (const s of spans) expect([...TEXT].slice(s.start, s.end).join('')).toBe(s.text);
  expect(draft.results.filter((r) => r.type === 'doc-class')).toEqual([]);

  // Leave and reopen: the rejected ones are gone, the accepted ones are plain spans, once.
  await task.root.getByRole('button', { name: '← Queue' }).click();
  await queue.waitReady();
  await openTask();
  const list = page.getByTestId('span-list');
  await expect(list.locator('[data-span-id]')).toHaveCount(3); // PER, DATE, and the 0.3 LOC still pending
  await expect(list.locator('[data-span-id="p-per"]')).toHaveCount(1);
  await expect(list.locator('[data-span-id="p-per"]')).not.toHaveClass(/is-suggestion/);
  await expect(chip(page, 'p-org')).toHaveCount(0);
  await expect(page.locator('[data-suggestion="p-sent"]')).toHaveCount(0);
  await expect(suggested).toHaveCount(1);
  await expect(count(page)).toHaveText('1 of 1 shown');
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await saveScreenshot(page, 'text-suggestions-reopened-dark');
});
