import {
  type Ref,
  useCallback,
  useEffect,
  useId,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import type Konva from 'konva';
import type { Context } from 'konva/lib/Context';
import type { Bounds, Vec } from '../../../../../shared/geometry';
import type { ImageRecord } from '../engine/records';
import { regionBounds } from '../kinds';
import { visibleWorld } from '../../core/camera';
import { ownsKey } from '../../../features/keyboard/focus-rules';
import type { ImageEditorEngine } from '../engine/engine';
import type { ImageSession } from '../engine/session';
import { handleAt } from '../engine/tools/edit';
import { activePoint, selectedKeypoints } from '../engine/keypoint-commands';
import type { ToolPointer } from '../engine/tools/types';
import { type DrawStyle, drawCrosshair, drawDraft, drawSelection, labelAnchor } from './draw';
import { drawLabels } from './label-tags';
import { CanvasSummary } from './CanvasSummary';
import type { ImageSource } from './image-source';
import { noteStageSize } from './decoder';
import { MAX_LABELS, RegionCache, makeStyle } from './region-cache';
import {
  type StageKit,
  allocateLayer,
  drawNow,
  isQueued,
  releaseStage,
  requestDraw,
  showStage,
  sizeStage,
  takeStage,
} from './stage-pool';
import type { ReviewMarks } from '../../review-marks';
import { drawReviewMarks } from './review-draw';
import { inNextTask, whenIdle } from './schedule';

const ACCENT = '#5c7cfa';
/** How long a cold open's regions, drawn, wait hidden for the image before they show by themselves (ms). */
const REGIONS_ALONE_MS = 120;

type Scene = (ctx: Context) => void;

const resizeCursor: Record<string, string> = {
  nw: 'nwse-resize',
  se: 'nwse-resize',
  ne: 'nesw-resize',
  sw: 'nesw-resize',
  n: 'ns-resize',
  s: 'ns-resize',
  e: 'ew-resize',
  w: 'ew-resize',
  rot: 'grab',
};

/** What the editor hands the canvas directly, without a render. */
export interface ImageCanvasHandle {
  /**
   * Draws `image` now, in the caller's task: a decoded image is on the canvas before React
   * renders anything for it (the editor's state, and with it the `image` prop, follow).
   */
  showImage(image: ImageSource): void;
}

/**
 * The canvas: three non-listening layers (image, all regions as one Shape, overlay with the
 * selection, handles, drafts and crosshair). Nothing here is a node per region. Pointer input is
 * taken on the container, turned into world coordinates and handed to the engine's tools; camera
 * and document changes redraw the layers imperatively, outside React's render.
 */
export function ImageCanvas({
  engine,
  image,
  blank = false,
  onRendered,
  review,
  ref,
}: {
  ref?: Ref<ImageCanvasHandle>;
  engine: ImageEditorEngine;
  image: ImageSource | null;
  /** No image will come (the hub refuses it): a plain sheet of the image's size under the regions. */
  blank?: boolean;
  /** Diff outlines and pinned comments, drawn on the overlay (review screens). */
  review?: ReviewMarks | undefined;
  /** Called once the image and every region have been drawn for the first time. */
  onRendered?: () => void;
}) {
  const summaryId = useId();
  const box = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const stage = useRef<StageKit | null>(null);
  const imageLayer = useRef<Konva.Layer | null>(null);
  const regionsLayer = useRef<Konva.Layer | null>(null);
  const overlayLayer = useRef<Konva.Layer | null>(null);
  /** The image drawn (set by `showImage`: from the prop, or handed over directly). */
  const imageRef = useRef<ImageSource | null>(null);
  const blankRef = useRef(blank);
  const pan = useRef<{ x: number; y: number } | null>(null);
  const space = useRef(false);

  const style = useRef<DrawStyle>(makeStyle(engine));
  const [cache] = useState(() => new RegionCache(engine));

  /** Exposed for end-to-end tests: how the image is held and whether the view's detail is decoded. */
  const showDetail = useCallback(() => {
    const img = imageRef.current;
    const el = box.current;
    if (!img || !el) return;
    const s = engine.session.get();
    const d = img.state(s.camera, s.viewport);
    el.dataset.imageMode = d.mode;
    el.dataset.detailDecodes = String(d.decodes);
    el.dataset.detailRes = String(d.res);
    el.dataset.detailPending = String(d.pending);
  }, [engine]);

  const reviewRef = useRef(review);
  /** The viewport is measured (the stage has its size and the camera its fit). */
  const sized = useRef(false);
  /**
   * A layer drawn in the next frame, once the stage has its size: before the first measure a
   * draw is at 1×1 and for no viewport (the region cache's first draw, ~20 ms of a cold open,
   * thrown away); the first measure draws everything itself.
   */
  const redraw = useCallback((l: Konva.Layer | null) => {
    if (sized.current) requestDraw(l);
  }, []);

  const sceneImage = (ctx: Context) => {
    const img = imageRef.current;
    if (!img) {
      if (!blankRef.current) return;
      // Mid grey: regions in any class colour stay visible on it in both themes.
      ctx._context.fillStyle = BLANK_SHEET;
      ctx._context.fillRect(0, 0, engine.image.width, engine.image.height);
      return;
    }
    const s = engine.session.get();
    img.draw(ctx._context, s.camera, s.viewport);
  };

  const sceneRegions = (ctx: Context) => cache.draw(ctx._context);

  const sceneOverlay = (ctx: Context) => {
    overlayBlank.current = false;
    const c = ctx._context;
    const s = engine.session.get();
    const st = style.current;
    const hovered = s.hovered && !s.selected.has(s.hovered) ? engine.region(s.hovered) : undefined;
    if (hovered) {
      c.globalAlpha = 0.7;
      drawSelection(c, [hovered], st, { handles: false, allowRotation: false });
      c.globalAlpha = 1;
    }
    const selected = engine.selected().filter((r) => engine.isVisible(r));
    const idle = engine.tool.state() === 'idle';
    drawSelection(c, selected, st, {
      handles:
        selected.length === 1 &&
        !s.locked.has(selected[0]!.id) &&
        (idle || engine.tool.state() === 'editing'),
      allowRotation: engine.config.allowRotation,
    });
    if (s.showLabels && selected.length > 0 && selected.length <= MAX_LABELS) {
      drawLabels(
        c,
        selected.map((r) => ({ r, at: labelAnchor(r) })),
        st,
      );
    }
    // The keypoint [ ] and O act on: a ring around it.
    const kp = selectedKeypoints(engine);
    const k = kp?.points[activePoint(engine, kp)];
    if (k && k.v > 0) {
      c.beginPath();
      c.arc(k.x, k.y, 9 / st.scale, 0, Math.PI * 2);
      c.strokeStyle = ACCENT;
      c.lineWidth = 2 / st.scale;
      c.stroke();
    }
    if (reviewRef.current) drawReviewMarks(c, engine, reviewRef.current, st);
    const d = engine.tool.draft();
    if (d) drawDraft(c, d, st, ACCENT);
    if (s.crosshair && s.tool !== 'select' && engine.cursor && !pan.current) {
      drawCrosshair(c, engine.cursor, visibleWorld(s.camera, s.viewport), st);
    }
  };

  // What the layers draw: the latest render's scene functions (they read refs and the engine).
  const scenes = useRef<{ image: Scene; regions: Scene; overlay: Scene } | null>(null);
  useLayoutEffect(() => {
    scenes.current = { image: sceneImage, regions: sceneRegions, overlay: sceneOverlay };
  });
  // The stage: the window's kept one moved in (stage-pool.ts), given back when the editor goes.
  useLayoutEffect(() => {
    const kit = takeStage(host.current!);
    kit.scenes({
      image: (c) => scenes.current?.image(c),
      regions: (c) => scenes.current?.regions(c),
      overlay: (c) => scenes.current?.overlay(c),
    });
    cache.useCanvas(kit.cacheCanvas);
    stage.current = kit;
    imageLayer.current = kit.image;
    regionsLayer.current = kit.regions;
    overlayLayer.current = kit.overlay;
    return () => {
      stage.current = imageLayer.current = regionsLayer.current = overlayLayer.current = null;
      releaseStage(kit);
    };
  }, [cache]);

  // Imperative redraws: camera → all layers; document → regions (unless only selected ones changed).
  // A layout effect, subscribed before the size is first read below, so the first fit positions
  // the layers before anything is drawn.
  useLayoutEffect(() => {
    const layers = () => [imageLayer.current, regionsLayer.current, overlayLayer.current];
    const applyCamera = (s: ImageSession) => {
      style.current.scale = s.camera.scale;
      imageRef.current?.update(s.camera, s.viewport, window.devicePixelRatio || 1);
      showDetail();
      // Exposed for end-to-end tests, which turn source pixels into screen points with it.
      if (box.current) box.current.dataset.camera = `${s.camera.x},${s.camera.y},${s.camera.scale}`;
      for (const l of layers()) {
        l?.position({ x: s.camera.x, y: s.camera.y });
        l?.scale({ x: s.camera.scale, y: s.camera.scale });
      }
    };
    const applyFilter = (s: ImageSession) => {
      const c = imageLayer.current?.getNativeCanvasElement();
      if (c)
        c.style.filter =
          s.brightness === 1 && s.contrast === 1 ? '' : `brightness(${s.brightness}) contrast(${s.contrast})`;
    };
    cache.onRequestDraw(() => redraw(regionsLayer.current));
    let prev = engine.session.get();
    applyCamera(prev);
    applyFilter(prev);
    for (const l of layers()) redraw(l);
    const unSession = engine.session.subscribe(() => {
      const s = engine.session.get();
      if (s.camera !== prev.camera) {
        applyCamera(s);
        for (const l of layers()) redraw(l);
      } else if (s.scoreThreshold !== prev.scoreThreshold || s.showLabels !== prev.showLabels) {
        cache.invalidate();
        redraw(regionsLayer.current);
        redraw(overlayLayer.current);
      } else if (s.selected !== prev.selected || s.hidden !== prev.hidden || s.locked !== prev.locked) {
        // Regions that joined or left the selection (or were hidden/shown) move between layers.
        const areas = [...changedIds(prev.selected, s.selected), ...changedIds(prev.hidden, s.hidden)]
          .map((id) => engine.index.boundsOfId(id))
          .filter((b): b is NonNullable<typeof b> => !!b);
        cache.invalidateAreas(areas);
        redraw(regionsLayer.current);
        redraw(overlayLayer.current);
      } else if (
        s.hovered !== prev.hovered ||
        s.crosshair !== prev.crosshair ||
        s.tool !== prev.tool ||
        s.activePoint !== prev.activePoint ||
        s.placing !== prev.placing
      ) {
        redraw(overlayLayer.current);
      }
      if (s.brightness !== prev.brightness || s.contrast !== prev.contrast) applyFilter(s);
      prev = s;
    });
    const unStore = engine.store.listen((diff) => {
      const sel = engine.session.get().selected;
      const areas: Bounds[] = [];
      const add = (r: ImageRecord) => {
        if (sel.has(r.id)) return;
        const b = regionBounds(r);
        if (b) areas.push(b);
      };
      diff.added.forEach(add);
      diff.removed.forEach(add);
      for (const [before, after] of diff.updated) {
        add(before);
        add(after);
      }
      if (areas.length) {
        cache.invalidateAreas(areas);
        redraw(regionsLayer.current);
      }
      redraw(overlayLayer.current);
    });
    const unOverlay = engine.onOverlay(() => redraw(overlayLayer.current));
    return () => {
      unSession();
      unStore();
      unOverlay();
    };
  }, [engine, cache, showDetail, redraw]);

  useEffect(() => {
    if (reviewRef.current === review) return; // drawn with it already
    reviewRef.current = review;
    redraw(overlayLayer.current);
  }, [review, redraw]);

  const rendered = useRef(onRendered);
  useEffect(() => {
    rendered.current = onRendered;
  });
  /**
   * The overlay canvas is blank: fresh, or cleared when the stage was handed over, and not drawn
   * since. Drawing it with nothing on it would still cost its backing store and a copy to the
   * compositor in the frame (~3 ms each on this machine), so an open leaves it until it has
   * something to show.
   */
  const overlayBlank = useRef(true);
  const overlayHasWork = useCallback(() => {
    const s = engine.session.get();
    return (
      !!reviewRef.current ||
      s.selected.size > 0 ||
      !!s.hovered ||
      !!s.placing ||
      !!engine.cursor ||
      !!engine.tool.draft()
    );
  }, [engine]);
  /** The regions layer shows the regions at the current size (drawn since the last resize). */
  const regionsShown = useRef(false);
  /** The image arrived before the viewport was known (a hidden container): drawn once it is. */
  const drawOnSize = useRef(false);
  /**
   * Draws every layer synchronously, so "rendered" means the image and all regions are on the
   * canvases at the viewport's size (not a frame queued, nor a 1×1 stage). Regions already drawn
   * at this size and camera (a cold open draws them while the image decodes) are not drawn again.
   */
  const drawAll = useCallback(() => {
    if (!sized.current) {
      drawOnSize.current = true;
      return;
    }
    drawOnSize.current = false;
    if (stage.current) showStage(stage.current, true);
    performance.mark('image-editor:draw');
    drawNow(imageLayer.current);
    performance.mark('image-editor:image-drawn');
    if (!regionsShown.current || isQueued(regionsLayer.current)) drawNow(regionsLayer.current);
    regionsShown.current = true;
    if (!overlayBlank.current || overlayHasWork()) drawNow(overlayLayer.current);
    performance.mark('image-editor:rendered');
    rendered.current?.();
    // The regions' bitmap, if the first draw went straight onto the layer, at an idle moment.
    primeTask.current ??= whenIdle(() => {
      primeTask.current = null;
      cache.prime();
    }, 1000);
  }, [cache, overlayHasWork]);
  const primeTask = useRef<(() => void) | null>(null);
  useEffect(
    () => () => {
      primeTask.current?.();
      primeTask.current = null;
    },
    [],
  );

  // Size: the stage fills its container, followed from here on; the first real size fits the image.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    /** The first size's follow-up tasks and timer, cancelled if the editor goes first. */
    const cancels: (() => void)[] = [];
    const resize = (next: { width: number; height: number }) => {
      const kit = stage.current;
      const resized = !!kit && (kit.stage.width() !== next.width || kit.stage.height() !== next.height);
      if (kit && resized) {
        sizeStage(kit, next);
        regionsShown.current = false;
        overlayBlank.current = true;
      }
      return resized;
    };
    /**
     * The first size: the stage sized and the image fitted. An image that came before it is drawn
     * now; one in hand at mount (prepared) is drawn by its own effect, next in this commit;
     * without, the regions are drawn in the next task, while the image decodes, and shown with it: the
     * frames before it composite nothing (three blank or half-drawn canvases were 6–9 ms of
     * compositing on the main thread, and of CPU the decode wanted). An image slow to come (a
     * large file) does not keep them hidden: they show by themselves after REGIONS_ALONE_MS.
     */
    const first = (next: { width: number; height: number }) => {
      resize(next);
      performance.mark('image-editor:stage-sized');
      engine.setViewport(next, true);
      performance.mark('image-editor:fitted');
      sized.current = true;
      if (drawOnSize.current) return drawAll();
      if (imageRef.current) return;
      const drawRegions = () => {
        if (regionsShown.current) return; // the image came first: drawAll drew them
        drawNow(regionsLayer.current);
        regionsShown.current = true;
        performance.mark('image-editor:regions-drawn');
      };
      const alone = () => {
        if (imageRef.current) return; // shown with the image
        drawRegions();
        if (stage.current) showStage(stage.current, true);
        // The rest in the next frame, if there is anything: the sheet under the regions where no
        // image will come, the overlay.
        if (blankRef.current) requestDraw(imageLayer.current);
        if (!overlayBlank.current || overlayHasWork()) requestDraw(overlayLayer.current);
      };
      if (blankRef.current) return alone();
      // Nothing composited until the image is drawn (drawAll shows the stage) or the wait is over.
      if (stage.current) showStage(stage.current, false);
      const t = setTimeout(alone, REGIONS_ALONE_MS);
      cancels.push(() => clearTimeout(t));
      // Each in a task of its own after the mounting commit's (together they were one 50–60 ms
      // task here): the regions drawn, then the image layer's bitmap allocated, while the image
      // decodes.
      cancels.push(
        inNextTask(() => {
          drawRegions();
          cancels.push(inNextTask(() => imageRef.current || allocateLayer(imageLayer.current)));
        }),
      );
    };
    const apply = () => {
      if (!sized.current) performance.mark('image-editor:measure');
      const next = { width: el.clientWidth, height: el.clientHeight };
      if (!sized.current) performance.mark('image-editor:measured');
      if (next.width === 0 || next.height === 0) return;
      // The decode worker fits the images it decodes from now on to this size.
      noteStageSize(next);
      if (!sized.current) return first(next);
      const s = engine.session.get().viewport;
      if (s.width === next.width && s.height === next.height) return;
      const resized = resize(next);
      engine.setViewport(next, false);
      // Resized canvases are blank: drawn again before this frame is painted.
      if (resized) {
        for (const l of [imageLayer.current, regionsLayer.current, overlayLayer.current]) drawNow(l);
        regionsShown.current = true;
      }
    };
    // Measured now, in the mounting commit: the layout this reads is the one the first frame
    // would do anyway (the editor's panel and tools come after that frame on a cold open, so it
    // is the canvas's own), and the canvases are sized and the image fitted before the image
    // arrives, not after the frame that lays the editor out.
    apply();
    const ro = new ResizeObserver(apply);
    ro.observe(el);
    return () => {
      ro.disconnect();
      for (const cancel of cancels) cancel();
    };
  }, [engine, drawAll, overlayHasWork]);

  /** Stops following the image shown (its detail decodes redraw the image layer). */
  const imageOff = useRef<(() => void) | null>(null);
  const showImage = useCallback(
    (img: ImageSource | null) => {
      if (imageRef.current === img) return;
      imageOff.current?.();
      imageOff.current = null;
      imageRef.current = img;
      if (!img) return;
      const s = engine.session.get();
      img.update(s.camera, s.viewport, window.devicePixelRatio || 1);
      imageOff.current = img.onChange(() => {
        redraw(imageLayer.current);
        showDetail();
      });
      showDetail();
      drawAll();
    },
    [engine, showDetail, drawAll, redraw],
  );
  useImperativeHandle(ref, () => ({ showImage }), [showImage]);
  useLayoutEffect(() => showImage(image), [image, showImage]);
  useLayoutEffect(
    () => () => {
      imageOff.current?.();
      imageOff.current = null;
      imageRef.current = null;
    },
    [],
  );

  useEffect(() => {
    if (blankRef.current === blank) return;
    blankRef.current = blank;
    redraw(imageLayer.current);
  }, [blank, redraw]);

  // Wheel must be non-passive to stop the page from scrolling.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      engine.zoomBy(Math.exp(-dy * 0.0015), [e.clientX - r.left, e.clientY - r.top]);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [engine]);

  // Space held = pan mode.
  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      if (e.code !== 'Space' || e.defaultPrevented || ownsKey(e.target, e)) return;
      e.preventDefault();
      if (!space.current && box.current) box.current.style.cursor = 'grab';
      space.current = true;
    };
    const up = (e: KeyboardEvent) => {
      if (e.code === 'Space') space.current = false;
    };
    document.addEventListener('keydown', down);
    document.addEventListener('keyup', up);
    return () => {
      document.removeEventListener('keydown', down);
      document.removeEventListener('keyup', up);
    };
  }, []);

  const toPointer = (e: React.PointerEvent | React.MouseEvent): ToolPointer => {
    const r = box.current!.getBoundingClientRect();
    const { camera } = engine.session.get();
    return {
      world: [(e.clientX - r.left - camera.x) / camera.scale, (e.clientY - r.top - camera.y) / camera.scale],
      button: e.button,
      shift: e.shiftKey,
      alt: e.altKey,
      ctrl: e.ctrlKey || e.metaKey,
    };
  };

  const updateHover = (p: Vec) => {
    const el = box.current;
    if (!el || engine.tool.state() !== 'idle') return;
    const h = handleAt(engine, p);
    const hit = h ? h.region : engine.hitTest(p);
    engine.session.set({ hovered: hit?.id ?? null });
    const tool = engine.session.get().tool;
    el.style.cursor = h
      ? h.hit.handle
        ? resizeCursor[h.hit.handle]!
        : 'move'
      : tool === 'select'
        ? hit
          ? 'move'
          : 'default'
        : 'crosshair';
  };

  return (
    <div
      ref={box}
      className="ie-canvas"
      data-testid="image-canvas"
      // One tab stop: focused, every image key works here; Tab leaves it for the panel.
      tabIndex={0}
      role="application"
      aria-roledescription="image canvas"
      aria-label="Image: draw and select regions here"
      aria-describedby={summaryId}
      onPointerDown={(e) => {
        box.current?.focus();
        if (e.button === 1 || (e.button === 0 && space.current)) {
          e.preventDefault();
          pan.current = { x: e.clientX, y: e.clientY };
          box.current!.style.cursor = 'grabbing';
        } else if (e.button === 0) engine.pointerDown(toPointer(e));
        else return;
        // Keeps a drag going outside the canvas; synthetic events (tests) have no capturable pointer.
        try {
          e.currentTarget.setPointerCapture(e.pointerId);
        } catch {
          /* not capturable */
        }
      }}
      onPointerMove={(e) => {
        if (pan.current) {
          engine.panBy(e.clientX - pan.current.x, e.clientY - pan.current.y);
          pan.current = { x: e.clientX, y: e.clientY };
          return;
        }
        const p = toPointer(e);
        engine.pointerMove(p);
        updateHover(p.world);
      }}
      onPointerUp={(e) => {
        if (pan.current) {
          pan.current = null;
          box.current!.style.cursor = space.current ? 'grab' : '';
          return;
        }
        if (e.button === 0) engine.pointerUp(toPointer(e));
      }}
      onPointerLeave={() => engine.pointerLeave()}
      onDoubleClick={(e) => engine.dblclick(toPointer(e))}
      onContextMenu={(e) => e.preventDefault()}
    >
      <div ref={host} />
      <CanvasSummary engine={engine} id={summaryId} />
    </div>
  );
}

const BLANK_SHEET = '#8d939b';

const changedIds = (a: ReadonlySet<string>, b: ReadonlySet<string>): string[] => {
  const out: string[] = [];
  for (const id of a) if (!b.has(id)) out.push(id);
  for (const id of b) if (!a.has(id)) out.push(id);
  return out;
};
