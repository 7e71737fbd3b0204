/**
 * DOM selection → code-point offsets through the data attributes the view puts on what it
 * renders: every text run carries `data-cp` (its start offset), label chips and the caret carry
 * the offset they stand at, every block `data-block-start`/`data-block-end`. The offset inside a
 * run's text node is UTF-16; it is converted with the document's own maps from the run's start,
 * never by counting characters across rendered nodes.
 */
import type { TextDoc } from './doc';

const asElement = (n: Node | null): Element | null =>
  !n ? null : n.nodeType === Node.ELEMENT_NODE ? (n as Element) : n.parentElement;

const attr = (el: Element, name: string): number | null => {
  const v = el.getAttribute(name);
  return v === null ? null : Number(v);
};

/** Offset of the start (or the end, with `atEnd`) of an element the view rendered. */
const elementEdge = (el: Element, atEnd: boolean): number | null => {
  const run = el.closest('[data-cp]');
  if (run) {
    const start = attr(run, 'data-cp');
    const end = attr(run, 'data-cp-end');
    return atEnd && end !== null ? end : start;
  }
  const block = el.closest('[data-block-start]');
  if (block) return attr(block, atEnd ? 'data-block-end' : 'data-block-start');
  return null;
};

export const domPointToCp = (doc: TextDoc, node: Node, offset: number): number | null => {
  if (node.nodeType === Node.TEXT_NODE) {
    const run = asElement(node)?.closest('[data-cp]');
    if (!run) return null;
    const start = attr(run, 'data-cp')!;
    // Chips and the caret are not text of the document: they stand at their run's start.
    if (!run.hasAttribute('data-run')) return start;
    return doc.u16ToCp(doc.cpToU16(start) + offset);
  }
  const el = node as Element;
  if (el.hasAttribute?.('data-run')) return offset === 0 ? attr(el, 'data-cp') : attr(el, 'data-cp-end');
  const child = el.childNodes[offset];
  if (child) {
    const c = asElement(child);
    if (c && c !== el) {
      const inner = c.matches('[data-cp]') ? c : c.querySelector('[data-cp]');
      if (inner) return attr(inner, 'data-cp');
    }
  }
  if (offset > 0) {
    const prev = asElement(el.childNodes[offset - 1] ?? null);
    if (prev && prev !== el) {
      const inner = prev.matches('[data-run]') ? prev : [...prev.querySelectorAll('[data-run]')].pop();
      if (inner) return attr(inner, 'data-cp-end');
    }
  }
  return elementEdge(el, offset > 0);
};

/**
 * The DOM selection inside `container` as [anchor, focus] code points, or null when there is
 * none (or it is collapsed). Used at mouse-up, and before a key when the mouse was released
 * outside the document (the mouse-up then never reached it).
 */
export const readDomSelection = (doc: TextDoc, container: Element): [number, number] | null => {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed || !sel.anchorNode || !sel.focusNode) return null;
  if (!container.contains(sel.anchorNode) || !container.contains(sel.focusNode)) return null;
  const a = domPointToCp(doc, sel.anchorNode, sel.anchorOffset);
  const f = domPointToCp(doc, sel.focusNode, sel.focusOffset);
  sel.removeAllRanges();
  return a === null || f === null ? null : [a, f];
};

/**
 * The code point under a screen point inside `container` (a drag of a span edge), through the
 * browser's caret hit test and the same data attributes as selections; null outside the text.
 */
export const cpAtPoint = (doc: TextDoc, container: Element, x: number, y: number): number | null => {
  let node: Node | null = null;
  let offset = 0;
  if (typeof document.caretPositionFromPoint === 'function') {
    const p = document.caretPositionFromPoint(x, y);
    if (p) [node, offset] = [p.offsetNode, p.offset];
  } else {
    const r = document.caretRangeFromPoint(x, y);
    if (r) [node, offset] = [r.startContainer, r.startOffset];
  }
  if (!node || !container.contains(node)) return null;
  return domPointToCp(doc, node, offset);
};
