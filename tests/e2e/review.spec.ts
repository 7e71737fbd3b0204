/**
 * QA review in the workbench (issue 11), in Chromium against two web-mode workbenches and one
 * hub: ann annotates three images, a text and a comparison → sync → rita (reviewer) rejects one
 * image with a comment pinned to its box and accepts the rest → sync → ann sees the comment beside
 * the box, fixes it, resubmits → rita sees the diff and accepts → both see two versions and two
 * verdicts in the history. axe on the review screens; screenshots light and dark into
 * test-results/screenshots/review-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import type { MethodInput, MethodName, MethodOutput, Result } from '../../src/shared/contract';
import type { AnnotationResult } from '../../src/shared/model';
import { startWebHost, type ServedHost } from '../../src/main/web-host/server';
import { expect, test, waitForApp } from './fixtures/app';
import { REJECT_REASONS, startReviewHub, type ReviewHub } from './fixtures/review-hub';
import { saveScreenshot } from './pages/screenshots';

const root = resolve(__dirname, '../..');

/** A second workbench (the reviewer's), in its own browser context. */
const startSecondHost = async (request: APIRequestContext) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'outrigger-e2e-rev-'));
  const host: ServedHost = await startWebHost({
    dataDir,
    resourcesDir: join(root, 'resources'),
    rendererDir: join(root, 'out/renderer'),
  });
  const value = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const res = await request.post(`${host.baseUrl}/api/${method}`, {
      headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
      data: JSON.stringify(input),
    });
    const r = (await res.json()) as Result<MethodOutput<M>>;
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value;
  };
  return {
    host,
    value,
    async close() {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

const box = (id: string, x: number): AnnotationResult => ({
  type: 'bbox',
  id,
  label: 'person',
  x,
  y: 60,
  w: 180,
  h: 200,
  rotation: 0,
  attributes: { pose: 'standing', truncated: false },
});

/** A span over the first `words` in `text`, in code points as stored. */
const span = (text: string, id: string, label: string, words: string): AnnotationResult => {
  const start = [...text.slice(0, text.indexOf(words))].length;
  return { type: 'span', id, label, start, end: start + [...words].length, text: words, attributes: {} };
};

const axeSerious = async (page: Page, screen: string): Promise<string[]> => {
  const r = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.slice(0, 3).map((n) => `${screen}: ${v.id} at ${n.target.join(' ')}`));
};

/** Both themes of the screen on show, named review-<name>-light/dark. */
const shots = async (page: Page, name: string) => {
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
    await page.waitForTimeout(120);
    await saveScreenshot(page, `review-${name}-${theme}`);
  }
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
};

test.describe('review across two workbenches and one hub', () => {
  let hub: ReviewHub;
  test.beforeEach(async () => {
    hub = await startReviewHub();
  });
  test.afterEach(async () => {
    await hub.close();
  });

  test('reject with a pinned comment, rework, diff, accept; history on both sides', async ({
    page,
    app,
    browser,
    request,
  }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: 1440, height: 900 });
    // ann: sign in, lease everything, submit three boxes, a text and a comparison.
    await app.value('sync.signIn', { hubUrl: hub.url, token: hub.annToken });
    for (const p of Object.values(hub.projects))
      await app.value('tasks.getMore', { projectId: p, count: 10 });
    const submitted: Record<string, string> = {};
    // Only the hub's projects: the local demo workspace has tasks of its own.
    for (const projectId of Object.values(hub.projects))
      for (;;) {
        const v = await app.value('tasks.claimNext', { projectId });
        if (!v) break;
        const data = v.task.data;
        const results: AnnotationResult[] =
          data.kind === 'image'
            ? [box(`box-${Object.keys(submitted).length}`, 40)]
            : data.kind === 'text'
              ? [
                  span(data.text, 'per', 'PER', 'Maria Santos'),
                  span(data.text, 'org', 'ORG', 'Accenture Philippines'),
                ]
              : [
                  {
                    type: 'comparison',
                    id: 'cmp',
                    choice: 'a',
                    tie: false,
                    ranking: ['a', 'b'],
                    ratings: {},
                    justification: 'Slicing is the idiomatic answer and says it copies.',
                  },
                ];
        await app.value('tasks.submit', { taskId: v.task.id, annotation: { results, activeMs: 61_000 } });
        submitted[v.task.id] = data.kind;
      }
    expect(Object.values(submitted).sort()).toEqual(['comparison', 'image', 'image', 'image', 'text']);
    await app.value('sync.now', {});

    // rita reviews (and leads the image project, so she may annotate it too): her roles give her
    // the Annotate / Review switch.
    const rev = await startSecondHost(request);
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const rp = await ctx.newPage();
    try {
      await rev.value('sync.signIn', { hubUrl: hub.url, token: hub.ritaToken });
      await rp.goto(rev.host.url);
      await waitForApp(rp);
      const queue = rp.getByTestId('review-queue');
      await rp.getByTestId('mode-review').click();
      await expect(queue).toBeVisible();
      await rp.getByTestId('review-get-more').click();
      await expect(queue.getByTestId('review-row')).toHaveCount(5);
      await expect(rp.getByTestId('review-filter-pending')).toContainText('5');
      await expect(rp.getByTestId('batch-progress')).toContainText('week-1');
      expect(await axeSerious(rp, 'review-queue')).toEqual([]);
      await shots(rp, 'queue');

      // The text and the comparison, read only: looked at, accepted with A.
      for (const kind of ['text', 'comparison'] as const) {
        await queue
          .getByTestId('review-row')
          .filter({ hasText: kind === 'text' ? 'News entities' : 'Model answers' })
          .click();
        const screen = rp.getByTestId('review-screen');
        await expect(screen).toBeVisible();
        await expect(
          screen.getByTestId(kind === 'text' ? 'text-editor' : 'comparison-editor'),
        ).toHaveAttribute('data-readonly', 'true');
        await expect(screen.getByTestId('review-meta')).toContainText('ann');
        await expect(screen.getByTestId('review-meta')).toContainText(/\d+ min active/);
        expect(await axeSerious(rp, `review-${kind}`)).toEqual([]);
        await shots(rp, `screen-${kind}`);
        await rp.keyboard.press('a');
        // The only item of its batch: the queue is next.
        await expect(queue).toBeVisible();
      }

      // The first image: a comment pinned to its box (. selects it, C comments), then R rejects.
      const imageRows = queue.getByTestId('review-row').filter({ hasText: 'Street photos' });
      await expect(imageRows).toHaveCount(3);
      const rejectedSub = (await imageRows.first().getAttribute('data-submission-id'))!;
      await imageRows.first().click();
      const screen = rp.getByTestId('review-screen');
      await expect(screen.locator('.image-stage')).toHaveAttribute('data-state', 'loaded');
      await expect(screen.getByTestId('image-editor')).toHaveAttribute('data-readonly', 'true');
      await screen.getByTestId('image-canvas').focus();
      await rp.keyboard.press('.');
      await rp.keyboard.press('c');
      const comment = rp.getByTestId('comment-dialog');
      await expect(comment).toContainText('box person');
      await comment
        .getByTestId('comment-text')
        .fill('Too loose: the box takes in the background on the right');
      await rp.keyboard.press('Enter');
      await expect(comment).toHaveCount(0);
      await expect(screen.getByTestId('pin-item')).toHaveCount(1);
      await expect(screen.getByTestId('pin-item')).toContainText('box person');
      expect(await axeSerious(rp, 'review-image')).toEqual([]);
      await shots(rp, 'screen-image-comment');
      await rp.keyboard.press('r');
      const reject = rp.getByTestId('reject-dialog');
      await expect(reject.getByTestId('reject-reason')).toHaveCount(REJECT_REASONS.length);
      await expect(reject).toContainText('Too loose: the box takes in the background');
      await reject.getByText(REJECT_REASONS[0]!).click();
      await reject.getByTestId('reject-note').fill('Tighten it to the astronaut.');
      expect(await axeSerious(rp, 'reject-dialog')).toEqual([]);
      await shots(rp, 'reject-dialog');
      await rp.keyboard.press('Control+Enter');
      // The next image waiting opens at once: accept it, and the last one.
      await expect(rp.getByTestId('review-screen')).not.toHaveAttribute('data-submission-id', rejectedSub);
      await rp.keyboard.press('a');
      await expect(rp.getByTestId('review-screen')).toHaveAttribute('data-state', 'ready');
      await rp.keyboard.press('a');
      await expect(queue).toBeVisible();
      await rp.getByTestId('review-filter-all').click();
      await expect(queue.getByTestId('review-row').filter({ hasText: 'Rejected' })).toHaveCount(1);
      await rev.value('sync.now', {});

      // ann: the task came back; the comment sits beside the box and in the panel.
      await app.value('sync.now', {});
      const rejectedTask = (await rev.value('review.open', { submissionId: rejectedSub })).task.id;
      const fb = await app.value('tasks.reviewFeedback', { taskId: rejectedTask });
      expect(fb.inRework).toBe(true);
      await page.reload();
      await waitForApp(page);
      // It is back among the work to do (the local demo tasks are there too): open it from its row.
      await page.getByLabel('Search tasks').fill('astronaut');
      await page.locator(`[data-testid="task-row"][data-task-id="${rejectedTask}"]`).click();
      const task = page.getByTestId('task-screen');
      await expect(task).toHaveAttribute('data-task-id', rejectedTask);
      await expect(task.locator('.image-stage')).toHaveAttribute('data-state', 'loaded');
      await expect(task.getByTestId('rework-reason')).toHaveText(REJECT_REASONS[0]!);
      await expect(task.getByTestId('pin-item')).toContainText('Too loose');
      await expect(task.getByTestId('history-panel')).toContainText('1 version · 1 verdict');
      expect(await axeSerious(page, 'rework')).toEqual([]);
      await shots(page, 'rework-pinned-comment');

      // Fix: select the box, move it 40 px (Shift+→), submit with Enter.
      await task.getByTestId('image-canvas').focus();
      await page.keyboard.press('.');
      for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Enter');
      await expect(
        page.getByTestId('task-screen').or(page.getByTestId('queue-screen')).first(),
      ).toBeVisible();
      await app.value('sync.now', {});

      // rita: the resubmission, with the diff to version 1; D toggles it; accept.
      await rp.getByTestId('review-get-more').click();
      await rp.getByTestId('review-filter-pending').click();
      await expect(queue.getByTestId('review-row')).toHaveCount(1);
      await queue.getByTestId('review-row').click();
      await expect(screen.locator('.image-stage')).toHaveAttribute('data-state', 'loaded');
      await expect(screen.getByTestId('review-version')).toHaveText('Version 2 · resubmitted');
      await expect(screen.getByTestId('diff-counts')).toHaveText('1 changed');
      await expect(screen.getByTestId('diff-toggle')).toBeChecked();
      await shots(rp, 'screen-image-diff');
      await rp.keyboard.press('d');
      await expect(screen.getByTestId('diff-toggle')).not.toBeChecked();
      await rp.keyboard.press('d');
      await expect(screen.getByTestId('history-counts')).toHaveText('2 versions · 1 verdict');
      await rp.keyboard.press('a');
      await expect(queue).toBeVisible();
      await rev.value('sync.now', {});

      // Both: two versions and two verdicts in the history panel.
      await rp.getByTestId('review-filter-all').click();
      await queue.getByTestId('review-row').filter({ hasText: 'v2' }).click();
      await expect(screen.getByTestId('history-counts')).toHaveText('2 versions · 2 verdicts');
      await expect(screen.getByTestId('history-verdict')).toHaveCount(2);
      await shots(rp, 'history-reviewer');
      const h = await app.value('review.history', { taskId: rejectedTask });
      expect(h.versions).toHaveLength(2);
      expect(h.verdicts.map((v) => v.kind)).toEqual(['rejected', 'accepted']);
      await page.goto(app.url);
      await waitForApp(page);
      await page.getByLabel('Search tasks').fill('astronaut');
      await page.locator(`[data-testid="task-row"][data-task-id="${rejectedTask}"]`).click();
      await expect(page.getByTestId('history-counts')).toHaveText('2 versions · 2 verdicts');
      await expect(page.getByTestId('rework-feedback')).toHaveCount(0);
      await shots(page, 'history-annotator');
    } finally {
      await ctx.close();
      await rev.close();
    }
  });
});
