import type { RelationResult, SpanResult } from '../model';
import { ChunkBuffer, type DatasetWriter, type ExportRecord } from './record';

const spansOf = (r: ExportRecord): SpanResult[] =>
  r.results.filter((x): x is SpanResult => x.type === 'span' && x.field === undefined);

const classesOf = (r: ExportRecord): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const x of r.results)
    if (x.type === 'doc-class') out[x.group] = [...(out[x.group] ?? []), ...x.labels];
  return out;
};

const fileFor = (base: string, r: ExportRecord, split: boolean): string =>
  split && r.split ? `${base}/${r.split}.jsonl` : `${base}.jsonl`;

/**
 * spaCy-style training JSONL (spacy.io/usage/training): one `{text, spans: [{start, end,
 * label}], cats?, meta}` a line. Offsets are **Unicode code points** into the NFC text, end
 * exclusive — what Python's `text[start:end]` and `doc.char_span` take. `cats` maps every option
 * of the project's document-class groups to 1.0 or 0.0 (present when the project has classes).
 * Overlapping spans are all written (use them as `doc.spans`; `doc.ents` needs them disjoint).
 *
 * Layout: `spacy/<split>.jsonl` per split, or `spacy.jsonl`.
 */
export const writeSpacy: DatasetWriter = async function* (records, ctx) {
  const files = new Map<string, ChunkBuffer>();
  const options = ctx.project.labelConfig.classes.flatMap((g) => g.options.map((o) => o.name));
  for await (const r of records) {
    if (r.data.kind !== 'text') continue;
    const file = fileFor('spacy', r, ctx.split);
    let out = files.get(file);
    if (!out) files.set(file, (out = new ChunkBuffer(file)));
    const chosen = new Set(Object.values(classesOf(r)).flat());
    const line = {
      text: r.data.text,
      spans: spansOf(r)
        .sort((a, b) => a.start - b.start || a.end - b.end)
        .map((s) => ({ start: s.start, end: s.end, label: s.label })),
      ...(options.length
        ? { cats: Object.fromEntries(options.map((o) => [o, chosen.has(o) ? 1.0 : 0.0])) }
        : {}),
      meta: { task_id: r.taskId, source_id: r.sourceId, annotator: r.annotator },
    };
    if (out.push(`${JSON.stringify(line)}\n`)) yield out.take();
  }
  for (const out of files.values()) yield out.take(true);
};

/**
 * Texts with everything labelled on them, one JSON a line: `{id, text, title?, spans: [{id,
 * start, end, label, text, attributes}], relations: [{id, from, to, label}], classes: {group:
 * [labels]}, annotator, submitted_at, conflict, split?}`. Offsets are code points into the NFC
 * text, end exclusive; relation `from`/`to` are span ids.
 *
 * Layout: `texts/<split>.jsonl` per split, or `texts.jsonl`.
 */
export const writeTextJsonl: DatasetWriter = async function* (records, ctx) {
  const files = new Map<string, ChunkBuffer>();
  for await (const r of records) {
    if (r.data.kind !== 'text') continue;
    const file = fileFor('texts', r, ctx.split);
    let out = files.get(file);
    if (!out) files.set(file, (out = new ChunkBuffer(file)));
    const line = {
      id: r.sourceId,
      text: r.data.text,
      ...(r.data.title ? { title: r.data.title } : {}),
      spans: spansOf(r).map((s) => ({
        id: s.id,
        start: s.start,
        end: s.end,
        label: s.label,
        text: s.text,
        attributes: s.attributes,
      })),
      relations: r.results
        .filter((x): x is RelationResult => x.type === 'relation')
        .map((x) => ({ id: x.id, from: x.from, to: x.to, label: x.label })),
      classes: classesOf(r),
      annotator: r.annotator,
      submitted_at: new Date(r.submittedAt).toISOString(),
      conflict: r.conflict,
      ...(r.split ? { split: r.split } : {}),
    };
    if (out.push(`${JSON.stringify(line)}\n`)) yield out.take();
  }
  for (const out of files.values()) yield out.take(true);
};
