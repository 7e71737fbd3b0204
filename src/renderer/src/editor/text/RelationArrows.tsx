import { useLayoutEffect, useState, type RefObject } from 'react';
import type { TextEditorModel } from './text-model';

interface Arrow {
  id: string;
  d: string;
  label: string;
  lx: number;
  ly: number;
  color: string;
}

/**
 * Relations as arrows between the label chips of their spans, for the spans currently rendered
 * (the view is virtualized; the side panel lists every relation). Positions are read from the
 * chips after each render, relative to the scrolled content, so scrolling needs no recompute.
 */
export function RelationArrows({
  model,
  contentRef,
  renderKey,
  selectedId,
}: {
  model: TextEditorModel;
  contentRef: RefObject<HTMLDivElement | null>;
  /** Changes whenever the rendered blocks or the document change. */
  renderKey: string;
  selectedId: string | null;
}) {
  const [arrows, setArrows] = useState<Arrow[]>([]);
  useLayoutEffect(() => {
    const root = contentRef.current;
    // No relations: nothing to measure (reading rects would force a layout on every render).
    if (!root || model.index.relations.size === 0) {
      setArrows((prev) => (prev.length === 0 ? prev : []));
      return;
    }
    const base = root.getBoundingClientRect();
    const out: Arrow[] = [];
    const chipRect = (id: string): DOMRect | null =>
      root.querySelector(`[data-chip="${CSS.escape(id)}"]`)?.getBoundingClientRect() ?? null;
    for (const r of model.index.relations.values()) {
      const a = chipRect(r.from);
      const b = chipRect(r.to);
      if (!a || !b) continue;
      const x1 = a.left + a.width / 2 - base.left;
      const y1 = a.top - base.top;
      const x2 = b.left + b.width / 2 - base.left;
      const y2 = b.top - base.top;
      const lift = Math.min(46, 16 + Math.abs(x2 - x1) * 0.08 + Math.abs(y2 - y1) * 0.1);
      const top = Math.min(y1, y2) - lift;
      const d = `M ${x1} ${y1} C ${x1} ${top}, ${x2} ${top}, ${x2} ${y2 - 2}`;
      out.push({
        id: r.id,
        d,
        label: r.label,
        lx: (x1 + x2) / 2,
        ly: top + lift * 0.25 - 3,
        color: model.relationColor(r.label),
      });
    }
    setArrows((prev) => (JSON.stringify(prev) === JSON.stringify(out) ? prev : out));
  }, [model, contentRef, renderKey]);

  if (arrows.length === 0) return null;
  return (
    <svg className="tt-arrows" aria-hidden="true">
      <defs>
        <marker
          id="tt-arrowhead"
          viewBox="0 0 8 8"
          refX="7"
          refY="4"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L8,4 L0,8 z" fill="context-stroke" />
        </marker>
      </defs>
      {arrows.map((a) => (
        <g
          key={a.id}
          className={a.id === selectedId ? 'tt-arrow is-selected' : 'tt-arrow'}
          data-relation={a.id}
          onMouseDown={(e) => {
            e.preventDefault();
            model.session.set({ selectedRelation: a.id, selectedSpan: null, selection: null });
          }}
        >
          <path d={a.d} className="tt-arrow-hit" />
          <path d={a.d} className="tt-arrow-line" markerEnd="url(#tt-arrowhead)" />
          <text x={a.lx} y={a.ly} className="tt-arrow-label" textAnchor="middle">
            {a.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
