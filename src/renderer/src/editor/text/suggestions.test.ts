import { describe, expect, it } from 'vitest';
import { Annotation, LabelConfig, type Prediction, type SpanResult } from '../../../../shared/model';
import project from '../../../../../resources/demo/text-project.json';
import { DEMO_TEXTS } from './demo-texts';
import { textKeys } from './text-keys';
import { TextEditorModel } from './text-model';

const config = LabelConfig.parse(project.labelConfig);
const empty: Annotation = { results: [], activeMs: 0 };
const text = DEMO_TEXTS[0]!.text;
const cpOf = (needle: string): number => [...text.slice(0, text.indexOf(needle))].length;
const span = (id: string, label: string, needle: string, score?: number) => ({
  type: 'span' as const,
  id,
  label,
  start: cpOf(needle),
  end: cpOf(needle) + [...needle].length,
  text: needle,
  attributes: {},
  ...(score === undefined ? {} : { score }),
});
const predictions: Prediction[] = [
  {
    model: 'ner-v2',
    score: 0.7,
    results: [
      span('p-per', 'PER', 'Nguyễn Thị Lan', 0.95),
      span('p-org', 'ORG', 'Outrigger Labs', 0.6),
      span('p-loc', 'LOC', 'Hà Nội', 0.3),
      span('p-date', 'DATE', '3 March 2025'), // no score of its own: the prediction's 0.7
      { type: 'relation', id: 'p-rel', label: 'works_for', from: 'p-per', to: 'p-org' },
      { type: 'doc-class', id: 'p-sent', group: 'sentiment', labels: ['positive'], score: 0.9 },
      { type: 'doc-class', id: 'p-topic', group: 'topics', labels: ['business'], score: 0.2 },
    ],
  },
];
const open = (initial: Annotation = empty) => new TextEditorModel({ text, config, initial, predictions });
const ids = (m: TextEditorModel) =>
  m
    .suggestions()
    .map((r) => r.id)
    .sort();
const spanIds = (a: Annotation) =>
  a.results.filter((r): r is SpanResult => r.type === 'span').map((s) => s.id);
const key = (code: string, key: string) => ({
  key,
  code,
  shiftKey: false,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
});

describe('score threshold', () => {
  it('hides suggestions below it, spans and classes and relations whose spans hide', () => {
    const m = open();
    expect(ids(m)).toHaveLength(7);
    m.setScoreThreshold(0.65);
    expect(ids(m)).toEqual(['p-date', 'p-per', 'p-sent']);
    expect(m.shown.sorted().map((s) => s.id)).toEqual(['p-per', 'p-date']);
    const block = m.doc.blockAt(cpOf('Outrigger'));
    expect(m.shown.inBlock(block).map((s) => s.id)).not.toContain('p-org');
    // Nothing hidden: the index's own list, so the view's memo holds.
    m.setScoreThreshold(0);
    expect(m.shown.inBlock(block)).toBe(m.index.inBlock(block));
  });

  it('accept all and reject all act on the shown ones only', () => {
    const m = open();
    m.setScoreThreshold(0.5);
    m.acceptSuggestions();
    const a = m.annotation();
    expect(spanIds(a)).toEqual(['p-per', 'p-org', 'p-date']);
    expect(a.results.filter((r) => r.type === 'relation').map((r) => r.id)).toEqual(['p-rel']);
    expect(a.results.find((r) => r.type === 'doc-class')).toMatchObject({
      group: 'sentiment',
      labels: ['positive'],
    });
    m.setScoreThreshold(0);
    expect(ids(m)).toEqual(['p-loc', 'p-topic']);
    m.undo();
    m.setScoreThreshold(0.5);
    m.rejectSuggestions();
    expect(m.annotation().dismissedSuggestions).toEqual(['p-date', 'p-org', 'p-per', 'p-rel', 'p-sent']);
    m.setScoreThreshold(0);
    expect(ids(m)).toEqual(['p-loc', 'p-topic']);
  });

  it('moves in 5% steps with - and =, and deselects a span it hides', () => {
    const m = open();
    m.pickSpan('p-loc');
    const keys = textKeys(m.config);
    const press = (k: ReturnType<typeof key>) => keys.dispatch(k, { model: m, paneFocused: true });
    for (let i = 0; i < 7; i++) expect(press(key('Equal', '='))).toBe('threshold-up');
    expect(m.session.get().scoreThreshold).toBeCloseTo(0.35);
    expect(m.session.get().selectedSpan).toBeNull();
    press(key('Minus', '-'));
    expect(m.session.get().scoreThreshold).toBeCloseTo(0.3);
    m.setScoreThreshold(7);
    expect(m.session.get().scoreThreshold).toBe(1);
  });
});

describe('rejected suggestions survive reopen', () => {
  it('saves rejected ids (undoably) and does not offer them, nor accepted ones, again', () => {
    const m = open();
    m.rejectSuggestions(['p-loc']);
    m.rejectSuggestions(['p-sent']);
    m.acceptSuggestions(['p-per']);
    m.setSpanLabel('p-date', 'MISC'); // edited = accepted
    expect(m.annotation().dismissedSuggestions).toEqual(['p-loc', 'p-sent']);
    m.undo();
    m.undo();
    m.undo();
    expect(m.annotation().dismissedSuggestions).toEqual(['p-loc']);
    m.redo();
    m.redo();
    m.redo();
    const saved = Annotation.parse(JSON.parse(JSON.stringify(m.annotation())));
    const again = open(saved);
    expect(ids(again)).toEqual(['p-org', 'p-rel', 'p-topic']);
    // Accepted ones are there once, as plain spans.
    expect(spanIds(again.annotation())).toEqual(['p-per', 'p-date']);
    expect(again.index.sorted.filter((s) => s.id === 'p-per')).toHaveLength(1);
    // Saving again keeps the earlier rejections.
    expect(again.annotation().dismissedSuggestions).toEqual(['p-loc', 'p-sent']);
  });

  it('rejecting a span takes its suggested relation along; deleting an accepted one dismisses it', () => {
    const m = open();
    m.rejectSuggestions(['p-org']);
    expect(m.index.relations.has('p-rel')).toBe(false);
    m.acceptSuggestions(['p-per']);
    m.deleteSpans(['p-per']);
    expect(m.annotation().dismissedSuggestions).toEqual(['p-org', 'p-per', 'p-rel']);
    const again = open(m.annotation());
    expect(ids(again)).toEqual(['p-date', 'p-loc', 'p-sent', 'p-topic']);
  });

  it('an accepted class is not offered again even after its option is unchosen', () => {
    const m = open();
    m.acceptSuggestions(['p-sent']);
    m.toggleClass('sentiment', 'positive');
    m.toggleClass('sentiment', 'neutral');
    const again = open(m.annotation());
    expect(ids(again)).not.toContain('p-sent');
  });

  it('accepting a relation accepts its spans, so nothing saved points at a suggestion', () => {
    const m = open();
    m.acceptSuggestions(['p-rel']);
    expect(spanIds(m.annotation())).toEqual(['p-per', 'p-org']);
  });

  it('labelling exactly what a suggestion says accepts it; a span drawn the same is not re-offered', () => {
    const m = open();
    const s = cpOf('Hà Nội');
    m.select(s, s + 6, false);
    m.applyLabel('LOC');
    expect(m.session.get().selectedSpan).toBe('p-loc');
    expect(spanIds(m.annotation())).toEqual(['p-loc']);
    const d = cpOf('3 March 2025');
    const drawn: Annotation = {
      results: [
        {
          type: 'span',
          id: 'mine',
          label: 'DATE',
          start: d,
          end: d + 12,
          text: '3 March 2025',
          attributes: {},
        },
      ],
      activeMs: 0,
    };
    expect(ids(open(drawn))).not.toContain('p-date');
  });
});

describe('two predictions numbering their results alike', () => {
  const twin: Prediction[] = [
    { model: 'a', results: [span('s1', 'PER', 'Nguyễn Thị Lan'), span('s2', 'ORG', 'Outrigger Labs')] },
    {
      model: 'b',
      results: [
        span('s1', 'LOC', 'Hà Nội'),
        span('s2', 'DATE', '3 March 2025'),
        { type: 'relation', id: 'r1', label: 'located_in', from: 's1', to: 's2' },
      ],
    },
  ];
  const openTwin = (initial: Annotation = empty) =>
    new TextEditorModel({ text, config, initial, predictions: twin });

  it('shows both, the later under model:id, its relation joining its own spans', () => {
    const m = openTwin();
    expect(ids(m)).toEqual(['b:s1', 'b:s2', 'r1', 's1', 's2']);
    const rel = m.suggestions().find((r) => r.id === 'r1');
    expect(rel).toMatchObject({ from: 'b:s1', to: 'b:s2' });
    expect(m.suggestions().find((r) => r.id === 'b:s1')).toMatchObject({ label: 'LOC', text: 'Hà Nội' });
  });

  it('a rejected one stays rejected on reopening, and the other model’s twin is still offered', () => {
    const m = openTwin();
    m.rejectSuggestions(['b:s1']);
    m.acceptSuggestions(['s1']);
    const saved = m.annotation();
    expect(saved.dismissedSuggestions).toContain('b:s1');
    const again = openTwin(saved);
    expect(ids(again)).toEqual(['b:s2', 's2']);
    expect(spanIds(again.annotation())).toEqual(['s1']);
  });
});
