import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChoiceGroup } from '../../shared/model';
import { InputError } from '../admin/errors';
import { conllSpans, readConll } from './conll';
import { NotImported } from './parse';
import { readResultsCsv } from './results-csv';
import { matchVersions, readResultsJsonl } from './results-jsonl';
import { readSpacy } from './spacy';
import { readTextJsonl } from './text-jsonl';
import { TextTasks } from './text-spans';
import { readVocXml, vocBoxes } from './voc';

/**
 * Whatever a file holds, an importer returns or refuses it with an InputError (the CLI's
 * "file, line, field" message, exit 2) — never a crash with a stack trace.
 */
const TEXT = '😀 Anna e\u0301 Bob'.normalize('NFC');
const tasks = new TextTasks([{ taskId: 'p:t', sourceId: 't', text: TEXT }]);
const groups = [ChoiceGroup.parse({ name: 'g', options: [{ name: 'x', color: '#ff0000' }] })];

const refusedOrRead = (f: () => unknown): void => {
  try {
    f();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(InputError);
  }
};

// Valid-looking pieces mixed with junk, so the parsers get past their first check.
const voc = fc
  .array(
    fc.constantFrom(
      '<annotation>',
      '</annotation>',
      '<filename>a.png</filename>',
      '<size><width>10</width><height>10</height></size>',
      '<object>',
      '</object>',
      '<name>cat</name>',
      '<bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox>',
      '<bndbox><xmin>-1e400</xmin></bndbox>',
      '<difficult>2</difficult>',
      '<score>7</score>',
      '<!DOCTYPE x [<!ENTITY a "b">]>',
      '&amp;',
      '<![CDATA[x]]>',
    ),
    { maxLength: 14 },
  )
  .chain((parts) => fc.tuple(fc.constant(parts.join('')), fc.string()))
  .map(([a, b]) => a + b);
const jsonl = fc.oneof(
  fc.string(),
  fc
    .array(
      fc.record(
        {
          id: fc.oneof(fc.constant('t'), fc.string(), fc.integer()),
          task_id: fc.constantFrom('p:t', 'x'),
          text: fc.oneof(fc.constant(TEXT), fc.string()),
          spans: fc.array(
            fc.record(
              {
                id: fc.string(),
                start: fc.oneof(fc.integer({ min: -2, max: 12 }), fc.double()),
                end: fc.integer({ min: -2, max: 12 }),
                label: fc.string(),
                text: fc.string(),
              },
              { requiredKeys: [] },
            ),
          ),
          results: fc.array(fc.anything()),
          relations: fc.array(fc.record({ from: fc.string(), to: fc.string(), label: fc.string() })),
          cats: fc.dictionary(fc.string(), fc.double()),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    )
    .map((lines) => lines.map((l) => JSON.stringify(l)).join('\n')),
);

describe('importers on hostile input', () => {
  it('VOC XML', () => {
    fc.assert(
      fc.property(voc, (xml) =>
        refusedOrRead(() => vocBoxes(readVocXml(xml, 'a.xml'), 10, 10, 'a.xml', new NotImported())),
      ),
      { numRuns: 300 },
    );
  });

  it('CoNLL', () => {
    const line = fc.oneof(
      fc.constantFrom('-DOCSTART- O', '', '😀 B-A', 'Anna I-A', 'Bob O', 'é S-B', 'x', 'a b c E-'),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 10 }), (lines) =>
        refusedOrRead(() => readConll(lines.join('\n'), 'a').map((d) => conllSpans(d, TEXT, 'a', 't'))),
      ),
      { numRuns: 300 },
    );
  });

  it('results CSV', () => {
    const cell = fc.oneof(
      fc.constantFrom(
        'p:t',
        't',
        '"',
        '""',
        ',',
        '\n',
        '\r\n',
        '{"type":"span","id":"s","label":"A","start":0,"end":1,"text":"😀"}',
      ),
      fc.string(),
    );
    const csv = fc
      .array(fc.array(cell, { maxLength: 6 }), { maxLength: 4 })
      .map((rows) =>
        ['task_id,source_id,annotator,submitted_at,value', ...rows.map((r) => r.join(','))].join('\n'),
      );
    const find = (id?: string) =>
      id === 'p:t' ? { taskId: 'p:t', data: { kind: 'text' as const, text: TEXT } } : undefined;
    fc.assert(
      fc.property(csv, (text) => refusedOrRead(() => matchVersions(readResultsCsv(text, 'a.csv'), find))),
      { numRuns: 300 },
    );
  });

  it('spaCy, text and results JSONL, results CSV', () => {
    fc.assert(
      fc.property(jsonl, (text) => {
        refusedOrRead(() => readSpacy(text, 'a', tasks, groups, new NotImported()));
        refusedOrRead(() => readTextJsonl(text, 'a', tasks));
        const find = (id?: string) =>
          id === 'p:t' ? { taskId: 'p:t', data: { kind: 'text' as const, text: TEXT } } : undefined;
        refusedOrRead(() => matchVersions(readResultsJsonl(text, 'a'), find));
        refusedOrRead(() => matchVersions(readResultsCsv(text, 'a'), find));
      }),
      { numRuns: 300 },
    );
  });
});
