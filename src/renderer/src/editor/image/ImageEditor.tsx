import {
  memo,
  startTransition,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { createPortal } from 'react-dom';
import { SidePanelContext } from '../../features/task/side-panel';
import { afterNextPaint } from '../../features/task/after-paint';
import { useKeyboard, useKeyScope } from '../../features/keyboard/keyboard-context';
import { emptyCarry, type EditorProps } from '../types';
import { ImageEditorEngine } from './engine/engine';
import { KeypointsTool } from './engine/tools';
import { activePoint } from './engine/keypoint-commands';
import { TOOL_DEFS } from './engine/tool-defs';
import { imageKeys, imageViewKeys } from './keys';
import { ImageCanvas, type ImageCanvasHandle } from './view/ImageCanvas';
import { Inspector, LabelPicker } from './view/Inspector';
import { ImageClasses } from './view/Classes';
import { Minimap } from './view/Minimap';
import { RegionList } from './view/RegionList';
import { Suggestions } from './view/Suggestions';
import { ToolRail, TopBar } from './view/Toolbar';
import { ImageSource } from './view/image-source';
import { preparedImages } from './view/prepared-images';
import { warmDecoder } from './view/decoder';
import { afterCanvasesSettle } from './view/canvas-settle';
import { warmStage } from './view/stage-pool';
import { useSession } from './view/use-engine';
import './image-editor.css';

export interface ImageEditorProps extends EditorProps {
  /** Hands out the engine (benchmarks, tests). */
  onEngine?: (engine: ImageEditorEngine) => void;
}

/** Fired on window once the image and all regions are first drawn (e2e tests wait for it). */
export const RENDERED_EVENT = 'outrigger:image-editor-rendered';

/** One editor instance per task: a new task gets a fresh engine, history and camera. */
export function ImageEditor(props: ImageEditorProps) {
  return <Editor key={props.view.task.id} {...props} />;
}

// The window's decode worker starts with the editor's code, so the first image opened (in the task
// screen or any other screen that shows the editor) never waits for a worker to boot; its canvas
// stage is built at the first idle moment.
warmDecoder();
warmStage();

const openNow = (url: string, natural: { width: number; height: number }) =>
  ImageSource.open(url, natural, {
    screen: { width: window.screen.width || 1920, height: window.screen.height || 1080 },
    dpr: window.devicePixelRatio || 1,
  });

/** Images of editors that went, closed after the next paint unless a remount keeps them. */
const leaving = new Set<ImageSource>();
const disposeAfterPaint = (img: ImageSource) => {
  leaving.add(img);
  void afterNextPaint().then(() => leaving.delete(img) && img.dispose());
};

/** How long a cold open's chrome waits for the image's first draw before coming anyway (ms). */
const CHROME_WAIT_MS = 250;

const TOOL_HINT = new Map<string, string>(TOOL_DEFS.map((t) => [t.id, t.hint]));

function Editor({
  view,
  initial,
  onChange,
  assetUrl,
  onAssetReady,
  refetchImage,
  carry: hostCarry,
  onEngine,
  readOnly = false,
  review,
  onSelectionChange,
}: ImageEditorProps) {
  const data = view.task.data;
  const config = view.project.labelConfig;
  const sha = data.kind === 'image' ? data.image.sha256 : '';
  const natW = data.kind === 'image' ? data.image.width : 1;
  const natH = data.kind === 'image' ? data.image.height : 1;
  // A prepared image already decoded is the editor's from its first render: drawn in the commit.
  const [ready] = useState(() =>
    data.kind === 'image' ? preparedImages.takeReady(assetUrl(data.image.sha256)) : null,
  );
  // The image starts opening first thing as the editor mounts (before its engine is built, not
  // after its first commit), or was prepared before: the task screen decodes the next task's
  // image ahead.
  useState(
    () =>
      !ready &&
      sha &&
      preparedImages.prepare(assetUrl(sha), { width: natW, height: natH }, { ttlMs: 10_000 }),
  );
  const [carry] = useState(() => hostCarry ?? emptyCarry());
  const { showShortcuts } = useKeyboard();
  const [engine] = useState(() => {
    const e = new ImageEditorEngine({
      clipboard: carry.clipboard,
      config,
      image:
        data.kind === 'image'
          ? { width: data.image.width, height: data.image.height }
          : { width: 1, height: 1 },
      initial,
      // A version under review is shown as sent: no model suggestions over it.
      predictions: readOnly ? [] : view.task.predictions,
      label: carry.lastLabel?.() ?? null,
    });
    if (readOnly) {
      e.store.readOnly = true;
      e.session.set({ tool: 'select' });
    }
    performance.mark('image-editor:engine');
    return e;
  });
  const keys = useMemo(() => (readOnly ? imageViewKeys() : imageKeys(config)), [config, readOnly]);
  const [image, setImage] = useState<ImageSource | null>(ready);
  const [error, setError] = useState<string | null>(null);
  /** Bumped when sync says the image arrived after a failed load: the load runs again. */
  const [attempt, setAttempt] = useState(0);
  const [note, setNote] = useState<string | null>(null);
  /** A finished task's image gone from this computer: asked again, or refused by the project. */
  const [refetch, setRefetch] = useState<'asking' | 'forbidden' | null>(null);
  const asked = useRef(false);
  const canvas = useRef<ImageCanvasHandle>(null);
  const decodingNote = useRef<HTMLDivElement>(null);
  const [rendered, setRendered] = useState(false);
  // The side panel, tool rail, top bar and status line ("chrome"): on a cold open they come after
  // the canvas's first painted frame (their render and first layout were most of the main
  // thread's work before it); with the image prepared, everything is in the first commit.
  const [chromeOn, setChrome] = useState(() => !!ready);
  const chrome = chromeOn || !!error || refetch !== null;
  // The side panel's sections come a frame after the tools, in two halves a frame apart: laid out
  // with them, a cold window's first layout of all that text was one 55 ms frame, and the whole
  // panel in one frame still 20 ms beside a canvas copy (traced at 12 MP / 100 boxes).
  const [panelSteps, setPanel] = useState<0 | 1 | 2>(() => (ready ? 2 : 0));
  const panelAll = !!error || refetch !== null;
  const panelPart = !chrome ? 0 : panelAll ? 2 : panelSteps;
  const panelShown = panelPart === 2;

  useEffect(() => engine.setOnChange(onChange), [engine, onChange]);
  useEffect(() => onEngine?.(engine), [engine, onEngine]);
  // The label picked here is where the next task of the project starts.
  useEffect(() => {
    let last = engine.session.get().label;
    return engine.session.subscribe(() => {
      const label = engine.session.get().label;
      if (label !== last) carry.labelPicked?.(label);
      last = label;
    });
  }, [engine, carry]);
  // A review screen pins comments to what is selected: one region, and for keypoints the active point.
  useEffect(() => {
    if (!onSelectionChange) return;
    let last = '';
    const report = () => {
      const sel = engine.selected();
      const r = sel.length === 1 ? sel[0]! : null;
      const keypoint = r?.type === 'keypoints' ? activePoint(engine, r) : undefined;
      const key = r ? `${r.id}:${keypoint ?? ''}` : '';
      if (key === last) return;
      last = key;
      onSelectionChange(r ? { kind: 'region', resultId: r.id, keypoint } : null);
    };
    report();
    return engine.session.subscribe(report);
  }, [engine, onSelectionChange]);

  useLayoutEffect(() => void performance.mark('image-editor:commit'), []);
  useEffect(() => {
    if (!chrome || panelSteps === 2) return;
    let live = true;
    const next = panelSteps === 0 ? 1 : 2;
    void afterNextPaint().then(() => live && startTransition(() => setPanel(next)));
    return () => {
      live = false;
    };
  }, [chrome, panelSteps]);
  // An image that is slow to come (a 100 MP file) does not keep the panel and tools away.
  useEffect(() => {
    if (chromeOn) return;
    const t = setTimeout(() => startTransition(() => setChrome(true)), CHROME_WAIT_MS);
    return () => clearTimeout(t);
  }, [chromeOn]);
  // A layout effect: an image decoded while the editor rendered is taken in the mounting commit's
  // own task (a passive effect would wait for the frame after it), so it is drawn at the first size.
  useLayoutEffect(() => {
    if (!sha) return;
    // Bitmaps go with the task (a 100 MP overview should not outlive it), once the next task is
    // painted: closing them costs a millisecond or two the switch should not wait for.
    if (attempt === 0 && ready && !ready.isDisposed) {
      leaving.delete(ready); // mounted again (StrictMode's second effect run): still in use
      return () => disposeAfterPaint(ready);
    }
    let live = true;
    let opened: ImageSource | null = null;
    const url = assetUrl(sha);
    const natural = { width: natW, height: natH };
    // A retry (attempt > 0) opens afresh; the first open takes what was prepared.
    const pending = (attempt === 0 && preparedImages.take(url)) || openNow(url, natural);
    pending.then(
      (img) => {
        if (!live) return img.dispose();
        performance.mark('image-editor:image-ready');
        opened = img;
        // Drawn now, in this task, by the canvas itself: not after a render of the editor (5–11 ms
        // of a cold open). The state follows in slices; the "Decoding" note goes at once, so no
        // frame shows it over the image.
        if (decodingNote.current) decodingNote.current.hidden = true;
        canvas.current?.showImage(img);
        startTransition(() => setImage(img));
      },
      (e: unknown) => {
        if (live) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      live = false;
      if (opened) disposeAfterPaint(opened);
    };
  }, [sha, natW, natH, assetUrl, attempt, ready]);

  // A finished task whose image was removed at lease end (or evicted): ask the hub once.
  useEffect(() => {
    if (!error || !sha || !refetchImage || asked.current) return;
    asked.current = true;
    let live = true;
    setRefetch('asking');
    void refetchImage().then((r) => {
      if (!live) return;
      if (r.status === 'ready') {
        setRefetch(null);
        setError(null);
        setAttempt((n) => n + 1);
      } else if (r.status === 'forbidden') setRefetch('forbidden');
      else {
        setRefetch(null);
        setError(`it is no longer on this computer and the hub could not be asked for it now (${r.detail})`);
      }
    });
    return () => {
      live = false;
    };
  }, [error, sha, refetchImage]);

  // Not downloaded yet (a fresh lease on a slow link): shown the moment sync has it.
  useEffect(() => {
    if (!error || !sha || !onAssetReady || refetchImage) return;
    return onAssetReady(sha, () => {
      setError(null);
      setAttempt((n) => n + 1);
    });
  }, [error, sha, onAssetReady, refetchImage]);

  useEffect(() => {
    if (!note) return;
    const t = setTimeout(() => setNote(null), 2500);
    return () => clearTimeout(t);
  }, [note]);

  useKeyScope({
    id: 'image-editor',
    priority: 20,
    title: 'Image',
    table: keys,
    ctx: () => ({ engine, notify: setNote, previous: carry.previous }),
  });

  // The parts that do not change when the editor's state does ("rendered", a note, an error) are
  // kept as the same elements, so React skips them: the state change after the first draw of a
  // switch re-renders only this shell.
  const chromeRef = useRef(chromeOn);
  useLayoutEffect(() => {
    chromeRef.current = chromeOn;
  });
  const onRendered = useCallback(() => {
    window.dispatchEvent(new CustomEvent(RENDERED_EVENT, { detail: { taskId: view.task.id } }));
    if (chromeRef.current) return setRendered(true);
    // The chrome renders in slices once the canvas's frame is painted and the frames after it
    // are cheap again (canvas-settle.ts); "ready" comes with it.
    void afterCanvasesSettle().then(() =>
      startTransition(() => {
        setChrome(true);
        setRendered(true);
      }),
    );
  }, [view.task.id]);
  const rail = useMemo(
    () => !readOnly && (chrome ? <ToolRail engine={engine} keys={keys} /> : <div className="ie-rail" />),
    [readOnly, engine, keys, chrome],
  );
  const topBar = useMemo(
    () =>
      chrome ? (
        <TopBar engine={engine} keys={keys} onCheatSheet={showShortcuts} />
      ) : (
        <div className="ie-topbar" />
      ),
    [engine, keys, showShortcuts, chrome],
  );
  const fileLine = data.kind === 'image' ? `${data.image.fileName} · ${natW}×${natH}` : '';
  const status = useMemo(
    () => (chrome ? <StatusLine engine={engine} file={fileLine} /> : <div className="ie-status" />),
    [engine, fileLine, chrome],
  );
  const panel = useMemo(
    () => <SidePanel>{panelPart ? editorPanel(engine, readOnly, panelPart === 2) : null}</SidePanel>,
    [engine, readOnly, panelPart],
  );

  if (data.kind !== 'image') return <p className="ie-error">This task has no image.</p>;

  return (
    <div
      className="ie-root"
      data-testid="image-editor"
      data-state={
        rendered && panelShown ? 'ready' : refetch === 'forbidden' ? 'forbidden' : error ? 'error' : 'loading'
      }
      data-readonly={readOnly || undefined}
    >
      {rail}
      <div className="ie-main">
        {topBar}
        {/* image-stage / data-state: the task screen's page model waits on these. */}
        <div
          className="ie-stage image-stage"
          data-state={
            rendered ? 'loaded' : refetch === 'forbidden' ? 'forbidden' : error ? 'error' : 'loading'
          }
        >
          <MemoCanvas
            ref={canvas}
            engine={engine}
            image={image}
            blank={refetch === 'forbidden'}
            review={review}
            onRendered={onRendered}
          />
          {chrome && <Minimap engine={engine} image={image} />}
          {/* With the chrome: an image still decoding once the chrome came by its timer (a fast
              decode never shows it, and a cold open's first layout shapes no text). */}
          {!image && !error && chrome && (
            <div ref={decodingNote} className="ie-loading">
              Decoding image…
            </div>
          )}
          {refetch === 'asking' && (
            <div className="ie-loading">Fetching this finished task's image again from the hub…</div>
          )}
          {refetch === 'forbidden' && (
            <div className="ie-loading ie-forbidden" role="status" data-testid="image-forbidden">
              This project&apos;s client requires images to be removed when the task is done; your annotation
              is shown without its image ({data.image.width}×{data.image.height}).
            </div>
          )}
          {error && refetch === null && (
            <div className="ie-loading ie-error">
              This image could not be loaded: {error}
              {onAssetReady ? '. If sync is still downloading it, it opens by itself when it arrives.' : ''}
            </div>
          )}
          {note && <div className="ie-note">{note}</div>}
        </div>
        {status}
      </div>
      {panel}
    </div>
  );
}

const MemoCanvas = memo(ImageCanvas);

/**
 * The side panel's sections: shown as sent (read only) or to work with. Without `all` only the
 * top ones (a cold open's first half; the rest come a frame later).
 */
function editorPanel(engine: ImageEditorEngine, readOnly: boolean, all: boolean) {
  return readOnly ? (
    <>
      {/* Shown as sent: the fields say what was set and cannot be changed. */}
      <fieldset className="ie-readonly" disabled>
        <legend className="sr-only">Classes and attributes (read only)</legend>
        <ImageClasses engine={engine} />
        {all && <Inspector engine={engine} />}
      </fieldset>
      {all && <RegionList engine={engine} />}
    </>
  ) : (
    <>
      <ImageClasses engine={engine} />
      <LabelPicker engine={engine} />
      {all && <Inspector engine={engine} />}
      {all && <Suggestions engine={engine} />}
      {all && <RegionList engine={engine} />}
    </>
  );
}

/** In the task screen the panel goes into its side-panel slot; standalone it gets its own column. */
function SidePanel({ children }: { children: ReactNode }) {
  const slot = useContext(SidePanelContext);
  return slot ? (
    children && createPortal(children, slot)
  ) : (
    <aside className="ie-aside" aria-label="Labels and details" aria-busy={!children || undefined}>
      {children}
    </aside>
  );
}

const pickTool = (s: { tool: string }) => s.tool;

/** Tool hint, next keypoint name, cursor position in source pixels (updated without re-rendering). */
function StatusLine({ engine, file }: { engine: ImageEditorEngine; file: string }) {
  const tool = useSession(engine, pickTool);
  const pos = useRef<HTMLSpanElement>(null);
  const hint = useRef<HTMLSpanElement>(null);
  useEffect(
    () =>
      engine.onOverlay(() => {
        const c = engine.cursor;
        if (pos.current) pos.current.textContent = c ? `${Math.round(c[0])}, ${Math.round(c[1])}` : '';
        const t = engine.tool;
        const placing = engine.session.get().placing;
        if (hint.current && placing) {
          const name = engine.config.skeleton?.points[placing.index]?.name ?? `point ${placing.index + 1}`;
          hint.current.textContent = `Click the image to place ${name} · Esc cancels`;
        } else if (hint.current && t instanceof KeypointsTool) {
          const next = t.nextPointName();
          hint.current.textContent = next ? `Next point: ${next}` : '';
        } else if (hint.current) hint.current.textContent = '';
      }),
    [engine],
  );
  return (
    <div className="ie-status">
      <span>{TOOL_HINT.get(tool)}</span>
      <span ref={hint} className="ie-status-strong" />
      <span className="ie-spacer" />
      <span ref={pos} className="ie-mono" data-testid="cursor-pos" />
      <span className="muted">{file}</span>
    </div>
  );
}
