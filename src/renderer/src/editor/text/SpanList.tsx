import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type CSSProperties } from 'react';
import { observeRectLater, scrollLater } from '../core/virtual-list';
import type { TextEditorModel } from './text-model';

const ROW = 30;
/** `.tt-span-list`'s height, until its ResizeObserver reports the real one. */
const INITIAL_RECT = { width: 0, height: 300 };

/** Every span in text order, virtualized (5,000 rows render as ~20). */
export function SpanList({
  model,
  version,
  selectedId,
}: {
  model: TextEditorModel;
  version: number;
  selectedId: string | null;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // Without suggestions the score threshold hides (the index's own list when none hide).
  const list = model.shown.sorted();
  const virtualizer = useVirtualizer({
    count: list.length,
    getScrollElement: () => ref.current,
    estimateSize: () => ROW,
    overscan: 4,
    initialRect: INITIAL_RECT,
    observeElementRect: observeRectLater,
    scrollToFn: scrollLater,
  });
  const selected = selectedId ? model.index.spans.get(selectedId) : undefined;
  useEffect(() => {
    if (!selected) return;
    const i = list === model.index.sorted ? model.index.listIndexOf(selected) : list.indexOf(selected);
    if (i >= 0) virtualizer.scrollToIndex(i, { align: 'auto' });
  }, [selected, model, virtualizer, version, list]);

  if (list.length === 0)
    return <p className="tt-empty">No spans yet. Select text, then press a label key.</p>;
  return (
    <div ref={ref} className="tt-span-list" data-testid="span-list">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const s = list[item.index]!;
          return (
            <button
              type="button"
              key={s.id}
              className={`tt-span-row${s.id === selectedId ? ' is-selected' : ''}${s.suggestion ? ' is-suggestion' : ''}`}
              style={
                {
                  transform: `translateY(${item.start}px)`,
                  '--c': model.labelColor(s.label),
                } as CSSProperties
              }
              data-span-id={s.id}
              onClick={() => model.pickSpan(s.id, true)}
              title={`${s.label} [${s.start}, ${s.end})${s.suggestion ? ` — suggested by ${s.suggestion}` : ''}`}
            >
              <span className="tt-row-label">{s.label}</span>
              <span className="tt-row-text" dir="auto">
                {s.text.replace(/\s+/g, ' ')}
              </span>
              <span className="tt-row-off">{s.start}</span>
            </button>
          );
        })}
      </div>
    </div>
  );
}
