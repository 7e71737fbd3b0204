import { useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { observeRectLater, scrollLater } from '../../core/virtual-list';
import type { ImageEditorEngine } from '../engine/engine';
import type { Region } from '../engine/records';
import type { ImageSession } from '../engine/session';
import { regionKind } from '../kinds';
import { StrokeIcon } from '../../stroke-icon';
import { useDocVersion, useSession } from './use-engine';

const ROW = 30;
/**
 * The list's height before its ResizeObserver reports it: `.ie-list`'s 360 px cap, its height
 * on any window over 900 px tall. Rows past the view cost a switched-to editor's first layout.
 */
const INITIAL_RECT = { width: 0, height: 360 };
/** Rows kept beyond each end of the view: enough for a wheel notch, few to lay out on a switch. */
const OVERSCAN = 3;

/** Suggestions are listed in their own panel. `_version` ties the memo to the store's changes. */
const listRows = (engine: ImageEditorEngine, _version: number): Region[] =>
  engine.regions().filter((r) => !r.suggested);

const EYE = 'M2 12s3.5-6 10-6 10 6 10 6-3.5 6-10 6S2 12 2 12zM12 9.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z';
const EYE_OFF =
  'M3 3l18 18M10.6 6.1A10 10 0 0 1 12 6c6.5 0 10 6 10 6a17 17 0 0 1-3.2 3.8M6.4 7.6C3.7 9.3 2 12 2 12s3.5 6 10 6a9.7 9.7 0 0 0 4.2-.9';
const LOCK = 'M6 11h12v9H6zM8.5 11V8a3.5 3.5 0 0 1 7 0v3';
const UNLOCK = 'M6 11h12v9H6zM8.5 11V8a3.5 3.5 0 0 1 6.8-1.2';
const FOCUS = 'M12 3v4M12 17v4M3 12h4M17 12h4M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6z';

const pickSel = (s: ImageSession) => s.selected;
const pickHidden = (s: ImageSession) => s.hidden;
const pickLocked = (s: ImageSession) => s.locked;

/**
 * Every region in one list, virtualized: only the rows in view are in the DOM, so 10,000 regions
 * cost the same as 20. Click selects (shift adds), double-click focuses the camera on it.
 */
export function RegionList({ engine }: { engine: ImageEditorEngine }) {
  const version = useDocVersion(engine);
  const selected = useSession(engine, pickSel);
  const hidden = useSession(engine, pickHidden);
  const locked = useSession(engine, pickLocked);
  const rows = useMemo(() => listRows(engine, version), [engine, version]);
  const colors = useMemo(() => new Map(engine.config.labels.map((l) => [l.name, l.color])), [engine]);
  const scroller = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: OVERSCAN,
    initialRect: INITIAL_RECT,
    observeElementRect: observeRectLater,
    scrollToFn: scrollLater,
  });

  return (
    <section className="panel-section ie-regions">
      <h3 className="panel-title">
        Regions{' '}
        <span className="panel-hint" data-testid="region-count">
          {rows.length}
        </span>
      </h3>
      {rows.length === 0 ? (
        <p className="ie-empty">No regions yet. Pick a tool and draw on the image.</p>
      ) : (
        <div ref={scroller} className="ie-list" data-testid="region-list">
          <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
            {virt.getVirtualItems().map((v) => {
              const r = rows[v.index]!;
              const isHidden = hidden.has(r.id);
              const isLocked = locked.has(r.id);
              return (
                <div
                  key={r.id}
                  className="ie-row"
                  data-selected={selected.has(r.id) || undefined}
                  data-testid="region-row"
                  style={{ transform: `translateY(${v.start}px)`, height: ROW }}
                  onClick={(e) => engine.select([r.id], e.shiftKey ? 'toggle' : 'replace')}
                  onDoubleClick={() => engine.focus(r.id)}
                >
                  <span className="ie-swatch" style={{ background: colors.get(r.label) ?? '#868e96' }} />
                  <StrokeIcon d={regionKind(r).icon} className="ie-type" title={regionKind(r).name} />
                  <span className="ie-row-label" style={{ opacity: isHidden ? 0.45 : 1 }}>
                    {r.label}
                  </span>
                  <span className="ie-row-num">#{v.index + 1}</span>
                  {/* Laid out only when they matter (.ie-row-actions); H and Alt+K act on the selection. */}
                  <span className="ie-row-actions">
                    <RowButton
                      title={isHidden ? 'Show' : 'Hide'}
                      icon={isHidden ? EYE_OFF : EYE}
                      pressed={isHidden}
                      onPress={() => engine.setHidden([r.id])}
                    />
                    <RowButton
                      title={isLocked ? 'Unlock' : 'Lock'}
                      icon={isLocked ? LOCK : UNLOCK}
                      pressed={isLocked}
                      onPress={() => engine.setLocked([r.id])}
                    />
                    <RowButton
                      title="Focus"
                      icon={FOCUS}
                      onPress={() => {
                        engine.select([r.id]);
                        engine.focus(r.id);
                      }}
                    />
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}

/** One of a row's buttons: it acts on that row's region (a click on the row itself selects it). */
function RowButton({
  title,
  icon,
  pressed,
  onPress,
}: {
  title: string;
  icon: string;
  pressed?: boolean;
  onPress: () => void;
}) {
  return (
    <button
      type="button"
      className="ie-icon"
      aria-pressed={pressed}
      title={title}
      onClick={(e) => {
        e.stopPropagation();
        onPress();
      }}
    >
      <StrokeIcon d={icon} />
    </button>
  );
}
