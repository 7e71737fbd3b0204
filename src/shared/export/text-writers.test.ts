import { describe, expect, it } from 'vitest';
import { codePointLength, sliceCodePoints } from '../model';
import { tagTokens, writeConll } from './conll';
import { writeLabelStudio } from './label-studio';
import { preferencePairs, writePreferencePairs, writeRankings } from './preference';
import type { ExportRecord } from './record';
import { csvField, writeCsv, writeJsonl } from './tabular';
import { collect, ctxOf, imageRecord, textRecord } from './test-helpers';
import { writeSpacy, writeTextJsonl } from './text-jsonl';

const cfg = {
  tools: ['span', 'relation', 'doc-class'],
  labels: [
    { name: 'PER', color: '#ff0000' },
    { name: 'LOC', color: '#00ff00' },
  ],
  relations: [{ name: 'lives_in', color: '#0000ff' }],
  classes: [
    {
      name: 'topic',
      options: [
        { name: 'news', color: '#111111' },
        { name: 'sport', color: '#222222' },
      ],
    },
  ],
};
const span = (id: string, text: string, start: number, end: number, label: string) => ({
  type: 'span',
  id,
  label,
  start,
  end,
  text: sliceCodePoints(text, start, end),
});

// Emoji (2 UTF-16 units, 1 code point) and a combining mark (NFC keeps "ệ" as one point).
const TEXT = '😀 Nguyễn lives in Hà Nội.\nBob left!';

describe('CoNLL writer', () => {
  it('tags IOB2 over tokens split at span edges, sentence per line or full stop', async () => {
    const recs = [
      textRecord('d1', TEXT, [
        span('s1', TEXT, 2, 8, 'PER'),
        span('s2', TEXT, 18, 24, 'LOC'),
        span('s3', TEXT, 26, 28, 'PER'), // "Bo": inside the word "Bob"
      ]),
    ];
    const { files } = await collect(writeConll, recs, ctxOf('text', cfg));
    expect(files.get('dataset.conll')).toBe(
      [
        '-DOCSTART- -X- -X- O',
        '',
        '😀 _ _ O',
        'Nguyễn _ _ B-PER',
        'lives _ _ O',
        'in _ _ O',
        'Hà _ _ B-LOC',
        'Nội _ _ I-LOC',
        '. _ _ O',
        '',
        'Bo _ _ B-PER',
        'b _ _ O',
        'left _ _ O',
        '! _ _ O',
        '',
        '',
      ].join('\n'),
    );
  });

  it('keeps the first of overlapping spans and counts the rest', () => {
    const t = 'New York City';
    const { tokens, dropped } = tagTokens(t, [
      span('a', t, 0, 8, 'LOC'),
      span('b', t, 4, 13, 'LOC'),
    ] as never);
    expect(dropped).toBe(1);
    expect(tokens.map((x) => x.tag)).toEqual(['B-LOC', 'I-LOC', 'O']);
  });
});

describe('spaCy and text JSONL writers', () => {
  it('writes code-point offsets that match the text', async () => {
    const recs = [
      textRecord('d1', TEXT, [
        span('s1', TEXT, 2, 8, 'PER'),
        span('s2', TEXT, 18, 24, 'LOC'),
        { type: 'relation', id: 'r', label: 'lives_in', from: 's1', to: 's2' },
        { type: 'doc-class', id: 'c', group: 'topic', labels: ['news'] },
      ]),
    ];
    const spacy = JSON.parse((await collect(writeSpacy, recs, ctxOf('text', cfg))).files.get('spacy.jsonl')!);
    expect(spacy.spans).toEqual([
      { start: 2, end: 8, label: 'PER' },
      { start: 18, end: 24, label: 'LOC' },
    ]);
    expect(spacy.cats).toEqual({ news: 1, sport: 0 });
    const cps = [...spacy.text];
    expect(cps.slice(2, 8).join('')).toBe('Nguyễn');
    const txt = JSON.parse(
      (await collect(writeTextJsonl, recs, ctxOf('text', cfg))).files.get('texts.jsonl')!,
    );
    expect(txt.relations).toEqual([{ id: 'r', from: 's1', to: 's2', label: 'lives_in' }]);
    expect(txt.classes).toEqual({ topic: ['news'] });
    expect(codePointLength(TEXT)).toBe(35);
  });

  it('Label Studio spans are UTF-16 offsets with their text', async () => {
    const recs = [textRecord('d1', TEXT, [span('s1', TEXT, 2, 8, 'PER')])];
    const [task] = JSON.parse(
      (await collect(writeLabelStudio, recs, ctxOf('text', cfg))).files.get('label-studio.json')!,
    );
    const v = task.annotations[0].result[0].value;
    expect(v).toEqual({ start: 3, end: 9, text: 'Nguyễn', labels: ['PER'] });
    expect(TEXT.slice(v.start, v.end)).toBe('Nguyễn');
  });
});

describe('CSV and JSONL of all results', () => {
  it('quotes per RFC 4180 and writes one row per result', async () => {
    expect(csvField('a,"b"\nc')).toBe('"a,""b""\nc"');
    const recs = [
      imageRecord('a.jpg', 10, 10, [{ type: 'bbox', id: 'b', label: 'x,y', x: 1, y: 2, w: 3, h: 4 }]),
      imageRecord('b.jpg', 10, 10, []),
    ];
    const csv = (await collect(writeCsv, recs, ctxOf('image', { tools: ['bbox'] }))).files.get(
      'results.csv',
    )!;
    const lines = csv.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^p:a\.jpg,a\.jpg,,ann,2026-01-01T00:00:00\.000Z,false,b,bbox,"x,y",1,2,3,4,0,/);
    expect(lines[2]).toBe('p:b.jpg,b.jpg,,ann,2026-01-01T00:00:00.000Z,false' + ','.repeat(15));
    const jsonl = (await collect(writeJsonl, recs, ctxOf('image', { tools: ['bbox'] }))).files.get(
      'results.jsonl',
    )!;
    const first = JSON.parse(jsonl.split('\n')[0]!);
    expect(first.data).toMatchObject({ kind: 'image', file_name: 'images/a.jpg', width: 10 });
    expect(first.results[0]).toMatchObject({ type: 'bbox', x: 1 });
  });
});

describe('comparison writers', () => {
  const cmp = (results: unknown[]): ExportRecord => ({
    ...textRecord('c1', '', []),
    data: {
      kind: 'comparison',
      prompt: 'Q?',
      responses: [
        { id: 'a', model: 'm1', text: 'A' },
        { id: 'b', model: 'm2', text: 'B' },
        { id: 'c', text: 'C' },
      ],
    },
    results: results as ExportRecord['results'],
  });
  const base = { type: 'comparison', id: 'x', tie: false, ranking: [], ratings: {}, justification: '' };

  it('expands rankings to all ordered pairs and a pick to one pair per other response; drops ties', async () => {
    expect(
      preferencePairs({ ...base, choice: null, ranking: ['b', 'a', 'c'] } as never, ['a', 'b', 'c']),
    ).toEqual([
      ['b', 'a'],
      ['b', 'c'],
      ['a', 'c'],
    ]);
    expect(preferencePairs({ ...base, choice: 'c' } as never, ['a', 'b', 'c'])).toEqual([
      ['c', 'a'],
      ['c', 'b'],
    ]);
    const { files, skipped } = await collect(
      writePreferencePairs,
      [cmp([{ ...base, choice: 'a' }]), cmp([{ ...base, choice: null, tie: true }])],
      ctxOf('comparison', { tools: ['comparison'] }),
    );
    const lines = files
      .get('preferences.jsonl')!
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({
      prompt: 'Q?',
      chosen: 'A',
      rejected: 'B',
      chosen_model: 'm1',
      rejected_model: 'm2',
      task_id: 'p:c1',
      annotator: 'ann',
    });
    expect(lines).toHaveLength(2);
    expect(skipped.list()).toEqual([{ reason: 'ties give no preference pair (dropped)', count: 1 }]);
  });

  it('writes ranks and rubric ratings per response', async () => {
    const { files } = await collect(
      writeRankings,
      [cmp([{ ...base, choice: 'b', ranking: ['b', 'a'], ratings: { a: { helpful: 3 } } }])],
      ctxOf('comparison', { tools: ['comparison'] }),
    );
    const line = JSON.parse(files.get('rankings.jsonl')!);
    expect(line.responses.map((r: { rank?: number; ratings: object }) => [r.rank, r.ratings])).toEqual([
      [2, { helpful: 3 }],
      [1, {}],
      [undefined, {}],
    ]);
  });
});
