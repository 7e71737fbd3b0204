import { describe, expect, it } from 'vitest';
import { LabelConfig, type Annotation, type SpanResult } from '../../../../shared/model';
import { TextEditorModel } from './text-model';
import { assignLanes, layoutRuns } from './layout';

import project from '../../../../../resources/demo/text-project.json';
import { DEMO_TEXTS as texts } from './demo-texts';

const config = LabelConfig.parse(project.labelConfig);
const empty: Annotation = { results: [], activeMs: 0 };
const cpOf = (text: string, needle: string): number => [...text.slice(0, text.indexOf(needle))].length;
const spansOf = (a: Annotation) => a.results.filter((r): r is SpanResult => r.type === 'span');
const checkInvariant = (text: string, a: Annotation) => {
  for (const s of spansOf(a)) expect([...text].slice(s.start, s.end).join('')).toBe(s.text);
};

const label = (m: TextEditorModel, needle: string, name: string, precise = false) => {
  const s = cpOf(m.doc.text, needle);
  m.select(s, s + [...needle].length, precise);
  m.applyLabel(name);
  return m.index.spans.get(m.session.get().selectedSpan!)!;
};

describe('TextEditorModel on the demo texts', () => {
  it('labels spans in every demo text and saves offsets that match the text', () => {
    for (const t of texts) {
      const m = new TextEditorModel({ text: t.text, config, initial: empty });
      const words = t.text
        .split(/[\s()]+/)
        .filter((w) => /\p{L}/u.test(w))
        .slice(0, 6);
      for (const w of words) label(m, w, 'MISC');
      const a = m.annotation();
      expect(spansOf(a).length).toBeGreaterThan(0);
      checkInvariant(m.doc.text, a);
      // Reopening from the saved annotation gives the same offsets.
      const again = new TextEditorModel({ text: t.text, config, initial: a });
      expect(again.annotation().results).toEqual(a.results);
    }
  });

  it('labels emoji and Vietnamese exactly', () => {
    const m = new TextEditorModel({ text: texts[0]!.text, config, initial: empty });
    const per = label(m, 'guyễn Thị La', 'PER');
    expect(per.text).toBe('Nguyễn Thị Lan');
    expect(per.start).toBe(0);
    const emoji = label(m, '🙂', 'MISC', true);
    expect(emoji.text).toBe('🙂');
    expect(emoji.end).toBe([...m.doc.text].indexOf('🙂') + 1);
    checkInvariant(m.doc.text, m.annotation());
  });

  it('relabels, nudges, deletes with relations, and undoes each as one step', () => {
    const m = new TextEditorModel({ text: texts[0]!.text, config, initial: empty });
    const per = label(m, 'Nguyễn Thị Lan', 'PER');
    const org = label(m, 'Outrigger Labs', 'ORG');
    m.session.set({ selectedSpan: per.id });
    m.startRelation('works_for');
    m.pickSpan(org.id);
    expect([...m.index.relations.values()]).toMatchObject([{ from: per.id, to: org.id, label: 'works_for' }]);
    m.setSpanLabel(org.id, 'LOC');
    expect(m.index.spans.get(org.id)!.label).toBe('LOC');
    m.nudgeSpan(org.id, 'end', 1, false);
    expect(m.index.spans.get(org.id)!.text).toBe('Outrigger Labs in');
    m.nudgeSpan(org.id, 'end', -1, false);
    m.nudgeSpan(org.id, 'start', 1, false);
    expect(m.index.spans.get(org.id)!.text).toBe('Labs');
    m.undo();
    expect(m.index.spans.get(org.id)!.text).toBe('Outrigger Labs');
    m.deleteSpans([org.id]);
    expect(m.index.relations.size).toBe(0);
    m.undo();
    expect(m.index.relations.size).toBe(1);
    expect(m.index.spans.get(org.id)!.label).toBe('LOC');
    m.redo();
    expect(m.index.spans.has(org.id)).toBe(false);
  });

  it('moves a selected span to a new selection (E), as one undo step', () => {
    const m = new TextEditorModel({ text: texts[0]!.text, config, initial: empty });
    const org = label(m, 'Outrigger', 'ORG');
    m.session.set({ selectedSpan: org.id });
    const s = cpOf(m.doc.text, 'Outrigger Labs');
    m.select(s, s + 12, false);
    expect(m.session.get().selectedSpan).toBe(org.id);
    expect(m.setSpanToSelection()).toBe(true);
    expect(m.index.spans.get(org.id)!.text).toBe('Outrigger Labs');
    m.undo();
    expect(m.index.spans.get(org.id)!.text).toBe('Outrigger');
  });

  it('stacks nested spans in lanes and cuts runs at every edge', () => {
    const m = new TextEditorModel({ text: texts[0]!.text, config, initial: empty });
    const outer = label(m, 'Outrigger Labs in Hà Nội', 'ORG');
    const inner = label(m, 'Hà Nội', 'LOC');
    label(m, 'Labs in', 'MISC');
    const b = m.doc.blocks[0]!;
    const lanes = assignLanes(b, m.index.inBlock(0));
    expect(lanes.count).toBe(2);
    expect(lanes.items.find((l) => l.span.id === outer.id)!.lane).toBe(0);
    const runs = layoutRuns(m.doc, b, lanes, { selection: null, caret: null });
    expect(runs.map((r) => r.text).join('')).toBe(b.text);
    const ha = runs.find((r) => r.text === 'Hà Nội')!;
    expect(ha.spans.map((s) => s.span.id)).toEqual([outer.id, inner.id]);
  });

  it('applies single and multi document classes', () => {
    const m = new TextEditorModel({ text: 'x', config, initial: empty });
    m.toggleClass('sentiment', 'positive');
    m.toggleClass('sentiment', 'negative');
    m.toggleClass('topics', 'business');
    m.toggleClass('topics', 'travel');
    m.toggleClass('topics', 'business');
    const classes = m.annotation().results.filter((r) => r.type === 'doc-class');
    expect(classes).toMatchObject([
      { group: 'sentiment', labels: ['negative'] },
      { group: 'topics', labels: ['travel'] },
    ]);
  });

  it('shows predictions as suggestions: accept one, edit one, reject the rest', () => {
    const text = texts[0]!.text;
    const at = (w: string) => [cpOf(text, w), cpOf(text, w) + [...w].length] as const;
    const [ps, pe] = at('Nguyễn Thị Lan');
    const [os, oe] = at('Outrigger Labs');
    const [ls, le] = at('Hà Nội');
    const predictions = [
      {
        model: 'ner-v1',
        score: 0.8,
        results: [
          { type: 'span' as const, id: 'p1', label: 'PER', start: ps, end: pe, text: '', attributes: {} },
          { type: 'span' as const, id: 'p2', label: 'PER', start: os, end: oe, text: '', attributes: {} },
          { type: 'span' as const, id: 'p3', label: 'LOC', start: ls, end: le, text: '', attributes: {} },
          { type: 'doc-class' as const, id: 'p4', group: 'sentiment', labels: ['positive'] },
        ],
      },
    ];
    const m = new TextEditorModel({ text, config, initial: empty, predictions });
    expect(m.suggestions()).toHaveLength(4);
    expect(spansOf(m.annotation())).toHaveLength(0);
    m.acceptSuggestions(['p1']);
    m.setSpanLabel('p2', 'ORG'); // edit = accept with a new label
    m.rejectSuggestions(['p3']);
    m.acceptSuggestions(); // the class
    const a = m.annotation();
    expect(spansOf(a).map((s) => [s.id, s.label, s.text])).toEqual([
      ['p1', 'PER', 'Nguyễn Thị Lan'],
      ['p2', 'ORG', 'Outrigger Labs'],
    ]);
    expect(a.results.find((r) => r.type === 'doc-class')).toMatchObject({ labels: ['positive'] });
    m.undo();
    expect(m.suggestions()).toHaveLength(1);
    // Reopening the draft offers neither the accepted suggestions nor the rejected one.
    expect(a.dismissedSuggestions).toEqual(['p3']);
    const re = new TextEditorModel({ text, config, initial: a, predictions });
    expect(re.suggestions()).toEqual([]);
  });

  it('refuses overlaps when the project forbids them and never splits a cluster', () => {
    const strict = LabelConfig.parse({ ...(project.labelConfig as object), allowOverlappingSpans: false });
    const m = new TextEditorModel({ text: 'Hi 👍🏽 there friend', config: strict, initial: empty });
    label(m, 'there friend', 'MISC');
    expect(m.createSpan(cpOf(m.doc.text, 'friend'), m.doc.cpLength, 'PER')).toBeNull();
    expect(m.session.get().notice).toMatch(/overlap/);
    const e = cpOf(m.doc.text, '👍🏽');
    expect(m.createSpan(e, e + 1, 'MISC')).toBeNull();
    expect(m.createSpan(e, e + 2, 'MISC')).not.toBeNull();
  });

  it('reports stored spans whose text does not match, keeping them', () => {
    const bad: Annotation = {
      results: [{ type: 'span', id: 'x', label: 'PER', start: 0, end: 2, text: 'zz', attributes: {} }],
      activeMs: 0,
    };
    const m = new TextEditorModel({ text: 'Hello', config, initial: bad });
    expect(m.problems[0]).toMatch(/differs/);
    expect(m.annotation().results).toHaveLength(1);
  });
});
