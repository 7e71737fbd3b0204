import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LabelConfig, type Annotation, type SpanResult } from '../../../../shared/model';
import project from '../../../../../resources/demo/text-project.json';
import { TextDoc } from './doc';
import { Segmentation } from './segment';
import { edgeRange, snapEdge } from './span-edges';
import { TextEditorModel } from './text-model';

const config = LabelConfig.parse(project.labelConfig);
const empty: Annotation = { results: [], activeMs: 0 };
const setup = (text: string) => {
  const doc = new TextDoc(text);
  return { doc, seg: new Segmentation(doc) };
};
const cpOf = (text: string, needle: string): number => [...text.slice(0, text.indexOf(needle))].length;
const cut = (doc: TextDoc, r: [number, number]): string => [...doc.text].slice(r[0], r[1]).join('');

const VI = 'Nguyễn Thị Lan joined Outrigger Labs in Hà Nội on 3 March 2025.';
const EMOJI = 'Team 👩🏽‍💻 and 👍🏽 met in Đà Nẵng.\r\nNext line here.';

describe('snapEdge', () => {
  it('takes the whole word under the pointer: start to its start, end to its end', () => {
    const { doc, seg } = setup(VI);
    const inLabs = cpOf(doc.text, 'abs');
    expect(snapEdge(seg, inLabs, 'start', false)).toBe(cpOf(doc.text, 'Labs'));
    expect(snapEdge(seg, inLabs, 'end', false)).toBe(cpOf(doc.text, 'Labs') + 4);
    // From a gap: a start goes to the next word, an end back to the previous one.
    const gap = cpOf(doc.text, ' in Hà') + 1; // just before "in"… at its start
    expect(snapEdge(seg, gap - 1, 'start', false)).toBe(gap);
    expect(snapEdge(seg, gap - 1, 'end', false)).toBe(cpOf(doc.text, 'Labs') + 4);
    // A word's own edge belongs to it from the side it bounds.
    expect(snapEdge(seg, gap, 'start', false)).toBe(gap);
    expect(snapEdge(seg, cpOf(doc.text, 'Labs') + 4, 'end', false)).toBe(cpOf(doc.text, 'Labs') + 4);
  });

  it('with precision snaps to the nearest grapheme boundary, never inside a cluster', () => {
    const { doc, seg } = setup(EMOJI);
    const e = cpOf(doc.text, '👩🏽‍💻');
    const len = [...'👩🏽‍💻'].length; // 4 code points, one cluster
    for (let k = 0; k <= len; k++) {
      const at = snapEdge(seg, e + k, 'end', true);
      expect([e, e + len]).toContain(at);
    }
    // CR LF is one cluster: never an edge between them.
    const cr = cpOf(doc.text, '\r');
    expect(snapEdge(seg, cr + 1, 'start', true)).not.toBe(cr + 1);
  });
});

describe('edgeRange', () => {
  it('moves one edge and keeps at least a word (or a cluster) in the span', () => {
    const { doc, seg } = setup(VI);
    const labs = cpOf(doc.text, 'Outrigger Labs');
    const span = { start: labs, end: labs + 14 };
    // End dragged into "Hà": the span grows to the end of that word.
    expect(cut(doc, edgeRange(seg, span, 'end', cpOf(doc.text, 'à Nội'), false))).toBe(
      'Outrigger Labs in Hà',
    );
    // End dragged before the start: it stops after the first word.
    expect(cut(doc, edgeRange(seg, span, 'end', 0, false))).toBe('Outrigger');
    // Start dragged past the end: it stops at the last word.
    expect(cut(doc, edgeRange(seg, span, 'start', doc.cpLength, false))).toBe('Labs');
    // Precise: one cluster short.
    expect(cut(doc, edgeRange(seg, span, 'start', doc.cpLength, true))).toBe('s');
    // Start dragged left into "Thị" (word mode) and into the middle of "joined" (precise).
    expect(cut(doc, edgeRange(seg, span, 'start', cpOf(doc.text, 'hị'), false))).toBe(
      'Thị Lan joined Outrigger Labs',
    );
    expect(cut(doc, edgeRange(seg, span, 'start', cpOf(doc.text, 'ned'), true))).toBe('ned Outrigger Labs');
  });

  it('never splits a cluster or empties a span, for any pointer offset (property)', () => {
    const text = `${EMOJI} ${VI} नमस्ते दुनिया สวัสดีครับ`;
    const { doc, seg } = setup(text);
    const n = doc.cpLength;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: n }),
        fc.integer({ min: 0, max: n }),
        fc.integer({ min: 0, max: n }),
        fc.boolean(),
        fc.boolean(),
        (a, b, cp, precise, startEdge) => {
          const [s0, e0] = seg.snapGraphemes(Math.min(a, b), Math.max(a, b));
          if (s0 >= e0) return;
          const [s, e] = edgeRange(seg, { start: s0, end: e0 }, startEdge ? 'start' : 'end', cp, precise);
          expect(s).toBeLessThan(e);
          expect(seg.isGraphemeBoundary(s)).toBe(true);
          expect(seg.isGraphemeBoundary(e)).toBe(true);
          // Only the dragged edge moves.
          if (startEdge) expect(e).toBe(e0);
          else expect(s).toBe(s0);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('dragging an edge in the model', () => {
  const spansOf = (a: Annotation) => a.results.filter((r): r is SpanResult => r.type === 'span');

  it('is one undo step however many moves; Esc (rollback) restores the span', () => {
    const m = new TextEditorModel({ text: VI, config, initial: empty });
    const s = cpOf(VI, 'Outrigger');
    m.select(s, s + 9, false);
    m.applyLabel('ORG');
    const id = m.session.get().selectedSpan!;
    m.drag.begin(id, 'end');
    for (const w of ['Labs', 'in', 'Hà', 'Nội']) m.drag.moveTo(cpOf(VI, w) + 1, false);
    m.drag.moveTo(cpOf(VI, 'in Hà') + 1, false);
    m.drag.end(true);
    expect(m.index.spans.get(id)!.text).toBe('Outrigger Labs in');
    const saved = spansOf(m.annotation())[0]!;
    expect([...VI].slice(saved.start, saved.end).join('')).toBe(saved.text);
    m.undo();
    expect(m.index.spans.get(id)!.text).toBe('Outrigger');
    m.redo();
    expect(m.index.spans.get(id)!.text).toBe('Outrigger Labs in');

    m.drag.begin(id, 'start');
    m.drag.moveTo(cpOf(VI, 'joined') + 2, true);
    expect(m.index.spans.get(id)!.text).toBe('ined Outrigger Labs in');
    m.drag.end(false);
    expect(m.index.spans.get(id)!.text).toBe('Outrigger Labs in');
    expect(m.session.get().edgeDrag).toBeNull();
    // The rollback left no undo step of its own: one undo goes back to before the first drag.
    m.undo();
    expect(m.index.spans.get(id)!.text).toBe('Outrigger');
  });

  it('dragging a suggestion accepts it', () => {
    const start = cpOf(VI, 'Hà Nội');
    const m = new TextEditorModel({
      text: VI,
      config,
      initial: empty,
      predictions: [
        {
          model: 'ner',
          results: [
            { type: 'span', id: 'p1', label: 'LOC', start, end: start + 2, text: 'Hà', attributes: {} },
          ],
        },
      ],
    });
    m.pickSpan('p1');
    m.drag.begin('p1', 'end');
    m.drag.moveTo(start + 4, false);
    m.drag.end(true);
    expect(spansOf(m.annotation())).toMatchObject([{ id: 'p1', text: 'Hà Nội' }]);
  });
});
