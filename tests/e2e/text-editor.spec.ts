import type { Page } from '@playwright/test';
import type { Annotation, SpanResult } from '../../src/shared/model';
import { expect, test } from './fixtures/app';
import { queueScreen } from './pages/queue-page';
import { saveScreenshot } from './pages/screenshots';

/** Screen points of the first and last character of `needle` in the rendered document. */
const textPoints = (page: Page, needle: string) =>
  page.evaluate((needle) => {
    for (const block of document.querySelectorAll<HTMLElement>('[data-block-start]')) {
      const nodes = [...block.querySelectorAll<HTMLElement>('[data-run]')]
        .map((r) => r.firstChild as Text)
        .filter(Boolean);
      const full = nodes.map((n) => n.data).join('');
      const i = full.indexOf(needle);
      if (i < 0) continue;
      const rectAt = (at: number) => {
        let k = at;
        for (const n of nodes) {
          if (k < n.data.length) {
            const r = document.createRange();
            r.setStart(n, k);
            r.setEnd(n, k + 1);
            return r.getBoundingClientRect();
          }
          k -= n.data.length;
        }
        throw new Error('past the block');
      };
      const a = rectAt(i);
      const b = rectAt(i + needle.length - 1);
      return { x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2 };
    }
    throw new Error(`not rendered: ${needle}`);
  }, needle);

/** Drag the mouse across `needle` (from inside its first character to inside its last). */
const drag = async (page: Page, needle: string, opts: { alt?: boolean } = {}) => {
  const p = await textPoints(page, needle);
  if (opts.alt) await page.keyboard.down('Alt');
  await page.mouse.move(p.x1, p.y1);
  await page.mouse.down();
  await page.mouse.move(p.x2, p.y2, { steps: 5 });
  await page.mouse.up();
  if (opts.alt) await page.keyboard.up('Alt');
};

const spansOf = (a: Annotation | null | undefined): SpanResult[] =>
  (a?.results ?? []).filter((r): r is SpanResult => r.type === 'span');

/** Code-point offsets of `needle` in `text`, as Python would count them. */
const cpRange = (text: string, needle: string): [number, number] => {
  const start = [...text.slice(0, text.indexOf(needle))].length;
  return [start, start + [...needle].length];
};

const expectInvariant = (text: string, spans: SpanResult[]) => {
  for (const s of spans) expect([...text].slice(s.start, s.end).join('')).toBe(s.text);
};

test('labels spans, a relation and classes with mouse and keyboard; submits; reopens with the same offsets', async ({
  page,
  app,
}) => {
  const { queue, task } = await queueScreen(page);
  await queue.open('text-1', task);
  const doc = page.getByTestId('text-view');
  const list = page.getByTestId('span-list');

  // Mouse: partial words snap to whole words; label by hotkey.
  await drag(page, 'guyễn Thị La');
  await page.keyboard.press('1');
  await expect(list.locator('[data-span-id]')).toHaveCount(1);
  await drag(page, 'utrigger Lab');
  await page.keyboard.press('2');
  // Alt: character precision (a nested span inside nothing, just two letters short).
  await drag(page, 'Hà Nộ', { alt: true });
  await page.keyboard.press('3');
  await expect(list.locator('[data-span-id]', { hasText: 'Hà Nộ' })).toHaveText(/LOCHà Nộ\d/);
  // Mouse editing of edges: with LOC selected, select the whole name and press E.
  await page.getByTestId('text-view').locator('.tt-chip', { hasText: 'LOC' }).click();
  await drag(page, 'Hà Nội');
  await page.keyboard.press('e');
  await expect(list.locator('[data-span-id]', { hasText: 'Hà Nội' })).toHaveCount(1);
  // An outer span over ORG and LOC: overlapping, drawn in its own lane.
  await drag(page, 'Outrigger Labs in Hà Nội');
  await page.keyboard.press('5');
  // Keyboard: click before "3", extend by words with Shift+→, label.
  const p = await textPoints(page, '3 March');
  await page.mouse.click(p.x1 - 2, p.y1);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('4');
  await expect(list.locator('[data-span-id]')).toHaveCount(5);

  // Relation: select PER by its chip, press w (works_for), pick ORG.
  await doc.locator('.tt-chip', { hasText: 'PER' }).click();
  await page.keyboard.press('w');
  await doc.locator('.tt-chip', { hasText: 'ORG' }).click();
  await expect(page.getByTestId('relations').locator('li')).toHaveCount(1);
  await expect(doc.locator('[data-relation]')).toHaveCount(1);

  // Classes: single-choice by hotkey, multi-choice by click; undo and redo one.
  await page.keyboard.press('Shift+Digit1');
  await page.locator('[data-class="topics:business"]').click();
  await page.locator('[data-class="topics:travel"]').click();
  await page.keyboard.press('Control+z');
  await expect(page.locator('[data-class="topics:travel"]')).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('Control+Shift+z');
  await expect(page.locator('[data-class="topics:travel"]')).toHaveAttribute('aria-pressed', 'true');

  // Delete a span with its key, then undo the delete.
  await doc.locator('.tt-chip', { hasText: 'DATE' }).click();
  await page.keyboard.press('Delete');
  await expect(list.locator('[data-span-id]')).toHaveCount(4);
  await page.keyboard.press('Control+z');
  await expect(list.locator('[data-span-id]')).toHaveCount(5);
  await expect(task.root).toHaveAttribute('data-save-state', 'saved');
  await saveScreenshot(page, 'text-editor-light');

  const text = (await app.value('tasks.open', { taskId: 'text-1' })).task.data;
  if (text.kind !== 'text') throw new Error('text-1 is a text task');
  const expected: [string, string][] = [
    ['PER', 'Nguyễn Thị Lan'],
    ['ORG', 'Outrigger Labs'],
    ['MISC', 'Outrigger Labs in Hà Nội'],
    ['LOC', 'Hà Nội'],
    ['DATE', '3 March 2025'],
  ];
  const draft = spansOf((await app.value('tasks.open', { taskId: 'text-1' })).draft?.annotation);
  expect(draft.map((s) => [s.label, s.text])).toEqual(expected);
  for (const s of draft) expect([s.start, s.end]).toEqual(cpRange(text.text, s.text));
  expectInvariant(text.text, draft);

  // Submit with Enter; the next task opens.
  await task.pressAndMove('Enter');
  const done = await app.value('tasks.open', { taskId: 'text-1' });
  expect(done.status).toBe('submitted');
  const submitted = done.submitted!;
  expect(spansOf(submitted)).toEqual(draft);
  const rel = submitted.results.find((r) => r.type === 'relation');
  const per = draft.find((s) => s.label === 'PER')!;
  const org = draft.find((s) => s.label === 'ORG')!;
  expect(rel).toMatchObject({ label: 'works_for', from: per.id, to: org.id });
  expect(submitted.results.filter((r) => r.type === 'doc-class')).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ group: 'sentiment', labels: ['positive'] }),
      expect.objectContaining({ group: 'topics', labels: ['business', 'travel'] }),
    ]),
  );

  // Restart the host and reopen: the editor shows the same spans, the API the same offsets.
  await app.restart();
  await queue.waitReady();
  await queue.showOnly('submitted');
  await queue.open('text-1', task);
  await expect(page.getByTestId('span-list').locator('[data-span-id]')).toHaveCount(5);
  await expect(page.getByTestId('text-view').locator('[data-relation]')).toHaveCount(1);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await saveScreenshot(page, 'text-editor-dark');
  const reopened = await app.value('tasks.open', { taskId: 'text-1' });
  expect(spansOf(reopened.submitted)).toEqual(draft);
});

test('offsets after an emoji, across CRLF and in Thai are code points', async ({ page, app }) => {
  const { queue, task } = await queueScreen(page);
  const cases: { id: string; needle: string; drag: string; key: string }[] = [
    { id: 'text-5', needle: 'Highly recommended', drag: 'ighly recommende', key: '5' },
    { id: 'text-2', needle: 'प्रिया शर्मा', drag: 'प्रिया शर्मा', key: '1' },
    { id: 'text-3', needle: 'กรุงเทพมหานคร', drag: 'กรุงเทพมหานคร', key: '3' },
  ];
  for (const c of cases) {
    await page.goto(app.url);
    await queue.waitReady();
    await queue.open(c.id, task);
    await drag(page, c.drag);
    await page.keyboard.press(c.key);
    await expect(page.getByTestId('span-list').locator('[data-span-id]')).toHaveCount(1);
    await expect(task.root).toHaveAttribute('data-save-state', 'saved');
    const v = await app.value('tasks.open', { taskId: c.id });
    if (v.task.data.kind !== 'text') throw new Error('text task');
    const spans = spansOf(v.draft?.annotation);
    expect(spans).toHaveLength(1);
    expectInvariant(v.task.data.text, spans);
    expect(spans[0]!.text).toBe(c.needle);
    expect([spans[0]!.start, spans[0]!.end]).toEqual(cpRange(v.task.data.text, c.needle));
  }
  // The CRLF text: the second line starts after both CR and LF.
  const v = await app.value('tasks.open', { taskId: 'text-2' });
  if (v.task.data.kind !== 'text') throw new Error('text task');
  expect(v.task.data.text).toContain('\r\n');
});

test('compares responses by keyboard: pick, rank, rate, justify; markdown is inert; reopens the same', async ({
  page,
  app,
}) => {
  const { queue, task } = await queueScreen(page);
  await queue.open('cmp-2', task);
  const editor = page.getByTestId('comparison-editor');
  await expect(editor.getByTestId('response')).toHaveCount(3);
  // The <script> in response B is shown as text and never becomes an element.
  await expect(editor.locator('[data-response="b"]')).toContainText("<script>alert('x')</script>");
  expect(await editor.locator('script, b').count()).toBe(0);

  await page.keyboard.press('c'); // C is better
  await page.keyboard.press('Shift+b'); // B up one place: C, B, A
  for (const k of ['6', '7', '5', '2', '3', '2', '6', '7', '6']) await page.keyboard.press(k);
  await page.keyboard.press('j');
  await page.keyboard.type('C is concrete and safe; B is harmful.');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('comparison-status')).toHaveText(/Complete/);
  await expect(task.root).toHaveAttribute('data-save-state', 'saved');
  await saveScreenshot(page, 'comparison-editor-light');
  await task.pressAndMove('Enter');

  const expected = {
    type: 'comparison',
    choice: 'c',
    tie: false,
    ranking: ['c', 'b', 'a'],
    ratings: {
      a: { helpfulness: 6, harmlessness: 7, honesty: 5 },
      b: { helpfulness: 2, harmlessness: 3, honesty: 2 },
      c: { helpfulness: 6, harmlessness: 7, honesty: 6 },
    },
    justification: 'C is concrete and safe; B is harmful.',
  };
  const done = await app.value('tasks.open', { taskId: 'cmp-2' });
  expect(done.status).toBe('submitted');
  expect(done.submitted?.results).toEqual([expect.objectContaining(expected)]);

  // Mouse: reopen, change a rating by click, pick a tie; the stored judgement follows.
  await page.goto(app.url);
  await queue.waitReady();
  await queue.showOnly('submitted');
  await queue.open('cmp-2', task);
  await expect(editor.locator('[data-response="c"]')).toHaveClass(/is-chosen/);
  await editor.locator('[data-rate="a:honesty:4"]').click();
  await editor.locator('[data-choice="tie"]').click();
  await expect(task.root).toHaveAttribute('data-save-state', 'saved');
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await saveScreenshot(page, 'comparison-editor-dark');
  const draft = await app.value('tasks.open', { taskId: 'cmp-2' });
  expect(draft.draft?.annotation.results).toEqual([
    expect.objectContaining({
      ...expected,
      choice: null,
      tie: true,
      ratings: { ...expected.ratings, a: { ...expected.ratings.a, honesty: 4 } },
    }),
  ]);
});

test('drags a span edge: snaps to words, Alt for characters, one undo step, Esc rolls back', async ({
  page,
  app,
}) => {
  const { queue, task } = await queueScreen(page);
  await queue.open('text-1', task);
  const doc = page.getByTestId('text-view');
  const list = page.getByTestId('span-list');
  await drag(page, 'Outrigger');
  await page.keyboard.press('2');
  await expect(list.locator('[data-span-id]')).toHaveText([/ORGOutrigger\d/]);

  /** Press on the selected span's handle and move to `to` (x, y); the caller releases. */
  const grab = async (edge: 'start' | 'end', to: { x: number; y: number }) => {
    // The knob: above the start edge, below the end edge (the bar itself lets clicks through).
    const box = (await doc.locator(`[data-handle="${edge}"]`).boundingBox())!;
    await page.mouse.move(box.x, edge === 'start' ? box.y - 6 : box.y + box.height + 6);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 6 });
  };
  const stored = async () => {
    await expect(task.root).toHaveAttribute('data-save-state', 'saved');
    const v = await app.value('tasks.open', { taskId: 'text-1' });
    if (v.task.data.kind !== 'text') throw new Error('text task');
    const spans = spansOf(v.draft?.annotation);
    expectInvariant(v.task.data.text, spans);
    return { text: v.task.data.text, spans };
  };

  // The end handle into the middle of "Nội": the word under the pointer is taken whole.
  const noi = await textPoints(page, 'Nội');
  await grab('end', { x: (noi.x1 + noi.x2) / 2, y: noi.y1 });
  await expect(doc).toHaveAttribute('data-dragging', 'end');
  await expect(list.locator('[data-span-id]')).toHaveText([/Outrigger Labs in Hà Nội/]);
  await saveScreenshot(page, 'text-span-drag-light');
  await page.mouse.up();
  let s = await stored();
  expect(s.spans.map((x) => x.text)).toEqual(['Outrigger Labs in Hà Nội']);
  expect([s.spans[0]!.start, s.spans[0]!.end]).toEqual(cpRange(s.text, 'Outrigger Labs in Hà Nội'));

  // One drag is one undo step.
  await page.keyboard.press('Control+z');
  await expect(list.locator('[data-span-id]')).toHaveText([/ORGOutrigger\d/]);
  await page.keyboard.press('Control+Shift+z');
  await expect(list.locator('[data-span-id]')).toHaveText([/Outrigger Labs in Hà Nội/]);

  // Alt: the start handle to just inside "Labs" lands between two characters.
  await doc.locator('.tt-chip', { hasText: 'ORG' }).click();
  const labs = await textPoints(page, 'abs in');
  await page.keyboard.down('Alt');
  await grab('start', { x: labs.x1, y: labs.y1 });
  await page.mouse.up();
  await page.keyboard.up('Alt');
  s = await stored();
  expect(s.spans.map((x) => x.text)).toEqual(['abs in Hà Nội']);
  expect([s.spans[0]!.start, s.spans[0]!.end]).toEqual(cpRange(s.text, 'abs in Hà Nội'));

  // Esc during a drag puts the edge back; the task is not skipped.
  const march = await textPoints(page, 'March');
  await grab('end', { x: march.x2, y: march.y2 });
  await expect(list.locator('[data-span-id]')).toHaveText([/abs in Hà Nội on 3 March/]);
  await page.keyboard.press('Escape');
  await expect(doc).not.toHaveAttribute('data-dragging', 'end');
  await page.mouse.up();
  await expect(list.locator('[data-span-id]')).toHaveText([/ORGabs in Hà Nội\d/]);
  await expect(task.root).toHaveAttribute('data-task-id', 'text-1');
  s = await stored();
  expect(s.spans.map((x) => x.text)).toEqual(['abs in Hà Nội']);
  // The [ ] keys still move edges by words.
  await page.keyboard.press('BracketRight');
  await expect(list.locator('[data-span-id]')).toHaveText([/abs in Hà Nội on\d/]);
});

test('a span across a CRLF line break and one over a tab keep code-point offsets', async ({ page, app }) => {
  const { queue, task } = await queueScreen(page);
  const cases = [
    { id: 'text-2', from: 'Mumbai', to: 'launch', expected: 'Mumbai next year.\r\nThe launch' },
    { id: 'text-4', from: 'Friday', to: 'She', expected: 'Friday.\n\tShe' },
  ];
  for (const c of cases) {
    await page.goto(app.url);
    await queue.waitReady();
    await queue.open(c.id, task);
    // From inside the first word on one line to inside the last word on the next.
    const a = await textPoints(page, c.from);
    const b = await textPoints(page, c.to);
    await page.mouse.move(a.x1 + 2, a.y1);
    await page.mouse.down();
    await page.mouse.move(b.x2 - 2, b.y2, { steps: 6 });
    await page.mouse.up();
    await page.keyboard.press('5');
    await expect(page.getByTestId('span-list').locator('[data-span-id]')).toHaveCount(1);
    await expect(task.root).toHaveAttribute('data-save-state', 'saved');
    const v = await app.value('tasks.open', { taskId: c.id });
    if (v.task.data.kind !== 'text') throw new Error('text task');
    const spans = spansOf(v.draft?.annotation);
    expectInvariant(v.task.data.text, spans);
    expect(spans.map((s) => s.text)).toEqual([c.expected]);
    expect([spans[0]!.start, spans[0]!.end]).toEqual(cpRange(v.task.data.text, c.expected));
  }
  await saveScreenshot(page, 'text-editor-tab-span-light');
});
