import type { ImageEditorEngine } from '../engine/engine';
import type { ImageSession, ToolId } from '../engine/session';
import { TOOL_NAMES } from '../engine/summary';
import { useHistoryFlags, useSession } from './use-engine';

/** A tool button's accessible name says what it does (`TOOL_NAMES`), not its key letter. */
const TOOLS: { id: ToolId; key: string; icon: string }[] = [
  { id: 'select', key: 'V', icon: 'M5 3l14 8-6 1.5L10 19z' },
  { id: 'bbox', key: 'B', icon: 'M4 6h16v12H4z' },
  { id: 'polygon', key: 'P', icon: 'M12 3l8 6-3 11H7L4 9z' },
  { id: 'polyline', key: 'L', icon: 'M3 18l6-9 5 5 7-10' },
  { id: 'keypoints', key: 'K', icon: 'M12 5v7M12 12l-5 7M12 12l5 7M6 9h12' },
];

const pickTool = (s: ImageSession) => s.tool;
const pickScale = (s: ImageSession) => s.camera.scale;
const pickView = (s: ImageSession) => `${s.showLabels ? 'l' : ''}${s.crosshair ? 'x' : ''}`;
const pickBrightness = (s: ImageSession) => s.brightness;
const pickContrast = (s: ImageSession) => s.contrast;

function Icon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path
        d={d}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinejoin="round"
        strokeLinecap="round"
      />
    </svg>
  );
}

/** Left rail: tools; top bar: history, zoom, view toggles, image adjustments. */
export function ToolRail({ engine }: { engine: ImageEditorEngine }) {
  const tool = useSession(engine, pickTool);
  const offered = TOOLS.filter((t) => t.id === 'select' || engine.config.tools.includes(t.id));
  return (
    <nav className="ie-rail" aria-label="Tools">
      {offered.map((t) => (
        <button
          key={t.id}
          type="button"
          className="ie-tool"
          aria-pressed={tool === t.id}
          data-testid={`tool-${t.id}`}
          title={`${TOOL_NAMES[t.id]} (${t.key})`}
          aria-label={TOOL_NAMES[t.id]}
          aria-keyshortcuts={t.key}
          onClick={() => engine.setTool(t.id)}
        >
          <Icon d={t.icon} />
          <kbd aria-hidden="true">{t.key}</kbd>
        </button>
      ))}
    </nav>
  );
}

export function TopBar({ engine, onCheatSheet }: { engine: ImageEditorEngine; onCheatSheet(): void }) {
  const flags = useHistoryFlags(engine);
  const scale = useSession(engine, pickScale);
  const view = useSession(engine, pickView);
  const brightness = useSession(engine, pickBrightness);
  const contrast = useSession(engine, pickContrast);
  return (
    <div className="ie-topbar">
      <div className="ie-group">
        <button
          type="button"
          className="ie-btn"
          disabled={!flags.includes('u')}
          onClick={() => engine.undo()}
          title="Undo (Ctrl Z)"
          aria-label="Undo"
          aria-keyshortcuts="Control+Z"
          data-testid="undo"
        >
          ↶
        </button>
        <button
          type="button"
          className="ie-btn"
          disabled={!flags.includes('r')}
          onClick={() => engine.redo()}
          title="Redo (Ctrl Shift Z)"
          aria-label="Redo"
          aria-keyshortcuts="Control+Shift+Z"
          data-testid="redo"
        >
          ↷
        </button>
      </div>
      <div className="ie-group">
        <button
          type="button"
          className="ie-btn"
          onClick={() => engine.zoomBy(1 / 1.25)}
          title="Zoom out (−)"
          aria-label="Zoom out"
        >
          −
        </button>
        <span className="ie-zoom" data-testid="zoom" title="Zoom level">
          {Math.round(scale * 100)}%
        </span>
        <button
          type="button"
          className="ie-btn"
          onClick={() => engine.zoomBy(1.25)}
          title="Zoom in (+)"
          aria-label="Zoom in"
        >
          +
        </button>
        <button type="button" className="ie-btn ie-text" onClick={() => engine.fit()} title="Fit (F)">
          Fit
        </button>
        <button
          type="button"
          className="ie-btn ie-text"
          onClick={() => engine.actualSize()}
          title="Actual size (Ctrl 1)"
          aria-label="Actual size (1:1)"
        >
          1:1
        </button>
      </div>
      <div className="ie-group">
        <button
          type="button"
          className="ie-btn ie-text"
          aria-pressed={view.includes('l')}
          onClick={() => engine.session.set((s) => ({ showLabels: !s.showLabels }))}
          title="Region labels (Alt L)"
        >
          Labels
        </button>
        <button
          type="button"
          className="ie-btn ie-text"
          aria-pressed={view.includes('x')}
          onClick={() => engine.session.set((s) => ({ crosshair: !s.crosshair }))}
          title="Crosshair (Alt X)"
        >
          Crosshair
        </button>
      </div>
      <label className="ie-slider" title="Brightness">
        <span aria-hidden="true">☀</span>
        <input
          type="range"
          min={0.3}
          max={2.5}
          step={0.05}
          value={brightness}
          onChange={(e) => engine.session.set({ brightness: Number(e.target.value) })}
          onDoubleClick={() => engine.session.set({ brightness: 1 })}
          aria-label="Brightness"
        />
      </label>
      <label className="ie-slider" title="Contrast">
        <span aria-hidden="true">◐</span>
        <input
          type="range"
          min={0.3}
          max={3}
          step={0.05}
          value={contrast}
          onChange={(e) => engine.session.set({ contrast: Number(e.target.value) })}
          onDoubleClick={() => engine.session.set({ contrast: 1 })}
          aria-label="Contrast"
        />
      </label>
      <span className="ie-spacer" />
      <button
        type="button"
        className="ie-btn ie-text"
        onClick={onCheatSheet}
        title="Keyboard shortcuts (?)"
        aria-label="Keyboard shortcuts"
        aria-keyshortcuts="?"
      >
        <kbd aria-hidden="true">?</kbd> Keys
      </button>
    </div>
  );
}
