import type { ActionTable } from '../../core/keymap';
import type { ImageEditorEngine } from '../engine/engine';
import type { ImageSession } from '../engine/session';
import { TOOL_DEFS } from '../engine/tool-defs';
import type { ImageKeyContext } from '../keys';
import { REDO_ICON, StrokeIcon, UNDO_ICON } from '../../stroke-icon';
import { useHistoryFlags, useSession } from './use-engine';

// Brightness and contrast, drawn like undo and redo (stroke-icon.tsx says why).
const SUN =
  'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM12 2v2.5M12 19.5V22M2 12h2.5M19.5 12H22M4.9 4.9l1.8 1.8M17.3 17.3l1.8 1.8M4.9 19.1l1.8-1.8M17.3 6.7l1.8-1.8';
const HALF = 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 3v18M12 7.5h6.5M12 12h9M12 16.5h6.5';

const pickTool = (s: ImageSession) => s.tool;
const pickScale = (s: ImageSession) => s.camera.scale;
const pickView = (s: ImageSession) => `${s.showLabels ? 'l' : ''}${s.crosshair ? 'x' : ''}`;
const pickBrightness = (s: ImageSession) => s.brightness;
const pickContrast = (s: ImageSession) => s.contrast;

type Keys = ActionTable<ImageKeyContext>;

/** Left rail: tools; top bar: history, zoom, view toggles, image adjustments. Tooltips come from the key table. */
export function ToolRail({ engine, keys }: { engine: ImageEditorEngine; keys: Keys }) {
  const tool = useSession(engine, pickTool);
  const offered = TOOL_DEFS.filter((t) => t.id === 'select' || engine.config.tools.includes(t.id));
  return (
    <nav className="ie-rail" aria-label="Tools">
      {offered.map((t) => (
        <button
          key={t.id}
          type="button"
          className="ie-tool"
          aria-pressed={tool === t.id}
          data-testid={`tool-${t.id}`}
          title={keys.tip(`tool:${t.id}`)}
          aria-label={`${t.name} tool`}
          onClick={() => engine.setTool(t.id)}
        >
          <StrokeIcon d={t.icon} size={18} />
          <kbd aria-hidden="true">{t.key}</kbd>
        </button>
      ))}
    </nav>
  );
}

export function TopBar({
  engine,
  keys,
  onCheatSheet,
}: {
  engine: ImageEditorEngine;
  keys: Keys;
  onCheatSheet(): void;
}) {
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
          title={keys.tip('undo')}
          aria-label="Undo"
          data-testid="undo"
        >
          <StrokeIcon d={UNDO_ICON} size={16} />
        </button>
        <button
          type="button"
          className="ie-btn"
          disabled={!flags.includes('r')}
          onClick={() => engine.redo()}
          title={keys.tip('redo')}
          aria-label="Redo"
          data-testid="redo"
        >
          <StrokeIcon d={REDO_ICON} size={16} />
        </button>
      </div>
      <div className="ie-group">
        <button
          type="button"
          className="ie-btn"
          onClick={() => engine.zoomBy(1 / 1.25)}
          title={keys.tip('zoom-out')}
          aria-label="Zoom out"
          data-testid="zoom-out"
        >
          −
        </button>
        <span className="ie-zoom" data-testid="zoom">
          {Math.round(scale * 100)}%
        </span>
        <button
          type="button"
          className="ie-btn"
          onClick={() => engine.zoomBy(1.25)}
          title={keys.tip('zoom-in')}
          aria-label="Zoom in"
          data-testid="zoom-in"
        >
          +
        </button>
        <button type="button" className="ie-btn ie-text" onClick={() => engine.fit()} title={keys.tip('fit')}>
          Fit
        </button>
        <button
          type="button"
          className="ie-btn ie-text"
          onClick={() => engine.actualSize()}
          title={keys.tip('actual')}
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
          title={keys.tip('toggle-labels')}
        >
          Labels
        </button>
        <button
          type="button"
          className="ie-btn ie-text"
          aria-pressed={view.includes('x')}
          onClick={() => engine.session.set((s) => ({ crosshair: !s.crosshair }))}
          title={keys.tip('toggle-crosshair')}
        >
          Crosshair
        </button>
      </div>
      <label className="ie-slider" title="Brightness">
        <StrokeIcon d={SUN} />
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
        <StrokeIcon d={HALF} />
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
        data-testid="shortcuts"
      >
        <kbd aria-hidden="true">?</kbd> Keys
      </button>
    </div>
  );
}
