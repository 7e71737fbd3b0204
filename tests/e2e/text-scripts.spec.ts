/**
 * One text per script (Vietnamese NFC and NFD input, Hindi, Tagalog, Thai, Arabic, emoji with
 * ZWJ and flags), leased from a real hub: mouse spans (drag, double click) and keyboard spans
 * (a click inside a word, Shift+arrows, a label key) store code-point offsets into the NFC text
 * and the text they cover; a span never starts or ends on a space, nor splits a cluster.
 */
import type { Page } from '@playwright/test';
import type { SpanResult } from '../../src/shared/model';
import { expect, test } from './fixtures/app';
import { SCRIPT_TEXTS } from './fixtures/script-texts';
import { startTextHub } from './fixtures/text-hub';
import { QueuePage } from './pages/queue-page';
import { saveScreenshot } from './pages/screenshots';
import { SyncDialog } from './pages/sync-dialog';
import { TaskPage } from './pages/task-page';

/** Screen points inside the first and the last grapheme cluster of `needle` in the document. */
const clusterPoints = (page: Page, needle: string) =>
  page.evaluate((needle) => {
    for (const block of document.querySelectorAll<HTMLElement>('[data-block-start]')) {
      const nodes = [...block.querySelectorAll<HTMLElement>('[data-run]')]
        .map((r) => r.firstChild as Text)
        .filter(Boolean);
      const full = nodes.map((n) => n.data).join('');
      const at = full.indexOf(needle);
      if (at < 0) continue;
      const clusters = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(needle)];
      const rect = (from: number, len: number) => {
        const r = document.createRange();
        let k = from;
        for (const n of nodes) {
          if (k < n.data.length) {
            r.setStart(n, k);
            r.setEnd(n, Math.min(n.data.length, k + len));
            const b = r.getBoundingClientRect();
            return { x: b.left + b.width / 2, y: b.top + b.height / 2, left: b.left + 1, right: b.right - 1 };
          }
          k -= n.data.length;
        }
        throw new Error('past the block');
      };
      const first = clusters[0]!;
      const last = clusters[clusters.length - 1]!;
      return {
        first: rect(at + first.index, first.segment.length),
        last: rect(at + last.index, last.segment.length),
        middle: rect(
          at + clusters[clusters.length >> 1]!.index,
          clusters[clusters.length >> 1]!.segment.length,
        ),
      };
    }
    throw new Error(`not rendered: ${needle}`);
  }, needle);

const cpRange = (text: string, needle: string): [number, number] => {
  const start = [...text.slice(0, text.indexOf(needle))].length;
  return [start, start + [...needle].length];
};

for (const script of SCRIPT_TEXTS) {
  test(`${script.title}: mouse and keyboard spans store code points into the NFC text`, async ({
    page,
    app,
  }) => {
    const hub = await startTextHub({
      projectId: 'scripts',
      name: 'Scripts',
      tasks: [
        {
          id: script.id,
          title: script.title,
          text: script.text,
          ...(script.language ? { language: script.language } : {}),
        },
      ],
    });
    try {
      const queue = new QueuePage(page);
      const task = new TaskPage(page);
      await page.keyboard.press('Control+,');
      await new SyncDialog(page).signInOk(hub.url, hub.token);
      await page.keyboard.press('Escape');
      // Signing in opened the hub's own workspace and leased its first batch: its one task.
      await expect(queue.rows).toHaveCount(1);
      await queue.root.getByLabel('Search tasks').fill(script.title);
      const taskId = `scripts:${script.id}`;
      await queue.open(taskId, task);
      const doc = page.getByTestId('text-view');
      if (script.language) await expect(doc).toHaveAttribute('lang', script.language);

      const nfc = script.text.normalize('NFC');
      const expected: string[] = [];
      const label = async (key: string, text: string | null) => {
        const before = expected.length;
        await page.keyboard.press(key);
        await expect(page.getByTestId('span-list').locator('[data-span-id]')).toHaveCount(before + 1);
        expected.push(text ?? '');
      };

      // Mouse spans: a drag from inside the first to inside the last cluster, or a double click.
      for (const m of script.mouse) {
        const p = await clusterPoints(page, m.drag);
        if (m.dblclick) await page.mouse.dblclick(p.middle.x, p.middle.y);
        else {
          const rtl = p.last.x < p.first.x;
          await page.mouse.move(rtl ? p.first.right : p.first.left, p.first.y);
          await page.mouse.down();
          await page.mouse.move(rtl ? p.last.left : p.last.right, p.last.y, { steps: 5 });
          await page.mouse.up();
        }
        await label('1', m.expect);
        await page.keyboard.press('Escape');
      }

      // Keyboard span: a caret inside a word, then Shift + the forward arrow.
      const k = script.keyboard;
      const c = await clusterPoints(page, k.caretIn);
      await page.mouse.click(c.middle.x, c.middle.y);
      await doc.focus();
      for (let i = 0; i < k.steps; i++) await page.keyboard.press(`Shift+${k.forward}`);
      await label('1', k.expect);
      await expect(task.root).toHaveAttribute('data-save-state', 'saved');
      if (script.id === 'ar' || script.id === 'hi') {
        await saveScreenshot(page, `a11y-script-${script.id}-light`);
        await page.emulateMedia({ colorScheme: 'dark' });
        await saveScreenshot(page, `a11y-script-${script.id}-dark`);
      }

      const open = await app.value('tasks.open', { taskId });
      if (open.task.data.kind !== 'text') throw new Error('a text task');
      expect(open.task.data.text).toBe(nfc);
      const spans = (open.draft?.annotation.results ?? []).filter((r): r is SpanResult => r.type === 'span');
      expect(spans).toHaveLength(expected.length);
      const words = new Set<number>();
      for (const w of new Intl.Segmenter(script.language, { granularity: 'word' }).segment(nfc)) {
        words.add([...nfc.slice(0, w.index)].length);
        words.add([...nfc.slice(0, w.index + w.segment.length)].length);
      }
      for (const s of spans) {
        // Stored text is what the offsets cover, in code points of the NFC text; never an edge
        // space; edges on the segmenter's word edges (Thai has no spaces: ICU's dictionary decides).
        expect([...nfc].slice(s.start, s.end).join('')).toBe(s.text);
        expect(s.text.length).toBeGreaterThan(0);
        expect(s.text).toBe(s.text.trim());
        expect([s.start, s.end, words.has(s.start) && words.has(s.end)]).toEqual([s.start, s.end, true]);
      }
      for (const want of expected.filter((t) => t !== '')) {
        const [start, end] = cpRange(nfc, want);
        expect(spans.map((s) => [s.text, s.start, s.end])).toContainEqual([want, start, end]);
      }
    } finally {
      await hub.close();
    }
  });
}
