import { describe, expect, it } from 'vitest';
import { ChoiceGroup } from '../../shared/model';
import { NotImported } from './parse';
import { readSpacy } from './spacy';
import { readTextJsonl } from './text-jsonl';
import { TextTasks } from './text-spans';

const TEXT = '😀 Anna e\u0301 Bob';
const NFC = TEXT.normalize('NFC');
const tasks = new TextTasks([
  { taskId: 'p:t1', sourceId: 't1', text: NFC },
  { taskId: 'p:t2', sourceId: 't2', text: 'other' },
]);
const groups = [
  ChoiceGroup.parse({
    name: 'sentiment',
    options: [
      { name: 'pos', color: '#ff0000' },
      { name: 'neg', color: '#ff0000' },
    ],
  }),
  ChoiceGroup.parse({
    name: 'topics',
    multiple: true,
    options: [
      { name: 'a', color: '#ff0000' },
      { name: 'b', color: '#ff0000' },
      { name: 'c', color: '#ff0000' },
    ],
  }),
];
const jsonl = (...lines: object[]) => lines.map((l) => JSON.stringify(l)).join('\n');

describe('spaCy JSONL import', () => {
  it('reads code-point spans (matched by meta id or by NFC text) and cats as classes', () => {
    const n = new NotImported();
    const r = readSpacy(
      jsonl(
        {
          text: TEXT,
          spans: [{ start: 2, end: 6, label: 'PER', score: 0.9 }],
          cats: { pos: 0.2, neg: 0.7, a: 0.6, b: 0.9, c: 0.1, zz: 1 },
        },
        { text: 'other', ents: [{ start: 0, end: 5, label: 'X' }], meta: { source_id: 't2' } },
        { text: 'unknown', spans: [] },
      ),
      'p.jsonl',
      tasks,
      groups,
      n,
    );
    expect(r.unmatched).toEqual(['line 3']);
    expect(r.found.map((f) => f.task.sourceId)).toEqual(['t1', 't2']);
    expect(r.found[0]!.results).toEqual([
      {
        type: 'span',
        id: 'spacy-1-1',
        label: 'PER',
        start: 2,
        end: 6,
        text: 'Anna',
        attributes: {},
        score: 0.9,
      },
      { type: 'doc-class', id: 'spacy-1-c0', group: 'sentiment', labels: ['neg'], score: 0.7 },
      { type: 'doc-class', id: 'spacy-1-c1', group: 'topics', labels: ['b', 'a'], score: 0.6 },
    ]);
    expect(r.found[1]!.results[0]).toMatchObject({ label: 'X', text: 'other' });
    expect(n.list()).toEqual([
      { reason: "spaCy cats that are no option of the project's class groups", count: 1 },
    ]);
  });

  it('names the file, line, JSON path and field', () => {
    const read =
      (...l: object[]) =>
      () =>
        readSpacy(jsonl(...l), 'p.jsonl', tasks, groups, new NotImported());
    expect(read({ text: 'other', spans: [{ start: 0, end: 6, label: 'X' }] })).toThrow(
      "p.jsonl line 1: $.spans[0].end: 6 is past the text's end (5 code points)",
    );
    expect(read({ text: 'other' }, { text: 'other', spans: [{ start: 0, label: 'X' }] })).toThrow(
      /^p\.jsonl line 2: \$\.spans\[0\]\.end: /,
    );
    expect(read({ text: 'changed', meta: { source_id: 't2' } })).toThrow(
      'p.jsonl line 1: $.text: not the text of task t2 (offsets count into it)',
    );
    expect(() => readSpacy('{"text": 1', 'p.jsonl', tasks, groups, new NotImported())).toThrow(
      /^p\.jsonl line 1: not valid JSON/,
    );
  });
});

describe('text JSONL import', () => {
  it('reads spans, relations and classes; a span text in other units is refused', () => {
    const line = {
      id: 't1',
      text: NFC,
      spans: [
        { id: 's1', start: 2, end: 6, label: 'PER', text: 'Anna', attributes: { gold: true } },
        { id: 's2', start: 9, end: 12, label: 'PER', text: 'Bob' },
      ],
      relations: [{ id: 'r1', from: 's1', to: 's2', label: 'knows' }],
      classes: { sentiment: ['pos'] },
    };
    const r = readTextJsonl(jsonl(line), 't.jsonl', tasks);
    expect(r.found[0]!.results).toEqual([
      { type: 'span', id: 's1', label: 'PER', start: 2, end: 6, text: 'Anna', attributes: { gold: true } },
      { type: 'span', id: 's2', label: 'PER', start: 9, end: 12, text: 'Bob', attributes: {} },
      { type: 'relation', id: 'r1', label: 'knows', from: 's1', to: 's2' },
      { type: 'doc-class', id: 'cls-1-1', group: 'sentiment', labels: ['pos'] },
    ]);
    // UTF-16 offsets (3..7) of "Anna": refused, not imported shifted.
    expect(() =>
      readTextJsonl(
        jsonl({ ...line, spans: [{ ...line.spans[0], start: 3, end: 7 }], relations: [] }),
        't.jsonl',
        tasks,
      ),
    ).toThrow('t.jsonl line 1: $.spans[0].text: "Anna" is not the text at code points 3–7 ("nna ")');
    expect(() =>
      readTextJsonl(jsonl({ ...line, relations: [{ from: 's1', to: 's9', label: 'x' }] }), 't.jsonl', tasks),
    ).toThrow('t.jsonl line 1: $.relations[0].to: no span "s9" on this line');
  });
});
