import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPredictions } from '../../src/hub/import/predictions';
import { expect, test } from './fixtures/app';
import { startTextHub, type TextHub } from './fixtures/text-hub';
import { QueuePage } from './pages/queue-page';
import { saveThemedScreenshots } from './pages/screenshots';
import { StatusBar } from './pages/status-bar';
import { SyncDialog } from './pages/sync-dialog';
import { TaskPage } from './pages/task-page';

/**
 * Span suggestions imported from files, end to end: two models' CoNLL output (numbering their
 * entities alike) and a spaCy JSONL attached with the hub's importer (`hub import predictions`)
 * all show in the text editor as suggestions at the right characters, past an emoji and
 * combining marks.
 */

const TEXT = 'Nguyễn Thị Lan 😀 joined Outrigger Labs in Hà Nội on 3 March 2025.';
const TASK_ID = 'imported:t1';

let hub: TextHub;
let dir: string;

test.beforeEach(async () => {
  hub = await startTextHub({
    projectId: 'imported',
    name: 'Imported suggestions',
    tasks: [{ id: 't1', title: 'Imported entities', text: TEXT }],
  });
  dir = mkdtempSync(join(tmpdir(), 'outrigger-e2e-preds-'));
  // Two models' CoNLL files; both number their entities from conll-1-1.
  const words = [
    'Nguyễn',
    'Thị',
    'Lan',
    '😀',
    'joined',
    'Outrigger',
    'Labs',
    'in',
    'Hà',
    'Nội',
    'on',
    '3',
    'March',
    '2025',
    '.',
  ];
  const conll = (tags: Record<number, string>) =>
    ['-DOCSTART- -X- -X- O', '', ...words.map((w, i) => `${w} ${tags[i] ?? 'O'}`), ''].join('\n');
  writeFileSync(
    join(dir, 'ner.conll'),
    conll({ 0: 'B-PER', 1: 'I-PER', 2: 'I-PER', 5: 'B-ORG', 6: 'I-ORG' }),
  );
  writeFileSync(join(dir, 'geo.conll'), conll({ 8: 'B-LOC', 9: 'I-LOC' }));
  const date = [...TEXT.slice(0, TEXT.indexOf('3 March'))].length;
  writeFileSync(
    join(dir, 'dates.jsonl'),
    `${JSON.stringify({ text: TEXT, spans: [{ start: date, end: date + 12, label: 'DATE', score: 0.8 }] })}\n`,
  );
  for (const [format, file, model] of [
    ['conll', 'ner.conll', 'bert-ner'],
    ['conll', 'geo.conll', 'geo-ner'],
    ['spacy', 'dates.jsonl', 'spacy-dates'],
  ] as const)
    await importPredictions(hub.storage, { projectId: 'imported', format, path: join(dir, file), model });
});

test.afterEach(async () => {
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

test('CoNLL (two models) and spaCy predictions imported on the hub show as span suggestions', async ({
  page,
}) => {
  const queue = new QueuePage(page);
  const task = new TaskPage(page);
  await new StatusBar(page).syncState.click();
  await new SyncDialog(page).signInOk(hub.url, hub.token);
  await page.keyboard.press('Escape');
  await expect(queue.rows).toHaveCount(1);
  await queue.open(TASK_ID, task);

  const suggested = page.getByTestId('text-view').locator('.tt-chip.is-suggestion');
  await expect(suggested).toHaveCount(4);
  await expect(page.getByTestId('suggestion-count')).toHaveText('4 of 4 shown');
  const cp = (needle: string) => [...TEXT.slice(0, TEXT.indexOf(needle))].length;
  const list = page.getByTestId('span-list');
  for (const [id, label, text, model] of [
    ['conll-1-1', 'PER', 'Nguyễn Thị Lan', 'bert-ner'],
    ['conll-1-2', 'ORG', 'Outrigger Labs', 'bert-ner'],
    ['geo-ner:conll-1-1', 'LOC', 'Hà Nội', 'geo-ner'],
    ['spacy-1-1', 'DATE', '3 March 2025', 'spacy-dates'],
  ] as const) {
    const row = list.locator(`[data-span-id="${id}"]`);
    await expect(row).toHaveClass(/is-suggestion/);
    await expect(row.locator('.tt-row-text')).toHaveText(text);
    const start = cp(text);
    await expect(row).toHaveAttribute(
      'title',
      `${label} [${start}, ${start + [...text].length}) — suggested by ${model}`,
    );
    await expect(page.getByTestId('text-view').locator(`[data-chip="${id}"]`)).toHaveText(label);
  }
  await saveThemedScreenshots(page, '/work/wt/_shots/import4', 'imported-text-suggestions');

  // Accepting one makes it a span of the draft at the same characters.
  await page.getByTestId('text-view').locator('[data-chip="geo-ner:conll-1-1"]').click();
  await page.keyboard.press('a');
  await expect(list.locator('[data-span-id="geo-ner:conll-1-1"]')).not.toHaveClass(/is-suggestion/);
  await expect(suggested).toHaveCount(3);
});
