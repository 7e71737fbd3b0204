import { createRoot } from 'react-dom/client';
import Konva from 'konva';
import { LabelConfig, type Annotation } from '../../../../../shared/model';
import demo from '../../../../../../resources/demo/image-project.json';
import { KeyboardProvider } from '../../../features/keyboard/keyboard-context';
import { ImageEditor, RENDERED_EVENT } from '../ImageEditor';
import type { ImageEditorEngine } from '../engine/engine';
import { benchView, makeBoxes, makePolygons, makePredictions, syntheticImage } from './fixtures';
import '../../../styles/app.css';

/**
 * Standalone page that mounts the real ImageEditor outside the app shell, for the benchmark
 * (bench/image-editor.ts) and screenshots. Query: n (boxes), polygons (count, 50 points each),
 * preds (suggestions), img + w + h (a real image instead of the synthetic 4000×3000), theme,
 * bare (time a plain <img> decode of the same file first).
 */
interface BenchApi {
  engine: ImageEditorEngine | null;
  ready: Promise<{
    renderMs: number;
    decodeMs: number;
    /** With `bare`: a plain <img> fetching and decoding the same file, just before the editor. */
    bareDecodeMs: number;
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
  flush() {
    for (const stage of Konva.stages) {
      for (const layer of stage.getLayers()) {
        if ((layer as unknown as { _waitingForDraw: boolean })._waitingForDraw) layer.draw();
      }
    }
  },
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
  const results = [
    ...makeBoxes(Number(q.get('n') ?? 0), size.width, size.height, labels),
    ...makePolygons(Number(q.get('polygons') ?? 0), 50, size.width, size.height, labels),
  ];
  const preds = Number(q.get('preds') ?? 0);
  const view = benchView(config, size, preds ? makePredictions(preds, size.width, size.height, labels) : []);
  const root = document.getElementById('root')!;
  root.style.position = 'relative';
  root.style.height = '100vh';
  const rendered = new Promise<void>((res) =>
    window.addEventListener(RENDERED_EVENT, () => res(), { once: true }),
  );
  performance.clearMarks();
  const t0 = performance.now();
  createRoot(root).render(
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
  );
  await rendered;
  const renderMs = performance.now() - t0;
  const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  const marks: Record<string, number> = {};
  for (const m of performance.getEntriesByType('mark'))
    marks[m.name.replace('image-editor:', '')] = m.startTime - t0;
  return { renderMs, decodeMs, bareDecodeMs, marks, heapAfterMb: mem ? mem.usedJSHeapSize / 2 ** 20 : null };
})();
