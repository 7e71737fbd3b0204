import type { AnnotationResult } from '../model';
import { ChunkBuffer, type DatasetWriter, type ExportContext, type ExportRecord, imagePath } from './record';

/** RFC 4180: a field with a comma, quote, CR or LF is quoted, quotes doubled. */
export const csvField = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * `csvField` for a sheet a person opens in a spreadsheet: a cell starting with = + - @ (or a
 * tab / CR, which some spreadsheets skip before reading a formula) gets a leading apostrophe so
 * it is shown as text, never run as a formula (OWASP CSV injection). Numbers are passed as
 * numbers, not through here, so a negative figure stays a number.
 */
export const sheetField = (v: string): string => csvField(/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

export const CSV_COLUMNS = [
  'task_id',
  'source_id',
  'split',
  'annotator',
  'submitted_at',
  'conflict',
  'result_id',
  'type',
  'label',
  'x',
  'y',
  'w',
  'h',
  'rotation',
  'points',
  'start',
  'end',
  'text',
  'score',
  'attributes',
  'value',
] as const;

const cells = (res: AnnotationResult): Partial<Record<(typeof CSV_COLUMNS)[number], string>> => {
  const base = { result_id: 'id' in res ? res.id : '', type: res.type, value: JSON.stringify(res) };
  const extra = {
    ...('attributes' in res ? { attributes: JSON.stringify(res.attributes) } : {}),
    ...('score' in res && res.score !== undefined ? { score: String(res.score) } : {}),
  };
  switch (res.type) {
    case 'bbox':
      return {
        ...base,
        ...extra,
        label: res.label,
        x: String(res.x),
        y: String(res.y),
        w: String(res.w),
        h: String(res.h),
        rotation: String(res.rotation ?? 0),
      };
    case 'polygon':
    case 'polyline':
      return { ...base, ...extra, label: res.label, points: JSON.stringify(res.points) };
    case 'keypoints':
      return {
        ...base,
        ...extra,
        label: res.label,
        points: JSON.stringify(res.points.map((p) => [p.x, p.y, p.v])),
      };
    case 'span':
      return {
        ...base,
        ...extra,
        label: res.label,
        start: String(res.start),
        end: String(res.end),
        text: res.text,
      };
    case 'image-class':
    case 'doc-class':
      return { ...base, ...extra, label: res.labels.join('|'), text: res.group };
    case 'relation':
      return { ...base, label: res.label, text: `${res.from}->${res.to}` };
    case 'comparison':
      return { ...base, label: res.tie ? 'tie' : (res.choice ?? ''), text: res.justification };
  }
};

/**
 * CSV of every result, one row per result (a task with no results gets one row with the
 * result columns empty). Geometry as stored: source pixels (top-left origin, continuous),
 * rotation in degrees clockwise about the box centre; spans as code-point `[start, end)`;
 * `points` and `value` (the whole result) as JSON. UTF-8, `\n` line ends, RFC 4180 quoting.
 */
export const writeCsv: DatasetWriter = async function* (records) {
  const out = new ChunkBuffer('results.csv');
  out.push(`${CSV_COLUMNS.join(',')}\n`);
  for await (const r of records) {
    const head = {
      task_id: r.taskId,
      source_id: r.sourceId,
      split: r.split ?? '',
      annotator: r.annotator,
      submitted_at: new Date(r.submittedAt).toISOString(),
      conflict: r.conflict ? 'true' : 'false',
    };
    const rows = r.results.length ? r.results.map((res) => ({ ...head, ...cells(res) })) : [head];
    for (const row of rows) {
      const line = CSV_COLUMNS.map((c) =>
        csvField((row as Record<string, string | undefined>)[c] ?? ''),
      ).join(',');
      if (out.push(`${line}\n`)) yield out.take();
    }
  }
  yield out.take(true);
};

/** A task's content as the JSONL exports describe it (an image by its export path and size). */
export const recordData = (r: ExportRecord, ctx: ExportContext): Record<string, unknown> => {
  if (r.data.kind === 'image')
    return {
      kind: 'image',
      file_name: imagePath(r, ctx),
      width: r.data.image.width,
      height: r.data.image.height,
      sha256: r.data.image.sha256,
    };
  return r.data;
};

/**
 * JSONL of every result: one line per exported version `{task_id, source_id, split?,
 * annotator, submitted_at, conflict, data, results}`, results exactly as stored (source pixels;
 * code-point spans), so nothing is lost.
 */
export const writeJsonl: DatasetWriter = async function* (records, ctx) {
  const out = new ChunkBuffer('results.jsonl');
  for await (const r of records) {
    const line = {
      task_id: r.taskId,
      source_id: r.sourceId,
      ...(r.split ? { split: r.split } : {}),
      annotator: r.annotator,
      submitted_at: new Date(r.submittedAt).toISOString(),
      conflict: r.conflict,
      data: recordData(r, ctx),
      results: r.results,
    };
    if (out.push(`${JSON.stringify(line)}\n`)) yield out.take();
  }
  yield out.take(true);
};
