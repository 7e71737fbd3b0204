import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, type MouseEvent } from 'react';
import { observeRectLater, scrollLater, windowRect } from '../core/virtual-list';
import { BlockView } from './BlockView';
import { cpAtPoint, domPointToCp, readDomSelection } from './dom-offsets';
import { RelationArrows } from './RelationArrows';
import { type TextMarks, withGhosts } from './review-marks';
import type { TextEditorModel, TextSession } from './text-model';

/** Rough height of a block before it is measured: ~95 characters a line. */
const estimate = (chars: number): number => 30 * Math.max(1, Math.ceil(chars / 95)) + 8;

/**
 * The document, virtualized by block: only blocks near the viewport are in the DOM. Mouse
 * selections are read from the DOM selection through the runs' data attributes, snapped by the
 * model (Alt held at mouse-up: character precision), then the DOM selection is cleared and the
 * model's selection is drawn instead.
 */
export function DocumentView({
  model,
  session,
  version,
  title,
  language,
  marks = null,
}: {
  model: TextEditorModel;
  /** Review overlay (diff, pinned comments, removed spans); null: none. */
  marks?: TextMarks | null;
  session: TextSession;
  version: number;
  title?: string | undefined;
  /** BCP 47 tag of the text (task, else project): fonts, line breaking, screen-reader voice. */
  language?: string | undefined;
}) {
  const { doc } = model;
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  /** Mouse held since an edge handle was pressed (also after Esc ended the drag itself). */
  const handleHeld = useRef(false);
  const virtualizer = useVirtualizer({
    count: doc.blocks.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => estimate(doc.blocks[i]!.text.length),
    overscan: 4,
    paddingStart: title ? 74 : 24,
    paddingEnd: 40,
    // The blocks are laid out in flow (one translated column), so an estimate never overlaps
    // them: the first render fills the window, and measuring waits for the frame's layout.
    initialRect: windowRect(),
    observeElementRect: observeRectLater,
    scrollToFn: scrollLater,
  });
  const items = virtualizer.getVirtualItems();

  // Bring a span chosen from the list or with Tab into view (a clicked one is already visible).
  const selected = session.selectedSpan ? model.index.spans.get(session.selectedSpan) : undefined;
  const reveal = session.reveal ? model.index.spans.get(session.reveal) : undefined;
  useEffect(() => {
    if (!reveal) return;
    const el = scrollRef.current?.querySelector(`[data-chip="${CSS.escape(reveal.id)}"]`);
    if (el) el.scrollIntoView({ block: 'nearest' });
    else virtualizer.scrollToIndex(doc.blockAt(reveal.start), { align: 'center' });
    model.session.set({ reveal: null });
  }, [reveal, doc, virtualizer, model]);

  // Dragging an edge handle of the selected span: the model snaps and records one undo step;
  // the pointer is mapped to a code point through the rendered runs' data attributes.
  const onMouseDown = useCallback(
    (e: MouseEvent) => {
      const h = (e.target as Element).closest('[data-handle]');
      const id = model.session.get().selectedSpan;
      if (!h || !id || e.button !== 0) return;
      e.preventDefault();
      const edge = h.getAttribute('data-handle') === 'start' ? 'start' : 'end';
      if (!model.drag.begin(id, edge)) return;
      handleHeld.current = true;
      const move = (ev: globalThis.MouseEvent) => {
        const pane = scrollRef.current;
        if (!model.session.get().edgeDrag || !pane) return;
        const box = pane.getBoundingClientRect();
        // Near the pane's top or bottom the document scrolls, so an edge can go past the view.
        if (ev.clientY < box.top + 24) pane.scrollTop -= 24;
        else if (ev.clientY > box.bottom - 24) pane.scrollTop += 24;
        const cp = cpAtPoint(doc, pane, ev.clientX, ev.clientY);
        if (cp !== null) model.drag.moveTo(cp, ev.altKey);
      };
      const up = () => {
        stop();
        model.drag.end(true);
      };
      const stop = () => {
        handleHeld.current = false;
        window.removeEventListener('mousemove', move);
        window.removeEventListener('mouseup', up);
        window.removeEventListener('blur', up);
      };
      window.addEventListener('mousemove', move);
      window.addEventListener('mouseup', up);
      // A release the window never sees (focus lost mid-drag) still closes the undo step.
      window.addEventListener('blur', up);
    },
    [doc, model],
  );

  const onMouseUp = useCallback(
    (e: MouseEvent) => {
      // The end of an edge drag (or of one Esc cancelled): the window listener finishes it; not a click.
      if (handleHeld.current) return;
      // The second click of a double click: `onDoubleClick` selects the word.
      if (e.detail === 2) return;
      const sel = window.getSelection();
      if (sel && sel.rangeCount > 0 && !sel.isCollapsed) {
        const points = scrollRef.current ? readDomSelection(doc, scrollRef.current) : null;
        if (!points) return;
        const range = model.select(points[0], points[1], e.altKey);
        const armed = model.session.get().armedLabel;
        if (range && armed) model.createSpan(range[0], range[1], armed);
        return;
      }
      // A click: a chip or an underlined run picks a span (the innermost); elsewhere sets the caret.
      const target = e.target as Element;
      const chip = target.closest('[data-chip]');
      const run = target.closest('[data-spans]');
      const ids = chip
        ? [chip.getAttribute('data-chip')!]
        : (run?.getAttribute('data-spans')?.split(' ') ?? []);
      if (ids.length > 0) {
        const cur = model.session.get().selectedSpan;
        // Clicking the same place again cycles through the spans stacked there.
        const at = cur ? ids.indexOf(cur) : -1;
        const pick =
          at >= 0 && ids.length > 1 ? ids[(at + ids.length - 1) % ids.length]! : ids[ids.length - 1]!;
        model.pickSpan(pick);
        return;
      }
      const cp = sel?.anchorNode ? domPointToCp(doc, sel.anchorNode, sel.anchorOffset) : null;
      model.session.set({
        selection: cp === null ? null : { anchor: cp, focus: cp },
        selectedSpan: null,
        selectedRelation: null,
      });
    },
    [doc, model],
  );

  // A double click selects the word under the pointer as the segmenter sees it (emoji ZWJ
  // sequences, flags and hyphenated words whole), not Chromium's own word, which is empty on emoji.
  const onDoubleClick = useCallback(
    (e: MouseEvent) => {
      const pane = scrollRef.current;
      if (!pane || (e.target as Element).closest('[data-chip],[data-handle]')) return;
      const cp = cpAtPoint(doc, pane, e.clientX, e.clientY);
      if (cp === null) return;
      window.getSelection()?.removeAllRanges();
      const word = model.seg.wordAt(cp, 'start') ?? model.seg.wordAt(cp, 'end');
      if (!word) return;
      const range = model.select(word.start, word.end, false);
      const armed = model.session.get().armedLabel;
      if (range && armed) model.createSpan(range[0], range[1], armed);
    },
    [doc, model],
  );

  const range = model.selectionRange();
  const caret =
    session.selection && session.selection.anchor === session.selection.focus ? session.selection.focus : -1;
  const selectedId = session.selectedSpan;
  const colorOf = useCallback((label: string) => model.labelColor(label), [model]);
  const renderKey = `${version}:${session.scoreThreshold}:${items.map((i) => i.index).join(',')}:${virtualizer.getTotalSize()}`;

  return (
    <div
      ref={scrollRef}
      className={`tt-doc${session.armedLabel || session.relationFrom ? ' is-armed' : ''}${session.edgeDrag ? ' is-dragging' : ''}`}
      data-testid="text-view"
      data-dragging={session.edgeDrag?.edge}
      tabIndex={0}
      role="region"
      aria-roledescription="text to label"
      aria-label={`Text to label${title ? `: ${title}` : ''}. Select with Shift and the arrow keys, then press a label key.`}
      lang={language}
      onMouseDown={onMouseDown}
      onMouseUp={onMouseUp}
      onDoubleClick={onDoubleClick}
    >
      <div ref={contentRef} className="tt-doc-content" style={{ height: virtualizer.getTotalSize() }}>
        {title && (
          <h2 className="tt-title" dir="auto">
            {title}
          </h2>
        )}
        <div className="tt-blocks" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
          {items.map((item) => {
            const block = doc.blocks[item.index]!;
            const clip = range && range[0] <= block.cpEnd && range[1] >= block.cpStart;
            const selTouches = selected && selected.start <= block.cpEnd && selected.end >= block.cpStart;
            return (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement}>
                <BlockView
                  doc={doc}
                  block={block}
                  spans={withGhosts(model.shown.inBlock(item.index), marks?.ghosts.get(item.index))}
                  marks={marks}
                  selStart={clip ? Math.max(range[0], block.cpStart) : -1}
                  selEnd={clip ? Math.min(range[1], block.cpEnd) : -1}
                  caret={caret >= block.cpStart && caret <= block.cpEnd ? caret : -1}
                  selectedId={selTouches ? selectedId : null}
                  relationFromId={session.relationFrom?.spanId ?? null}
                  colorOf={colorOf}
                  dir={model.direction ?? 'auto'}
                />
              </div>
            );
          })}
        </div>
        <RelationArrows
          model={model}
          contentRef={contentRef}
          renderKey={renderKey}
          selectedId={session.selectedRelation}
        />
      </div>
    </div>
  );
}
