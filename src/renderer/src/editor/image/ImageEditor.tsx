import { useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { Annotation } from '../../../../shared/model';
import { SidePanelContext } from '../../features/task/side-panel';
import type { EditorProps } from '../types';
import { ImageEditorEngine } from './engine/engine';
import { KeypointsTool } from './engine/tools';
import { cycleKeypointVisibility, stepKeypoint } from './engine/keypoint-commands';
import { type ImageAction, buildKeymap } from './keys';
import { CheatSheet } from './view/CheatSheet';
import { ImageCanvas, isTyping } from './view/ImageCanvas';
import { Inspector, LabelPicker } from './view/Inspector';
import { ImageClasses } from './view/Classes';
import { Minimap } from './view/Minimap';
import { RegionList } from './view/RegionList';
import { Suggestions } from './view/Suggestions';
import { ToolRail, TopBar } from './view/Toolbar';
import { ImageSource } from './view/image-source';
import { useSession } from './view/use-engine';
import './image-editor.css';

export interface ImageEditorProps extends EditorProps {
  /** The previous task's annotation, for "copy regions from the previous task" (Ctrl Shift V). */
  previousAnnotation?: Annotation | null;
  /** Hands out the engine (benchmarks, tests). */
  onEngine?: (engine: ImageEditorEngine) => void;
}

/** Fired on window once the image and all regions are first drawn (e2e tests wait for it). */
export const RENDERED_EVENT = 'outrigger:image-editor-rendered';

/**
 * The last image task this window left, for "copy regions from the previous task" when the host
 * passes no `previousAnnotation` (the usual case: the annotator just submitted it).
 */
let lastTask: { taskId: string; annotation: Annotation } | null = null;

/** One editor instance per task: a new task gets a fresh engine, history and camera. */
export function ImageEditor(props: ImageEditorProps) {
  return <Editor key={props.view.task.id} {...props} />;
}

const TOOL_HINT: Record<string, string> = {
  select: 'Click to select · Shift+click adds · drag empty space to marquee · drag to move',
  bbox: 'Drag to draw a box · drag handles to resize',
  polygon: 'Click to add points · click the first point, Enter or double-click to close',
  polyline: 'Click to add points · Enter or double-click to finish',
  keypoints: 'Click to place each point · Alt+click: occluded · N: skip · Enter: finish',
};

function Editor({
  view,
  initial,
  onChange,
  assetUrl,
  onAssetReady,
  previousAnnotation,
  onEngine,
}: ImageEditorProps) {
  const data = view.task.data;
  const config = view.project.labelConfig;
  const [engine] = useState(() => {
    const e = new ImageEditorEngine({
      config,
      image:
        data.kind === 'image'
          ? { width: data.image.width, height: data.image.height }
          : { width: 1, height: 1 },
      initial,
      predictions: view.task.predictions,
    });
    performance.mark('image-editor:engine');
    return e;
  });
  const keymap = useMemo(() => buildKeymap(config), [config]);
  const [image, setImage] = useState<ImageSource | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Bumped when sync says the image arrived after a failed load: the load runs again. */
  const [attempt, setAttempt] = useState(0);
  const [sheet, setSheet] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [rendered, setRendered] = useState(false);
  const sha = data.kind === 'image' ? data.image.sha256 : '';
  const natW = data.kind === 'image' ? data.image.width : 1;
  const natH = data.kind === 'image' ? data.image.height : 1;

  useEffect(() => engine.setOnChange(onChange), [engine, onChange]);
  const taskId = view.task.id;
  useEffect(
    () => () => {
      lastTask = { taskId, annotation: engine.annotation() };
    },
    [engine, taskId],
  );
  useEffect(() => onEngine?.(engine), [engine, onEngine]);

  useEffect(() => {
    if (!sha) return;
    const ac = new AbortController();
    let opened: ImageSource | null = null;
    const natural = { width: natW, height: natH };
    const screen = { width: window.screen.width || 1920, height: window.screen.height || 1080 };
    ImageSource.open(assetUrl(sha), natural, {
      signal: ac.signal,
      screen,
      dpr: window.devicePixelRatio || 1,
    }).then(
      (img) => {
        if (ac.signal.aborted) return img.dispose();
        opened = img;
        setImage(img);
      },
      (e: unknown) => {
        if (!ac.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      ac.abort();
      // Bitmaps and the worker go with the task: a 100 MP overview should not outlive it.
      opened?.dispose();
    };
  }, [sha, natW, natH, assetUrl, attempt]);

  // Not downloaded yet (a fresh lease on a slow link): shown the moment sync has it.
  useEffect(() => {
    if (!error || !sha || !onAssetReady) return;
    return onAssetReady(sha, () => {
      setError(null);
      setAttempt((n) => n + 1);
    });
  }, [error, sha, onAssetReady]);

  useEffect(() => {
    if (!note) return;
    const t = setTimeout(() => setNote(null), 2500);
    return () => clearTimeout(t);
  }, [note]);

  // Keys: on document, so it runs before the host's window listener and can claim keys it uses.
  const sheetRef = useRef(sheet);
  const prevRef = useRef(previousAnnotation);
  useEffect(() => {
    sheetRef.current = sheet;
    prevRef.current = previousAnnotation;
  });
  useEffect(() => {
    const run = (a: ImageAction): void => {
      const sel = [...engine.session.get().selected];
      if (a.startsWith('tool:')) return engine.setTool(a.slice(5) as never);
      if (a.startsWith('label:')) return engine.setLabel(a.slice(6));
      if (a.startsWith('class:')) {
        const [g, o] = JSON.parse(a.slice(6)) as [string, string];
        return engine.toggleClass(g, o);
      }
      switch (a) {
        case 'undo':
          engine.undo();
          return;
        case 'redo':
          engine.redo();
          return;
        case 'delete':
          engine.deleteSelected();
          return;
        case 'duplicate':
          return engine.duplicateSelected();
        case 'copy':
          setNote(`Copied ${engine.copy()} region(s)`);
          return;
        case 'paste':
          setNote(`Pasted ${engine.paste()} region(s)`);
          return;
        case 'copy-previous': {
          const prev =
            prevRef.current ?? (lastTask && lastTask.taskId !== taskId ? lastTask.annotation : null);
          setNote(
            prev
              ? `Copied ${engine.copyFrom(prev)} region(s) from the previous task`
              : 'No previous task to copy from',
          );
          return;
        }
        case 'select-all':
          return engine.select(
            engine
              .regions()
              .filter((r) => engine.isVisible(r) && !engine.session.get().locked.has(r.id))
              .map((r) => r.id),
          );
        case 'next-region':
        case 'prev-region': {
          const list = engine.regions().filter((r) => engine.isVisible(r));
          if (!list.length) return;
          const cur = list.findIndex((r) => r.id === sel[0]);
          const next =
            list[
              (cur + (a === 'next-region' ? 1 : list.length - 1) + (cur < 0 && a === 'prev-region' ? 1 : 0)) %
                list.length
            ]!;
          engine.select([next.id]);
          return;
        }
        case 'zoom-in':
          return engine.zoomBy(1.25);
        case 'zoom-out':
          return engine.zoomBy(1 / 1.25);
        case 'fit':
          return engine.fit();
        case 'actual':
          return engine.actualSize();
        case 'toggle-labels':
          return engine.session.set((s) => ({ showLabels: !s.showLabels }));
        case 'toggle-crosshair':
          return engine.session.set((s) => ({ crosshair: !s.crosshair }));
        case 'hide':
          return engine.setHidden(sel);
        case 'show-all':
          return engine.session.set({ hidden: new Set() });
        case 'lock':
          return engine.setLocked(sel);
        case 'accept':
          engine.acceptSuggestions(sel);
          return;
        case 'accept-all':
          engine.acceptSuggestions();
          return;
        case 'skip-point':
          engine.toolKey('skip-point');
          return;
        case 'next-point':
        case 'prev-point':
          stepKeypoint(engine, a === 'next-point' ? 1 : -1);
          return;
        case 'cycle-point':
          cycleKeypointVisibility(engine);
          return;
        case 'cheatsheet':
          return setSheet(true);
      }
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      if (isTyping(e)) {
        if (e.key === 'Escape') {
          (e.target as HTMLElement).blur();
          e.preventDefault();
        }
        return;
      }
      if (sheetRef.current) {
        // Modal: no key reaches the editor or the task screen below while it is open.
        e.preventDefault();
        if (e.key === 'Escape' || e.key === '?') setSheet(false);
        return;
      }
      const mods = e.ctrlKey || e.metaKey || e.altKey;
      const hasSel = engine.session.get().selected.size > 0;
      if (!mods && e.key === 'Enter') {
        if (engine.toolKey('enter')) e.preventDefault();
        return;
      }
      if (!mods && e.key === 'Escape') {
        if (engine.toolKey('escape')) e.preventDefault();
        else if (hasSel) {
          engine.select([]);
          e.preventDefault();
        }
        return;
      }
      if (!mods && e.key === 'Backspace') {
        if (engine.toolKey('backspace') || engine.deleteSelected()) e.preventDefault();
        return;
      }
      const arrow = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key];
      if (arrow && !mods) {
        const k = e.shiftKey ? 10 : 1;
        if (engine.nudge(arrow[0]! * k, arrow[1]! * k)) e.preventDefault();
        return;
      }
      const action = keymap.match(e);
      if (!action) return;
      e.preventDefault();
      run(action);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [engine, keymap, taskId]);

  if (data.kind !== 'image') return <p className="ie-error">This task has no image.</p>;

  const panel = (
    <>
      <ImageClasses engine={engine} />
      <LabelPicker engine={engine} />
      <Inspector engine={engine} />
      <Suggestions engine={engine} />
      <RegionList engine={engine} />
    </>
  );

  return (
    <div
      className="ie-root"
      data-testid="image-editor"
      data-state={rendered ? 'ready' : error ? 'error' : 'loading'}
    >
      <ToolRail engine={engine} />
      <div className="ie-main">
        <TopBar engine={engine} onCheatSheet={() => setSheet(true)} />
        {/* image-stage / data-state: the task screen's page model waits on these. */}
        <div className="ie-stage image-stage" data-state={rendered ? 'loaded' : error ? 'error' : 'loading'}>
          <ImageCanvas
            engine={engine}
            image={image}
            onRendered={() => {
              setRendered(true);
              window.dispatchEvent(new CustomEvent(RENDERED_EVENT, { detail: { taskId: view.task.id } }));
            }}
          />
          <Minimap engine={engine} image={image} />
          {!image && !error && <div className="ie-loading">Decoding image…</div>}
          {error && (
            <div className="ie-loading ie-error">
              This image could not be loaded: {error}
              {onAssetReady ? '. If sync is still downloading it, it opens by itself when it arrives.' : ''}
            </div>
          )}
          {note && <div className="ie-note">{note}</div>}
        </div>
        <StatusLine
          engine={engine}
          file={`${data.image.fileName} · ${data.image.width}×${data.image.height}`}
        />
      </div>
      <SidePanel>{panel}</SidePanel>
      {sheet && <CheatSheet keymap={keymap} onClose={() => setSheet(false)} />}
    </div>
  );
}

/** In the task screen the panel goes into its side-panel slot; standalone it gets its own column. */
function SidePanel({ children }: { children: ReactNode }) {
  const slot = useContext(SidePanelContext);
  return slot ? createPortal(children, slot) : <aside className="ie-aside">{children}</aside>;
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
      <span>{TOOL_HINT[tool]}</span>
      <span ref={hint} className="ie-status-strong" />
      <span className="ie-spacer" />
      <span ref={pos} className="ie-mono" data-testid="cursor-pos" />
      <span className="muted">{file}</span>
    </div>
  );
}
