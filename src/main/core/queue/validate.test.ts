import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract';
import type { SpanResult, TaskData } from '../../../shared/model';
import { checkAnnotation } from './validate';
import { taskTitle } from '../../../shared/model/task-title';

const span = (start: number, end: number, text: string, field?: string): SpanResult => ({
  type: 'span',
  id: `s${start}`,
  label: 'PER',
  start,
  end,
  text,
  attributes: {},
  ...(field === undefined ? {} : { field }),
});
const check = (data: TaskData, results: SpanResult[]) => () =>
  checkAnnotation(data, { results, activeMs: 0 });

describe('checkAnnotation', () => {
  const text: TaskData = { kind: 'text', text: 'Lan 🙂 met Hà Nội' };

  it('accepts spans in code points that carry their covered text', () => {
    expect(check(text, [span(0, 3, 'Lan'), span(4, 5, '🙂'), span(10, 16, 'Hà Nội')])).not.toThrow();
  });

  it('rejects a span whose text differs (e.g. UTF-16 offsets), naming the path', () => {
    // In UTF-16 "met" starts at 7; in code points at 6.
    const e = (() => {
      try {
        check(text, [span(0, 3, 'Lan'), span(7, 10, 'met')])();
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'INVALID_INPUT', path: 'annotation.results.1.text' });
  });

  it('rejects spans past the end and unknown fields', () => {
    expect(check(text, [span(10, 40, 'x')])).toThrow(/past the text's end/);
    const cmp: TaskData = {
      kind: 'comparison',
      prompt: 'Why?',
      responses: [
        { id: 'a', text: 'Because.' },
        { id: 'b', text: 'No.' },
      ],
    };
    expect(check(cmp, [span(0, 7, 'Because', 'a'), span(0, 3, 'Why', 'prompt')])).not.toThrow();
    expect(check(cmp, [span(0, 2, 'No', 'c')])).toThrow(/no text field "c"/);
  });
});

describe('taskTitle', () => {
  it('uses the file name, the title, or the start of the text or prompt', () => {
    expect(
      taskTitle({
        kind: 'image',
        image: {
          sha256: 'a'.repeat(64),
          width: 1,
          height: 1,
          mime: 'image/png',
          bytes: 1,
          fileName: 'cat.png',
        },
      }),
    ).toBe('cat.png');
    expect(taskTitle({ kind: 'text', text: 'body', title: 'Hanoi office' })).toBe('Hanoi office');
    expect(taskTitle({ kind: 'text', text: `${'word '.repeat(40)}end` })).toMatch(/^word word .*…$/);
    expect([
      ...taskTitle({ kind: 'comparison', prompt: '🙂'.repeat(100), responses: [] as never }),
    ]).toHaveLength(80);
  });
});
