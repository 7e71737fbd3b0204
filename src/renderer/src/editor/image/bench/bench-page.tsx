import { startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { LabelConfig, type Annotation } from '../../../../../shared/model';
import demo from '../../../../../../resources/demo/image-project.json';
import { KeyboardProvider } from '../../../features/keyboard/keyboard-context';
import { ImageEditor, RENDERED_EVENT } from '../ImageEditor';
import type { ImageEditorEngine } from '../engine/engine';
import { decodeHandle } from '../view/decoder';
import { flushDraws } from '../view/stage-pool';
import { benchView, makeBoxes, makePolygons, makePredictions, syntheticImage } from './fixtures';
import '../../../styles/app.css';

/**
 * Standalone page that mounts the real ImageEditor outside the app shell, for the benchmark
 * (bench/image-editor.ts) and screenshots. Query: n (boxes), polygons (count, 50 points each),
 * preds (suggestions), img + w + h (a real image instead of the synthetic 4000×3000), theme,
 * bare (time a plain <img> decode of the same file first), settle (ms of quiet before each timing).
 */
interface BenchApi {
  engine: ImageEditorEngine | null;
  ready: Promise<{
    /** Mount → the image and every region drawn (RENDERED_EVENT). */
    renderMs: number;
    /** Mount → the whole editor ready (data-state="ready": its panel and tools in too). */
    readyMs: number;
    decodeMs: number;
    /** With `bare`: a plain <img> fetching and decoding the same file, just before the editor. */
    bareDecodeMs: number;
    /** With `options`: the same file fetched afresh and decoded each way the editor could. */
    decodeOptionsMs: Record<string, number>;
    marks: Record<string, number>;
    heapAfterMb: number | null;
  }>;
  /** Draw now every layer that has a draw queued: makes a measured step include its drawing. */
  flush(): void;
  annotation: Annotation | null;
}
declare global {
  interface Window {
    __bench: BenchApi;
  }
}

const q = new URLSearchParams(location.search);
const config = LabelConfig.parse(demo.labelConfig);
const labels = config.labels.map((l) => l.name);
if (q.get('theme') === 'dark') document.documentElement.dataset.theme = 'dark';

const api: BenchApi = {
  engine: null,
  ready: null as never,
  annotation: null,
  flush: flushDraws,
};
window.__bench = api;

api.ready = (async () => {
  let url = q.get('img');
  const size = { width: Number(q.get('w') ?? 4000), height: Number(q.get('h') ?? 3000) };
  let decodeMs = 0;
  if (!url) {
    const blob = await syntheticImage(size.width, size.height);
    const t = performance.now();
    (await createImageBitmap(blob)).close();
    decodeMs = performance.now() - t;
    url = URL.createObjectURL(blob);
  }
  // `settle` ms of quiet before the yardstick and again before the editor: a fresh page's load
  // and the last page's teardown keep both cores busy for a while, and a request or decode that
  // lands in that (the bench's server starved) came 40–100 ms late, measuring the harness.
  const settle = () => new Promise((r) => setTimeout(r, Number(q.get('settle') ?? 0)));
  await settle();
  // The yardstick: what a page with a bare <img> pays for the same file (fetched afresh: the URLs
  // differ, so neither load is served from the other's cache).
  let bareDecodeMs = -1;
  if (q.has('bare')) {
    const img = new Image();
    const t = performance.now();
    img.src = `${url}${url.includes('?') ? '&' : '?'}bare=1`;
    await img.decode();
    bareDecodeMs = performance.now() - t;
    url = `${url}${url.includes('?') ? '&' : '?'}editor=1`;
  }
  const decodeOptionsMs = q.has('options') ? await decodeOptions(url, size) : {};
  const root = document.getElementById('root')!;
  root.style.position = 'relative';
  root.style.height = '100vh';
  // The workbench opens an editor inside a React tree that is running already: the root and the
  // keyboard layer are there before the clock starts, as they are in the app, and so is some of
  // its text (the queue's), in the faces the app uses: a fresh page's first layout of a face
  // loads it (~20 ms, traced), which no editor opened in the app pays.
  const reactRoot = createRoot(root);
  reactRoot.render(
    <KeyboardProvider>
      <p className="muted">
        Queue · 12 tasks · <b>Start labeling</b> <kbd>Enter</kbd>
      </p>
    </KeyboardProvider>,
  );
  await settle();
  const results = [
    ...makeBoxes(Number(q.get('n') ?? 0), size.width, size.height, labels),
    ...makePolygons(Number(q.get('polygons') ?? 0), 50, size.width, size.height, labels),
  ];
  const preds = Number(q.get('preds') ?? 0);
  const view = benchView(config, size, preds ? makePredictions(preds, size.width, size.height, labels) : []);
  const rendered = new Promise<void>((res) =>
    window.addEventListener(RENDERED_EVENT, () => res(), { once: true }),
  );
  performance.clearMarks();
  const t0 = performance.now();
  // As the workbench opens a task that was not prepared: rendered in slices (a transition).
  startTransition(() =>
    reactRoot.render(
      <KeyboardProvider>
        <ImageEditor
          view={view}
          initial={{ results, activeMs: 0 }}
          onChange={(a) => (api.annotation = a)}
          onSubmit={() => undefined}
          assetUrl={() => url}
          onEngine={(e) => (api.engine = e)}
        />
      </KeyboardProvider>,
    ),
  );
  await rendered;
  const renderMs = performance.now() - t0;
  // Then the rest of the editor (its side panel and tools come after the canvas's first frame on
  // a cold open): its time, and two frames more, so the long tasks read after this include it.
  await editorReady(root);
  const readyMs = performance.now() - t0;
  await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
  const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  const marks: Record<string, number> = {};
  for (const m of performance.getEntriesByType('mark'))
    marks[m.name.replace('image-editor:', '')] = m.startTime - t0;
  return {
    renderMs,
    readyMs,
    decodeMs,
    bareDecodeMs,
    decodeOptionsMs,
    marks,
    heapAfterMb: mem ? mem.usedJSHeapSize / 2 ** 20 : null,
  };
})();

/** Resolves once the editor under `root` says data-state="ready". */
function editorReady(root: HTMLElement): Promise<void> {
  const ready = () => root.querySelector('[data-testid="image-editor"][data-state="ready"]') !== null;
  return new Promise((res) => {
    if (ready()) return res();
    const mo = new MutationObserver(() => {
      if (!ready()) return;
      mo.disconnect();
      res();
    });
    mo.observe(root, { subtree: true, attributes: true, attributeFilter: ['data-state'], childList: true });
  });
}

/**
 * Each way the editor could turn the file into something to draw, timed from the request to a
 * bitmap (or decoded image) in hand on this thread; each fetches the file under its own URL.
 */
async function decodeOptions(url: string, size: { width: number; height: number }) {
  const fresh = (tag: string) => `${url}${url.includes('?') ? '&' : '?'}opt=${tag}`;
  const canvas = document.createElement('canvas');
  canvas.width = 1272;
  canvas.height = Math.round((1272 * size.height) / size.width);
  const ctx = canvas.getContext('2d')!;
  const time = async (run: () => Promise<void>) => {
    const t = performance.now();
    await run();
    return performance.now() - t;
  };
  return {
    workerFetchCreateImageBitmap: await time(async () => {
      const h = decodeHandle();
      const d = await h.fetchAndOpen!(new URL(fresh('worker'), location.href).href, size, 4096);
      d.full?.close();
      d.reduced?.close();
      h.close();
    }),
    mainFetchCreateImageBitmap: await time(async () => {
      const blob = await (await fetch(fresh('main'))).blob();
      (await createImageBitmap(blob)).close();
    }),
    imgDecodeThenDraw: await time(async () => {
      const img = new Image();
      img.src = fresh('img');
      await img.decode();
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      ctx.getImageData(0, 0, 1, 1); // the draw is done, not queued
    }),
    imgDecodeThenCreateImageBitmap: await time(async () => {
      const img = new Image();
      img.src = fresh('img-bitmap');
      await img.decode();
      (await createImageBitmap(img)).close();
    }),
    mainFetchDisplaySize: await time(async () => {
      const blob = await (await fetch(fresh('display'))).blob();
      (
        await createImageBitmap(blob, {
          resizeWidth: canvas.width,
          resizeHeight: canvas.height,
          resizeQuality: 'medium',
        })
      ).close();
    }),
  };
}
