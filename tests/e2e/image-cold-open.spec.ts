import type { AnnotationResult } from '../../src/shared/model';
import type { Page } from '@playwright/test';
import { type AppHost, expect, firstImageTask, test } from './fixtures/app';
import { queueScreen } from './pages/queue-page';
import { saveScreenshot } from './pages/screenshots';

/** What the page holds at the moment the image editor says its image and regions are drawn. */
interface AtRendered {
  editorState: string | null;
  /** Elements the editor has put into the task screen's side panel so far. */
  panelChildren: number;
  decodingNoteShown: boolean;
  /** Mark names in the order they came. */
  marks: string[];
  /** Pixels not transparent on each canvas layer (image, regions, overlay), sampled. */
  painted: number[];
}

// Regions spread over the image (source pixels), so the regions layer has something to show.
const boxes = (w: number, h: number, label: string): AnnotationResult[] =>
  Array.from({ length: 30 }, (_, i) => ({
    type: 'bbox',
    id: `cold-${i}`,
    label,
    x: ((i % 6) * w) / 6 + 4,
    y: (Math.floor(i / 6) * h) / 5 + 4,
    w: w / 8,
    h: h / 8,
    rotation: 0,
    attributes: {},
  }));

/** The workspace's first image task, with 30 boxes saved as its draft; its id and image hash. */
const imageTaskWithBoxes = async (app: AppHost): Promise<{ id: string; sha256: string }> => {
  const id = await firstImageTask(app);
  const view = await app.value('tasks.open', { taskId: id });
  if (view.task.data.kind !== 'image') throw new Error('not an image task');
  const { width, height, sha256 } = view.task.data.image;
  const label = view.project.labelConfig.labels[0]!.name;
  await app.value('tasks.saveDraft', {
    taskId: id,
    annotation: { results: boxes(width, height, label), activeMs: 0 },
  });
  return { id, sha256 };
};

/**
 * Puts `window.__painted()` in the page: pixels not transparent on each canvas layer of the image
 * editor (image, regions, overlay), sampled.
 */
const installPaintProbe = (page: Page): Promise<void> =>
  page.evaluate(() => {
    (window as unknown as { __painted: () => number[] }).__painted = () =>
      [...document.querySelectorAll<HTMLCanvasElement>('[data-testid="image-canvas"] canvas')].map((c) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4 * 16) if (d[i]! > 0) n++;
        return n;
      });
  });

test('a cold open draws the image and every region first; the panel and tools follow its frame', async ({
  page,
  app,
}) => {
  const { queue, task } = await queueScreen(page);
  const { id } = await imageTaskWithBoxes(app);
  await installPaintProbe(page);

  // Read at the editor's "rendered" event, in the task that drew it.
  await page.evaluate(() => {
    const w = window as unknown as { __atRendered: Promise<AtRendered> };
    w.__atRendered = new Promise((done) =>
      window.addEventListener(
        'outrigger:image-editor-rendered',
        () => {
          const painted = (window as unknown as { __painted: () => number[] }).__painted();
          const note = document.querySelector<HTMLElement>('[data-testid="image-editor"] .ie-loading');
          done({
            editorState: document.querySelector('[data-testid="image-editor"]')!.getAttribute('data-state'),
            panelChildren: document.querySelector('.side-panel-editor')?.childElementCount ?? -1,
            decodingNoteShown: !!note && !note.hidden,
            marks: performance
              .getEntriesByType('mark')
              .filter((m) => m.name.startsWith('image-editor:'))
              .map((m) => m.name.slice('image-editor:'.length)),
            painted,
          });
        },
        { once: true },
      ),
    );
  });
  await page.evaluate(() => performance.clearMarks());
  await queue.open(id, task);
  const at = await page.evaluate(
    () => (window as unknown as { __atRendered: Promise<AtRendered> }).__atRendered,
  );

  // Drawn: the image and the regions are on their canvases (the overlay has nothing selected).
  expect(at.painted[0]).toBeGreaterThan(0);
  expect(at.painted[1]).toBeGreaterThan(0);
  expect(at.decodingNoteShown).toBe(false);
  // The canvas measured itself, sized the stage and fitted the image in its mounting commit
  // (before the editor's own commit mark), not a frame later.
  expect(at.marks.indexOf('fitted')).toBeGreaterThanOrEqual(0);
  expect(at.marks.indexOf('fitted')).toBeLessThan(at.marks.indexOf('commit'));
  // The panel and tools were not there yet: they come after the canvas's frame, and "ready" with them.
  expect(at.panelChildren).toBe(0);
  expect(at.editorState).toBe('loading');
  await expect(page.getByTestId('image-editor')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('region-count')).toHaveText('30');
  await expect(page.getByTestId('tool-bbox')).toBeVisible();
});

test('an image slow to come: its regions show by themselves, then a decoding note, then the image', async ({
  page,
  app,
}) => {
  const { queue, task } = await queueScreen(page);
  const { id, sha256 } = await imageTaskWithBoxes(app);
  await installPaintProbe(page);
  // The image file answers 1.5 s late (a slow disk, a huge file): the decode worker's fetch waits.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(
    (url) => url.pathname.endsWith(`/assets/${sha256}`),
    async (route) => {
      await Promise.race([held, new Promise((r) => setTimeout(r, 1500))]);
      await route.continue();
    },
  );
  const layers = () =>
    page.evaluate(() => {
      const stage = document.querySelector<HTMLElement>('[data-testid="image-canvas"] .konvajs-content');
      const painted = (window as unknown as { __painted: () => number[] }).__painted();
      return { shown: !!stage && getComputedStyle(stage).visibility !== 'hidden', painted };
    });

  await queue.open(id, task);
  const stage = page.locator('.image-stage');
  const note = stage.getByText('Decoding image…');
  // The regions, drawn while the image is away, are shown by themselves; the note says why the
  // image is not there yet.
  await expect(note).toBeVisible();
  await expect.poll(async () => (await layers()).shown).toBe(true);
  const waiting = await layers();
  expect(waiting.painted[0]).toBe(0);
  expect(waiting.painted[1]).toBeGreaterThan(0);
  await expect(stage).toHaveAttribute('data-state', 'loading');
  await saveScreenshot(page, 'image-slow-regions-first');
  // The image comes: drawn under the regions, and the note goes.
  release();
  await expect(stage).toHaveAttribute('data-state', 'loaded');
  await expect(note).toHaveCount(0);
  await saveScreenshot(page, 'image-slow-loaded');
  const loaded = await layers();
  expect(loaded.painted[0]).toBeGreaterThan(0);
  expect(loaded.painted[1]).toBeGreaterThan(0);
});
