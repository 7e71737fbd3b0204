import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SkipCounter, WRITERS, type ExportRecord } from '../../src/shared/export';
import { chunkText, ctxOf, textRecord } from '../../src/shared/export/test-helpers';
import { conllKey, conllSpans, readConll, textKey } from '../../src/hub/import/conll';
import { NotImported } from '../../src/hub/import/parse';
import { readSpacy } from '../../src/hub/import/spacy';
import { readTextJsonl } from '../../src/hub/import/text-jsonl';
import { TextTasks } from '../../src/hub/import/text-spans';
import { type AnnotationResult, LabelConfig, codePointLength, sliceCodePoints } from '../../src/shared/model';

/**
 * Text formats read back by the hub's own importers (the same functions `hub import
 * predictions` runs): spaCy JSONL, CoNLL and text JSONL — over texts with emoji, ZWJ sequences,
 * combining marks, Devanagari, Thai and CRLF. spaCy is also read the way Python slices it.
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
  tools: ['span', 'relation', 'doc-class'],
  labels: [
    { name: 'A', color: '#ff0000' },
    { name: 'B', color: '#00ff00' },
  ],
  relations: [{ name: 'R', color: '#000000' }],
  classes: [
    {
      name: 'topic',
      multiple: true,
      options: [
        { name: 'x', color: '#ff0000' },
        { name: 'y', color: '#00ff00' },
      ],
    },
  ],
};
const groups = LabelConfig.parse(cfg).classes;

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

const run = async (format: 'spacy' | 'conll' | 'text-jsonl', rec: ExportRecord): Promise<string> => {
  async function* one() {
    yield rec;
  }
  let out = '';
  for await (const c of WRITERS[format](one(), ctxOf('text', cfg), new SkipCounter())) out += chunkText(c);
  return out;
};

const tasksOf = (text: string) => new TextTasks([{ taskId: 'p:t', sourceId: 't', text }]);
const spanKeys = (rs: readonly AnnotationResult[]) =>
  rs
    .flatMap((r) => (r.type === 'span' ? [[r.label, r.start, r.end, r.text] as const] : []))
    .sort((a, b) => a[1] - b[1] || a[2] - b[2] || a[0].localeCompare(b[0]));
const WS = /^\s$/u;

describe('text formats read back through the importers', () => {
  it('spaCy JSONL: every span comes back (overlapping too), and is text[start:end] in code points', async () => {
    await fc.assert(
      fc.asyncProperty(textWithSpans, fc.subarray(['x', 'y']), async ({ text, spans }, cats) => {
        const classes = cats.length ? [{ type: 'doc-class', id: 'c', group: 'topic', labels: cats }] : [];
        const out = await run('spacy', textRecord('t', text, [...spans, ...classes]));
        const line = JSON.parse(out.trim());
        const cps = [...line.text];
        // What Python's text[start:end] gives, label by label.
        expect(
          line.spans.map((s: { start: number; end: number; label: string }) => [
            s.label,
            cps.slice(s.start, s.end).join(''),
          ]),
        ).toEqual(
          [...spans].sort((a, b) => a.start - b.start || a.end - b.end).map((s) => [s.label, s.text]),
        );
        const back = readSpacy(out, 'spacy.jsonl', tasksOf(text), groups, new NotImported());
        expect(back.unmatched).toEqual([]);
        const results = back.found[0]!.results;
        expect(spanKeys(results)).toEqual(spanKeys(spans as AnnotationResult[]));
        const got = results.flatMap((r) => (r.type === 'doc-class' ? r.labels : []));
        expect(got.sort()).toEqual([...cats].sort());
      }),
      { numRuns: 200 },
    );
  });

  it('CoNLL IOB2: each kept span comes back, trimmed to its tokens', async () => {
    await fc.assert(
      fc.asyncProperty(textWithSpans, async ({ text, spans }) => {
        const out = await run('conll', textRecord('t', text, spans));
        const docs = readConll(out, 'dataset.conll');
        // A text of white space only has no tokens, hence no document.
        expect(docs.length).toBe(textKey(text) ? 1 : 0);
        if (!docs.length) return;
        expect(conllKey(docs[0]!)).toBe(textKey(text));
        const back = conllSpans(docs[0]!, text, 'dataset.conll', 't');
        // The writer keeps the first of overlapping spans (on a tie the longer); tokens hold no
        // white space, so a span comes back without white space at its ends.
        const kept: typeof spans = [];
        for (const s of [...spans].sort((a, b) => a.start - b.start || b.end - a.end))
          if (!kept.length || s.start >= kept[kept.length - 1]!.end) kept.push(s);
        const cps = [...text];
        const want = kept.flatMap((s) => {
          let [a, b] = [s.start, s.end];
          while (a < b && WS.test(cps[a]!)) a++;
          while (b > a && WS.test(cps[b - 1]!)) b--;
          return a < b ? [[s.label, a, b, cps.slice(a, b).join('')] as const] : [];
        });
        expect(spanKeys(back)).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });

  it('text JSONL: spans, relations and classes come back unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(textWithSpans, fc.nat(), fc.subarray(['x', 'y']), async ({ text, spans }, k, cats) => {
        const rel =
          spans.length > 1
            ? [
                {
                  type: 'relation',
                  id: 'r1',
                  label: 'R',
                  from: spans[k % spans.length]!.id,
                  to: spans[0]!.id,
                },
              ]
            : [];
        const classes = cats.length ? [{ type: 'doc-class', id: 'c', group: 'topic', labels: cats }] : [];
        const results = [...spans.map((s) => ({ ...s, attributes: { note: 'é😀' } })), ...rel, ...classes];
        const out = await run('text-jsonl', textRecord('t', text, results));
        const back = readTextJsonl(out, 'texts.jsonl', tasksOf(text));
        expect(back.found[0]!.results).toEqual(
          results.map((r) => (r.type === 'doc-class' ? { ...r, id: 'cls-1-1' } : r)),
        );
      }),
      { numRuns: 200 },
    );
  });
});
