/**
 * The image canvas's Konva stage, kept across tasks: opening the next image task moves the one
 * stage (three non-listening layers, one Shape each) into the new editor's container instead of
 * building a new one and resizing six canvases, which cost 6–12 ms of the switch (measured in
 * bench/next-task.ts). One spare is kept; a second released stage is destroyed.
 */
import Konva from 'konva';
import type { Context } from 'konva/lib/Context';
import { warmCompositing } from './compositor-warmup';
import { warmLabelGlyphs } from './label-tags';
import { whenIdle } from './schedule';
import { recallStageSize, rememberStageSize } from './stage-size-memory';

type Scene = (ctx: Context) => void;

// Every draw is asked for explicitly (`requestDraw`, `drawNow`): Konva's own redraw on each
// attribute change (a layer moved by the camera, a stage resized) would queue a second draw of
// every layer for the frame after the editor drew them itself.
Konva.autoDrawEnabled = false;

export interface StageKit {
  stage: Konva.Stage;
  image: Konva.Layer;
  regions: Konva.Layer;
  overlay: Konva.Layer;
  /**
   * The region cache's offscreen bitmap, kept with the stage: a fresh canvas allocates its
   * backing store on its first draw (~2 ms of every switch on this machine).
   */
  cacheCanvas: HTMLCanvasElement;
  /** Sets what each layer's one shape draws. */
  scenes(s: { image: Scene; regions: Scene; overlay: Scene }): void;
}

const nothing: Scene = () => undefined;

const build = (container: HTMLDivElement): StageKit => {
  const stage = new Konva.Stage({ container, width: 1, height: 1, listening: false });
  // Konva resizes every layer and draws it on each of a width and a height change (`size()` is
  // both: six canvas reallocations and six layer draws, ~20 ms of a cold open, the draws thrown
  // away); `sizeStage` sizes the stage, and each layer takes its size when the editor draws it.
  stage.off('widthChange.konva heightChange.konva');
  const layer = () => {
    const l = new Konva.Layer({ listening: false });
    const shape = new Konva.Shape({
      listening: false,
      perfectDrawEnabled: false,
      shadowForStrokeEnabled: false,
      sceneFunc: nothing,
    });
    l.add(shape);
    stage.add(l);
    return { l, shape };
  };
  const [image, regions, overlay] = [layer(), layer(), layer()];
  return {
    stage,
    image: image.l,
    regions: regions.l,
    overlay: overlay.l,
    cacheCanvas: document.createElement('canvas'),
    scenes: (s) => {
      image.shape.sceneFunc(s.image);
      regions.shape.sceneFunc(s.regions);
      overlay.shape.sceneFunc(s.overlay);
    },
  };
};

let spare: StageKit | null = null;

/**
 * Sizes the stage, without drawing; each layer's canvas takes the new size when it is next drawn
 * (`drawNow`, `flushDraws`), blank, and the caller draws the layers it shows. A layer with nothing
 * to draw yet (the overlay of an open with nothing selected) does not allocate a stage-sized
 * bitmap it would only clear (~2.4 ms a canvas on a cold open here).
 */
export const sizeStage = (kit: StageKit, size: { width: number; height: number }): void => {
  rememberStageSize(size);
  kit.stage.size(size);
  kit.stage.content.style.width = `${size.width}px`;
  kit.stage.content.style.height = `${size.height}px`;
};

/** The layer's canvas at its stage's size (resized, so blank, if it was not). */
const fitToStage = (layer: Konva.Layer): void => {
  const stage = layer.getStage();
  if (!stage) return;
  const c = layer.getCanvas();
  const r = c.getPixelRatio();
  const size = { width: stage.width(), height: stage.height() };
  if (c.width !== Math.floor(size.width * r) || c.height !== Math.floor(size.height * r))
    layer._setSize(size);
};

/**
 * Builds the spare stage ahead, when the window is idle, so the first image opened does not pay
 * for it (~30 ms on a loaded machine, inside the open's longest task). Where this window's stage
 * size is known from before, the spare's image and regions canvases are allocated at it too, one
 * idle moment each (20–26 ms a canvas on the reference VM), then put through their first
 * compositor copies (`warmCompositing`).
 */
export const warmStage = (): void => {
  const prebuild = () => {
    warmLabelGlyphs();
    if (spare) return;
    const parked = document.createElement('div');
    spare = build(parked);
    spare.stage.content.remove();
    const size = recallStageSize();
    if (!size) return;
    const kit = spare;
    sizeStage(kit, size);
    const stillSpare = () => spare === kit;
    const allocate = (layer: Konva.Layer) => () => stillSpare() && allocateLayer(layer);
    whenIdle(allocate(kit.regions), 2000);
    whenIdle(allocate(kit.image), 2000);
    whenIdle(() => stillSpare() && allocateBitmap(kit.cacheCanvas, size), 2000);
    whenIdle(() => {
      if (stillSpare())
        void warmCompositing({ content: kit.stage.content, layers: [kit.regions, kit.image], stillSpare });
    }, 2000);
  };
  whenIdle(prebuild, 2000);
};

/**
 * Hides the stage's canvases (keeping their place) until something is drawn on them: freshly
 * sized canvases, blank, were still copied to the compositor in the frame after the open's
 * commit (three 1250×930 copies, 10–15 ms of that frame on this machine, in which the decoded
 * image's reply waited).
 */
export const showStage = (kit: StageKit, shown: boolean): void => {
  kit.stage.content.style.visibility = shown ? '' : 'hidden';
};

/** The spare stage moved into `container`, or a new one there. */
export const takeStage = (container: HTMLDivElement): StageKit => {
  const kit = spare;
  spare = null;
  if (!kit) return build(container);
  kit.stage.container(container);
  return kit;
};

/** The editor is going: its stage is cleared and kept for the next one. */
export const releaseStage = (kit: StageKit): void => {
  kit.scenes({ image: nothing, regions: nothing, overlay: nothing });
  for (const l of [kit.image, kit.regions, kit.overlay]) {
    pending.delete(l);
    shown(l);
    l.clear();
    l.position({ x: 0, y: 0 });
    l.scale({ x: 1, y: 1 });
  }
  kit.image.getNativeCanvasElement().style.filter = '';
  showStage(kit, true);
  kit.stage.content.remove();
  if (spare) kit.stage.destroy();
  else spare = kit;
};

/*
 * Layer draws on the next frame, owned here instead of Konva's `batchDraw`: a layer drawn at once
 * (`drawNow`, the editor's first frame) drops its queued draw, where Konva's would draw it again
 * in the next frame (a second 12 MP blit, before that frame's rAF callbacks).
 */
const pending = new Set<Konva.Layer>();
let frame = 0;

/** Draws `layer` in the next animation frame (once, however often asked). */
export const requestDraw = (layer: Konva.Layer | null): void => {
  if (!layer) return;
  pending.add(layer);
  if (!frame) frame = requestAnimationFrame(flushDraws);
};

/** Whether `layer` has a draw queued for the next frame (what it shows is out of date). */
export const isQueued = (layer: Konva.Layer | null): boolean => !!layer && pending.has(layer);

/**
 * Gives `layer` its stage-sized bitmap now, ahead of its first draw, and hides it until that
 * draw: a cold open allocates the image layer's backing store while the image decodes (20–26 ms
 * here, page-faulting fresh memory, which was most of the image's first draw), and a blank
 * canvas on screen would be copied to the compositor on every commit for nothing.
 */
export const allocateLayer = (layer: Konva.Layer | null): void => {
  if (!layer) return;
  const c = layer.getCanvas();
  const before = [c.width, c.height];
  fitToStage(layer);
  if (c.width !== before[0] || c.height !== before[1]) c._canvas.style.visibility = 'hidden';
};

/**
 * Gives a plain canvas (the region cache's) a backing store of the stage's size now: its first
 * draw would allocate it, inside a cold open with many regions.
 */
const allocateBitmap = (c: HTMLCanvasElement, size: { width: number; height: number }): void => {
  const r = window.devicePixelRatio || 1;
  c.width = Math.max(c.width, Math.round(size.width * r));
  c.height = Math.max(c.height, Math.round(size.height * r));
  const ctx = c.getContext('2d');
  ctx?.fillRect(0, 0, 1, 1);
  ctx?.clearRect(0, 0, 1, 1);
};

/** Draws `layer` now; a draw queued for it is dropped. */
export const drawNow = (layer: Konva.Layer | null): void => {
  if (!layer) return;
  pending.delete(layer);
  fitToStage(layer);
  layer.draw();
  shown(layer);
};

/** A layer allocated ahead (hidden) is shown once drawn. */
const shown = (layer: Konva.Layer): void => {
  const el = layer.getCanvas()._canvas;
  if (el.style.visibility) el.style.visibility = '';
};

/** Draws every queued layer now (the frame's callback; benchmarks use it to time a step whole). */
export function flushDraws(): void {
  if (frame) cancelAnimationFrame(frame);
  frame = 0;
  const layers = [...pending];
  pending.clear();
  for (const l of layers) {
    fitToStage(l);
    l.draw();
    shown(l);
  }
}
