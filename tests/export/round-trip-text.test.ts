import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SkipCounter, WRITERS, type ExportRecord } from '../../src/shared/export';
import { ctxOf, textRecord } from '../../src/shared/export/test-helpers';
import { codePointLength, sliceCodePoints } from '../../src/shared/model';

/**
 * Text formats read back the way their consumers read them: spaCy JSONL with Python's
 * code-point slicing, CoNLL by joining each entity's B-/I- tokens — over texts with emoji, ZWJ
 * sequences, combining marks, Devanagari, Thai and CRLF.
 */
const pieces = fc.constantFrom(
  '😀',
  'Nguyễn',
  'e\u0301',
  'नमस्ते',
  'สวัสดี',
  ' ',
  '\r\n',
  'abc',
  '👩‍👩‍👧',
  '.',
  'Hà Nội',
);
const cfg = {
  tools: ['span'],
  labels: [
    { name: 'A', color: '#ff0000' },
    { name: 'B', color: '#00ff00' },
  ],
};

const textWithSpans = fc
  .tuple(
    fc.array(pieces, { minLength: 1, maxLength: 14 }),
    fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 5 }),
  )
  .map(([parts, cuts]) => {
    const text = parts.join('').normalize('NFC');
    const n = codePointLength(text);
    const spans = cuts
      .map(([a, b, l], i) => {
        const start = Math.min(a % n, b % n);
        const end = Math.min(n, Math.max(a % n, b % n) + 1);
        return {
          type: 'span',
          id: `s${i}`,
          label: l ? 'A' : 'B',
          start,
          end,
          text: sliceCodePoints(text, start, end),
        };
      })
      .filter((s) => s.end > s.start);
    return { text, spans };
  });

const run = async (format: 'spacy' | 'conll', rec: ExportRecord): Promise<string> => {
  async function* one() {
    yield rec;
  }
  let out = '';
  for await (const c of WRITERS[format](one(), ctxOf('text', cfg), new SkipCounter())) out += c.text;
  return out;
};

describe('text formats read back', () => {
  it('spaCy JSONL: every span is text[start:end] in code points', async () => {
    await fc.assert(
      fc.asyncProperty(textWithSpans, async ({ text, spans }) => {
        const line = JSON.parse((await run('spacy', textRecord('t', text, spans))).trim());
        expect(line.text).toBe(text);
        const cps = [...line.text];
        const back = line.spans.map((s: { start: number; end: number; label: string }) => [
          s.label,
          cps.slice(s.start, s.end).join(''),
        ]);
        const want = [...spans]
          .sort((a, b) => a.start - b.start || a.end - b.end)
          .map((s) => [s.label, s.text]);
        expect(back).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });

  it('CoNLL IOB2: each kept span comes back as one entity of its tokens', async () => {
    await fc.assert(
      fc.asyncProperty(textWithSpans, async ({ text, spans }) => {
        const lines = (await run('conll', textRecord('t', text, spans))).split('\n');
        const entities: [string, string][] = [];
        for (const l of lines) {
          const m = /^(.*) _ _ ([BI])-(\w+)$/u.exec(l);
          if (!m) continue;
          if (m[2] === 'B') entities.push([m[3]!, m[1]!]);
          else entities[entities.length - 1]![1] += m[1]!;
        }
        // The writer keeps the first of overlapping spans (on a tie the longer).
        const kept: typeof spans = [];
        for (const s of [...spans].sort((a, b) => a.start - b.start || b.end - a.end))
          if (!kept.length || s.start >= kept[kept.length - 1]!.end) kept.push(s);
        const want = kept
          .map((s) => [s.label, s.text.replace(/\s+/gu, '')] as [string, string])
          .filter(([, t]) => t.length > 0);
        expect(entities).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });
});
