import { describe, expect, it } from 'vitest';
import { readResultsCsv } from './results-csv';
import { matchVersions, readResultsJsonl } from './results-jsonl';

const task = { taskId: 'p:t1', data: { kind: 'text' as const, text: '😀 Anna' } };
const find = (taskId?: string, sourceId?: string) =>
  taskId === 'p:t1' || sourceId === 't1' ? task : undefined;
const span = { type: 'span', id: 's', label: 'PER', start: 2, end: 6, text: 'Anna' };
const read = (text: string, file = 'r.jsonl') =>
  matchVersions(file.endsWith('.csv') ? readResultsCsv(text, file) : readResultsJsonl(text, file), find);

describe('results JSONL import', () => {
  it('reads results as stored, matched by task or source id', () => {
    const text = [
      JSON.stringify({ task_id: 'p:t1', results: [span] }),
      '',
      JSON.stringify({
        source_id: 't1',
        results: [{ type: 'doc-class', id: 'c', group: 'g', labels: ['x'] }],
      }),
      JSON.stringify({ source_id: 'nope', results: [] }),
    ].join('\n');
    const r = read(text);
    expect(r.unmatched).toEqual(['nope']);
    expect(r.found.map((f) => f.results[0]!.type)).toEqual(['span', 'doc-class']);
    expect(r.found[0]!.results[0]).toEqual({ ...span, attributes: {} });
  });

  it('names the file, line, JSON path and field', () => {
    const one = (o: object) => () => read(`\n${JSON.stringify(o)}\n`);
    expect(one({ task_id: 'p:t1', results: [{ type: 'blob', id: 'x' }] })).toThrow(
      /^r\.jsonl line 2: \$\.results\[0\]\.type: /,
    );
    expect(one({ results: [] })).toThrow('r.jsonl line 2: $.task_id: a line needs task_id or source_id');
    expect(one({ task_id: 'p:t1', results: [{ ...span, start: 1, end: 5 }] })).toThrow(
      'r.jsonl line 2: $.results[0].text: "Anna" is not the text at code points 1–5 (" Ann")',
    );
  });
});

describe('results CSV import', () => {
  const head = 'task_id,source_id,split,annotator,submitted_at,conflict,result_id,type,value';
  const row = (value: string, annotator = 'ann') =>
    `p:t1,t1,,${annotator},2026-01-01T00:00:00.000Z,false,s,span,"${value.replace(/"/g, '""')}"`;

  it('reads the value column, one version per task, annotator and time', () => {
    const other = JSON.stringify({ type: 'doc-class', id: 'c', group: 'g', labels: ['x,\ny'] });
    const r = read(
      [head, row(JSON.stringify(span)), row(other), row(JSON.stringify(span), 'bob'), ''].join('\n'),
      'r.csv',
    );
    expect(r.found.map((f) => f.results.map((x) => x.type))).toEqual([['span', 'doc-class'], ['span']]);
    expect(r.found[0]!.results[1]).toMatchObject({ labels: ['x,\ny'] });
  });

  it('names the file, line and column', () => {
    expect(() => read('a,b\n1,2\n', 'r.csv')).toThrow(
      'r.csv line 1: no column task_id, source_id, annotator, submitted_at, value',
    );
    expect(() => read(`${head}\n${row('{"type":"span"')}\n`, 'r.csv')).toThrow(
      /^r\.csv line 2: column value: not valid JSON/,
    );
    expect(() =>
      read(`${head}\n${row('{"type":"bbox","id":"b","label":"x","x":0,"y":0,"w":-1,"h":1}')}\n`, 'r.csv'),
    ).toThrow(/^r\.csv line 2: column value: \$\.w: /);
    expect(() => read(`${head}\np:t1,"unclosed\n`, 'r.csv')).toThrow(/^r\.csv: /);
  });
});
