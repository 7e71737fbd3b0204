/**
 * The browser part of `npm run bench -- review`: opening the next review item in Debian's
 * headless Chromium on the web-mode host (the real workbench core, the built renderer from
 * out/renderer), prepared ahead like annotation tasks.
 *
 * A hub (SQLite) holds three projects reviewing every submission: 12 MP and 2 MP photo-like
 * JPEGs, 2,000-word texts, comparisons. An annotator's core (in process) submits work on each
 * (10–100 boxes, 20 spans, a choice) and syncs. The reviewer's core leases every review item
 * (`review.lease`, images into its cache), then a reviewer in Chromium starts each project's
 * batch from the review queue and goes through it pausing THINK_MS per item: A (accept) on
 * most, N (next, no verdict) on every fourth first visit. Recorded per key: keydown → the next review item
 * fully drawn (image decoded and drawn with every region, or the text with its spans, or both
 * responses), and → the first animation frame after it; whether it came prepared.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Page } from '@playwright/test';
import { addUser, createHub, createProject, grantRole, openStorage, readProjectConfig } from '../../src/hub';
import type { AnnotationResult } from '../../src/shared/model';
import { openWorkbenchInternals, type WorkbenchInternals } from '../../src/main/core/workbench';
import { memoryTokenStore } from '../../src/main/core/sync/token-store';
import { serveWorkbench } from '../../src/main/web-host/app';
import { BENCH_CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { distinct, makeBoxes, makeJpeg, makeText } from './scene';

const ITEMS = Number(process.env.BENCH_REVIEW_ITEMS ?? 60);
const THINK_MS = Number(process.env.THINK_MS ?? 1000);
const ROOT = resolve('.');
const DEMO = join(ROOT, 'resources/demo');
const VIEWPORT = { width: 1600, height: 1000 };

const r1 = (x: number): number => Math.round(x * 10) / 10;
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
};
const stats = (xs: number[]) => ({ n: xs.length, median: r1(pct(xs, 50)), p95: r1(pct(xs, 95)) });

/** In the page from its first script: the verdict key's time and each image item's "rendered". */
const PAGE_PROBE = `
  window.__rv = { keyAt: 0, rendered: {} };
  document.addEventListener('keydown', (e) => { if (e.key === 'a' || e.key === 'n') window.__rv.keyAt = e.timeStamp; }, true);
  window.addEventListener('outrigger:image-editor-rendered', (e) => { window.__rv.rendered[e.detail.taskId] = performance.now(); });
`;

interface Step {
  id: string;
  kind: string;
  key: string;
  prepared: boolean;
  drawnMs: number;
  frameMs: number;
}

/** Resolves when a review item other than `prevId` is fully drawn (then at the next frame). */
const waitNext = (page: Page, prevId: string) =>
  page.evaluate(
    (prevId) =>
      new Promise<Omit<Step, 'key'>>((done) => {
        const rv = (window as unknown as { __rv: { keyAt: number; rendered: Record<string, number> } }).__rv;
        const complete = () => {
          const screen = document.querySelector<HTMLElement>('[data-testid="review-screen"]');
          const id = screen?.dataset.submissionId;
          const taskId = screen?.dataset.taskId;
          if (!screen || !id || !taskId || id === prevId) return null;
          const prepared = screen.dataset.openedFrom === 'prepared';
          if (screen.querySelector('[data-testid="image-editor"]'))
            return rv.rendered[taskId] !== undefined ? { id, kind: 'image', prepared } : null;
          if (screen.querySelector('[data-testid="text-view"] [data-spans]'))
            return { id, kind: 'text', prepared };
          if (screen.querySelectorAll('[data-testid="response"]').length >= 2)
            return { id, kind: 'comparison', prepared };
          return null;
        };
        let finished = false;
        const finish = () => {
          if (finished) return;
          const c = complete();
          if (!c) return;
          finished = true;
          const drawnAt = performance.now();
          mo.disconnect();
          window.removeEventListener('outrigger:image-editor-rendered', finish);
          requestAnimationFrame(() =>
            done({ ...c, drawnMs: drawnAt - rv.keyAt, frameMs: performance.now() - rv.keyAt }),
          );
        };
        const mo = new MutationObserver(finish);
        mo.observe(document.body, { subtree: true, childList: true, attributes: true });
        window.addEventListener('outrigger:image-editor-rendered', finish);
        finish();
      }),
    prevId,
  );

/** The hub: one project per kind, every submission reviewed; `ann` annotates, `rita` reviews. */
const startHub = async (page: Page, dir: string) => {
  const per = Math.max(1, Math.floor(ITEMS / 3));
  const images = join(dir, 'images');
  mkdirSync(images, { recursive: true });
  const jpeg12 = await makeJpeg(page, 4000, 3000);
  const jpeg2 = await makeJpeg(page, 1600, 1200);
  for (let i = 0; i < per; i++)
    writeFileSync(join(images, `photo-${String(i).padStart(3, '0')}.jpg`), distinct(i % 2 ? jpeg2 : jpeg12));
  const spans = new Map<string, AnnotationResult[]>();
  const texts = Array.from({ length: per }, (_, i) => {
    const { text, spans: s } = makeText(i + 1);
    spans.set(text, s);
    return JSON.stringify({ id: `text-${i}`, title: `Text ${i}`, text });
  });
  writeFileSync(join(dir, 'texts.jsonl'), `${texts.join('\n')}\n`);
  const comparisons = Array.from({ length: per }, (_, i) =>
    JSON.stringify({
      id: `cmp-${i}`,
      prompt: `Question ${i}: how should a review tool keep the wait between items short?`,
      responses: [
        { id: 'a', model: 'model-a', text: 'Prepare the next item while this one is judged. '.repeat(8) },
        { id: 'b', model: 'model-b', text: 'Load everything when the verdict key is pressed. '.repeat(8) },
      ],
    }),
  );
  writeFileSync(join(dir, 'comparisons.jsonl'), `${comparisons.join('\n')}\n`);
  const storage = await openStorage({ dataDir: dir });
  const make = async (id: string, configFile: string, src: object) => {
    const cfg = await readProjectConfig(join(DEMO, configFile));
    await createProject(storage, dir, {
      id,
      name: id,
      labelConfig: cfg.labelConfig,
      batch: 'b1',
      reviewPolicy: 'all',
      rejectReasons: ['Wrong label'],
      ...src,
    });
    return id;
  };
  const projects = [
    await make('photos', 'image-project.json', { images }),
    await make('texts', 'text-project.json', { texts: join(dir, 'texts.jsonl') }),
    await make('answers', 'comparison-project.json', { comparisons: join(dir, 'comparisons.jsonl') }),
  ];
  const ann = await addUser(storage, { name: 'ann', role: 'annotator', project: projects[0]! });
  const rita = await addUser(storage, { name: 'rita', role: 'reviewer', project: projects[0]! });
  for (const p of projects.slice(1)) {
    await grantRole(storage, { name: 'ann', role: 'annotator', project: p });
    await grantRole(storage, { name: 'rita', role: 'reviewer', project: p });
  }
  const hub = await createHub({ storage, dataDir: dir });
  const url = await hub.listen({ port: 0 });
  return {
    url,
    projects,
    spans,
    annToken: ann.token,
    ritaToken: rita.token,
    close: async () => {
      await hub.close();
      await storage.close();
    },
  };
};

const openCore = (dataDir: string, mode: 'test' | 'web') =>
  openWorkbenchInternals({
    dataDir,
    resourcesDir: join(ROOT, 'resources'),
    mode,
    seedDemo: false,
    tokenStore: memoryTokenStore(),
    sync: { intervalMs: 3_600_000, timeoutMs: 60_000 },
  });

/** The annotator submits work on every task of every project, then syncs. */
const annotateAll = async (
  wb: WorkbenchInternals,
  projects: string[],
  spans: Map<string, AnnotationResult[]>,
) => {
  let n = 0;
  for (const projectId of projects) {
    await wb.handlers['tasks.getMore']({ projectId, count: 1000 });
    for (;;) {
      const v = await wb.handlers['tasks.claimNext']({ projectId });
      if (!v) break;
      const d = v.task.data;
      const results: AnnotationResult[] =
        d.kind === 'image'
          ? makeBoxes([10, 25, 50, 100][n % 4]!, d.image.width, d.image.height, n + 1)
          : d.kind === 'text'
            ? (spans.get(d.text) ?? [])
            : [
                {
                  type: 'comparison',
                  id: 'c',
                  choice: 'a',
                  tie: false,
                  ranking: ['a', 'b'],
                  ratings: {},
                  justification: 'clearer',
                },
              ];
      await wb.handlers['tasks.submit']({ taskId: v.task.id, annotation: { results, activeMs: 30_000 } });
      n++;
    }
  }
  const s = await wb.handlers['sync.now']({});
  if (s.unsynced !== 0) throw new Error(`annotator: ${s.unsynced} left unsent (${s.lastError ?? ''})`);
  return n;
};

/** Leases every review item and waits until each one's images are in the cache. */
const leaseAll = async (wb: WorkbenchInternals, projects: string[]) => {
  for (const projectId of projects) await wb.handlers['review.lease']({ projectId, count: 1000 });
  for (let i = 0; i < 600; i++) {
    await wb.handlers['sync.now']({});
    const list = await wb.handlers['review.list']({ limit: 1000, offset: 0 });
    if (list.items.every((it) => it.assetsReady)) return list.total;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('review images never reached the cache');
};

/**
 * The reviewer in Chromium: Start from the review queue (the first pending item), then A or N
 * through its batch; back at the queue, Start again until nothing is pending. N on every fourth
 * item seen for the first time (it stays pending and comes round again, then accepted).
 */
const review = async (page: Page, url: string, pending: () => Promise<number>) => {
  await page.goto(url);
  await page.getByTestId('review-queue').waitFor();
  const steps: Step[] = [];
  const seen = new Set<string>();
  let verdicts = 0;
  while ((await pending()) > 0) {
    await page.getByTestId('start-review').click();
    let prev = (await waitNext(page, '')).id;
    for (;;) {
      await page.waitForTimeout(THINK_MS);
      const key = !seen.has(prev) && (seen.size + 1) % 4 === 0 ? 'n' : 'a';
      seen.add(prev);
      if (key === 'a') verdicts++;
      await page.keyboard.press(key);
      // The last item of a batch leads back to the queue: nothing to measure.
      const next = await Promise.race([
        waitNext(page, prev),
        page
          .getByTestId('review-queue')
          .waitFor({ timeout: 120_000 })
          .then(() => null),
      ]);
      if (!next) break;
      steps.push({ ...next, key });
      prev = next.id;
    }
  }
  return { steps, verdicts };
};

export const reviewScreenBench = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outrigger-review-screen-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: BENCH_CHROMIUM_ARGS });
  try {
    const maker = await browser.newPage();
    await maker.addInitScript('window.__name = (f) => f');
    await maker.goto('about:blank');
    const hub = await startHub(maker, join(dir, 'hub'));
    await maker.close();
    const ann = await openCore(join(dir, 'ann'), 'test');
    const rev = await openCore(join(dir, 'rev'), 'web');
    try {
      await ann.sync.signIn(hub.url, hub.annToken);
      const submitted = await annotateAll(ann, hub.projects, hub.spans);
      await rev.sync.signIn(hub.url, hub.ritaToken);
      const leased = await leaseAll(rev, hub.projects);
      const host = await serveWorkbench(rev, {
        token: randomBytes(16).toString('hex'),
        rendererDir: join(ROOT, 'out/renderer'),
      });
      const page = await browser.newPage({ viewport: VIEWPORT });
      await page.addInitScript('window.__name = (f) => f');
      await page.addInitScript(PAGE_PROBE);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      let run: Awaited<ReturnType<typeof review>>;
      try {
        run = await review(
          page,
          host.url,
          async () => (await rev.handlers['review.list']({ status: ['pending'], limit: 1, offset: 0 })).total,
        );
      } finally {
        await page.close();
        await host.close();
      }
      const { steps } = run;
      const by = (f: (s: Step) => boolean) => {
        const xs = steps.filter(f);
        return { drawnMs: stats(xs.map((s) => s.drawnMs)), frameMs: stats(xs.map((s) => s.frameMs)) };
      };
      const outbox = rev.queue.outbox.size();
      return {
        setup: {
          submitted,
          leased,
          thinkMs: THINK_MS,
          keys: 'A (accept) on three items of four, N (next, no verdict) on the fourth first visit (accepted when it comes round again)',
          mix: 'one project per kind: 12 MP and 2 MP JPEGs in turn with 10/25/50/100 boxes, 2,000-word texts with 20 spans, two-response comparisons',
          measure:
            'key (keydown timeStamp) → drawnMs: the next review item complete (image editor rendered event with its regions; text with its span runs; both responses) → frameMs: the next animation frame',
        },
        transitions: steps.length,
        fromPrepared: steps.filter((s) => s.prepared).length,
        verdictsGiven: run.verdicts,
        verdictsWaitingInOutbox: outbox,
        all: by(() => true),
        prepared: by((s) => s.prepared),
        byKind: {
          image: by((s) => s.kind === 'image'),
          text: by((s) => s.kind === 'text'),
          comparison: by((s) => s.kind === 'comparison'),
        },
        byKey: { accept: by((s) => s.key === 'a'), next: by((s) => s.key === 'n') },
        pageErrors: errors,
      };
    } finally {
      await ann.close();
      await rev.close();
      await hub.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
