import { CsvError, parse } from 'csv-parse/sync';
import { AnnotationResult } from '../../shared/model';
import { InputError } from '../admin/errors';
import { parseValue } from './parse';
import type { ResultsVersion } from './results-jsonl';

/**
 * The `csv` export (`results.csv`, RFC 4180): one row a result, its `value` column the whole
 * result as JSON (so nothing is lost); rows of one exported version (same task, annotator and
 * submission time) are one version, a task's row with no result adds nothing. Parsed with
 * csv-parse (quoted fields may hold commas and line breaks). Errors name the file, the line
 * and the column.
 */
export const readResultsCsv = (text: string, file: string): ResultsVersion[] => {
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(text, { columns: true, bom: true, info: true, skip_empty_lines: true });
  } catch (e) {
    if (e instanceof CsvError) throw new InputError(`${file}: ${e.message}`);
    throw e;
  }
  const need = ['task_id', 'source_id', 'annotator', 'submitted_at', 'value'];
  const header = rows[0] ? Object.keys(rows[0].record) : [];
  const missing = need.filter((c) => !header.includes(c));
  if (rows.length && missing.length)
    throw new InputError(`${file} line 1: no column ${missing.join(', ')} (the csv export's header)`);
  const versions = new Map<string, ResultsVersion>();
  for (const { record: r, info } of rows) {
    const where = `${file} line ${info.lines}`;
    if (!r.task_id && !r.source_id)
      throw new InputError(`${where}: column task_id: a row needs task_id or source_id`);
    const key = JSON.stringify([r.task_id, r.source_id, r.annotator, r.submitted_at]);
    let v = versions.get(key);
    if (!v) {
      v = {
        where,
        ...(r.task_id ? { taskId: r.task_id } : {}),
        ...(r.source_id ? { sourceId: r.source_id } : {}),
        results: [],
      };
      versions.set(key, v);
    }
    if (!r.value) continue;
    let json: unknown;
    try {
      json = JSON.parse(r.value);
    } catch (e) {
      throw new InputError(`${where}: column value: not valid JSON (${(e as Error).message})`);
    }
    v.results.push(parseValue(AnnotationResult, json, `${where}: column value`));
  }
  return [...versions.values()].filter((v) => v.results.length > 0);
};
