import { describe, expect, it } from 'vitest';
import { readResultsJsonl } from './results-jsonl';

const task = { taskId: 'p:t1', data: { kind: 'text' as const, text: '😀 Anna' } };
const find = (taskId?: string, sourceId?: string) =>
  taskId === 'p:t1' || sourceId === 't1' ? task : undefined;
const span = { type: 'span', id: 's', label: 'PER', start: 2, end: 6, text: 'Anna' };

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
    const r = readResultsJsonl(text, 'r.jsonl', find);
    expect(r.unmatched).toEqual(['nope']);
    expect(r.found.map((f) => f.results[0]!.type)).toEqual(['span', 'doc-class']);
    expect(r.found[0]!.results[0]).toEqual({ ...span, attributes: {} });
  });

  it('names the file, line, JSON path and field', () => {
    const read = (o: object) => () => readResultsJsonl(`\n${JSON.stringify(o)}\n`, 'r.jsonl', find);
    expect(read({ task_id: 'p:t1', results: [{ type: 'blob', id: 'x' }] })).toThrow(
      /^r\.jsonl line 2: \$\.results\[0\]\.type: /,
    );
    expect(read({ results: [] })).toThrow('r.jsonl line 2: $.task_id: a line needs task_id or source_id');
    expect(read({ task_id: 'p:t1', results: [{ ...span, start: 1, end: 5 }] })).toThrow(
      'r.jsonl line 2: $.results[0].text: "Anna" is not the text at code points 1–5 (" Ann")',
    );
  });
});
