import { z } from 'zod';
import type { ExportOptions, ExportRecord, SkipCounter } from '../../shared/export';
import { consensusOf } from '../../shared/quality/consensus';
import { type Annotation, AnnotationResult, TaskData } from '../../shared/model';
import { EXPORT_PAGE_TASKS, type ExportFilter, type ExportTaskRow } from '../storage/exporting';
import type { HubStorage } from '../storage/types';
import type { ExportPages } from './reader';

const RESULT_TYPES = new Set<string>(AnnotationResult.options.map((o) => o.shape.type.value));

const WITH_ATTRIBUTES = new Set(['bbox', 'polygon', 'polyline', 'keypoints', 'span']);

/**
 * A stored annotation's results, checked for shape only, with the schema defaults a client's
 * stored bytes may leave out filled in (in place: the objects are fresh from JSON.parse); or
 * undefined when a result is not an object of a known type. The push decoder validated the
 * annotation against the shared Annotation schema before the hub stored it (as leases trust
 * stored task content), and a full re-parse of a million results doubled the export's
 * allocations; the check is one plain loop, the schema below only words the failure.
 */
const storedResults = (v: unknown): AnnotationResult[] | undefined => {
  if (typeof v !== 'object' || v === null) return undefined;
  const results = (v as { results?: unknown }).results;
  if (!Array.isArray(results)) return undefined;
  for (const r of results as Record<string, unknown>[]) {
    if (typeof r !== 'object' || r === null || !RESULT_TYPES.has(r.type as string)) return undefined;
    if (r.attributes === undefined && WITH_ATTRIBUTES.has(r.type as string)) r.attributes = {};
    if (r.type === 'bbox') r.rotation ??= 0;
    else if (r.type === 'comparison') {
      r.tie ??= false;
      r.ranking ??= [];
      r.ratings ??= {};
      r.justification ??= '';
    }
  }
  return results as AnnotationResult[];
};

const StoredAnnotation = z.custom<Pick<Annotation, 'results'>>((v) => storedResults(v) !== undefined, {
  message: 'results must be a list of results of known types',
});

const TASK_KINDS = new Set<string>(TaskData.options.map((o) => o.shape.kind.value));

/**
 * Stored task data, checked for shape only: createProject and add-tasks parsed it with the
 * shared Task schema before storing it, and a zod parse per task was a tenth of an export's
 * time. The kind must still be known, so a writer never meets something unexpected.
 */
const isStoredTaskData = (v: unknown): v is TaskData =>
  typeof v === 'object' && v !== null && TASK_KINDS.has((v as { kind?: unknown }).kind as string);

const StoredTaskData = z.custom<TaskData>(isStoredTaskData, {
  message: 'task data must be an object of a known kind',
});

const SOURCE_ID_ONLY = '{"sourceId":"';
/** Whether JSON holds `s` between quotes as it is: nothing escaped, no control character. */
const rawInJson = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 34 || c === 92) return false;
  }
  return true;
};

/** The task's import name; anything else in meta is not the export's business. */
const sourceIdOf = (metaText: string): string | undefined => {
  // Most tasks' meta is just their import name, as JSON.stringify wrote it: read without a parse.
  if (metaText.startsWith(SOURCE_ID_ONLY) && metaText.endsWith('"}')) {
    const id = metaText.slice(SOURCE_ID_ONLY.length, -2);
    if (rawInJson(id)) return id;
  }
  const m = JSON.parse(metaText) as unknown;
  if (typeof m !== 'object' || m === null || Array.isArray(m))
    throw new Error('stored task meta: value: must be an object');
  const id = (m as { sourceId?: unknown }).sourceId;
  if (id !== undefined && typeof id !== 'string')
    throw new Error('stored task meta: sourceId: must be a string');
  return id;
};

/** Why a stored value failed its schema, as `stored <what>: <path>: <message>`. */
const storedError = (schema: z.ZodType, v: unknown, what: string): Error => {
  const issue = schema.safeParse(v).error?.issues[0];
  return new Error(
    `stored ${what}: ${(issue?.path ?? []).join('.') || 'value'}: ${issue?.message ?? 'invalid'}`,
  );
};

/**
 * The submissions of one task that a version filter exports. `latest`: the newest one that is
 * not a flagged conflict (a conflict is a late copy of work someone else completed; it is
 * exported, marked, only when nothing else is there). `submitted`: every one.
 */
export const pickVersions = (
  subs: ExportTaskRow['submissions'],
  version: ExportOptions['version'],
): ExportTaskRow['submissions'] => {
  if (version === 'submitted') return subs;
  // consensus: every standing submission but late conflicts, merged by the caller.
  if (version === 'consensus') return subs.filter((s) => !s.conflict);
  // latest, reviewed, accepted: the rows were already narrowed to the reviewed ones in SQL.
  for (let i = subs.length - 1; i >= 0; i--) if (!subs[i]!.conflict) return [subs[i]!];
  return subs.length ? [subs[subs.length - 1]!] : [];
};

/** The storage filter of an export's options. */
export const exportFilterOf = (
  opts: Pick<ExportOptions, 'version' | 'annotators' | 'from' | 'to' | 'batches'>,
): ExportFilter => ({
  annotators: opts.annotators,
  from: opts.from,
  to: opts.to,
  batches: opts.batches,
  review: opts.version === 'accepted' || opts.version === 'reviewed' ? opts.version : undefined,
});

/** Export pages read through the storage's own connection. */
export const storagePages =
  (storage: HubStorage, projectId: string, pageSize = EXPORT_PAGE_TASKS): ExportPages =>
  (filter) => ({
    async *[Symbol.asyncIterator]() {
      let after: string | undefined;
      for (;;) {
        const page = await storage.exportPage(projectId, after, pageSize, filter);
        if (page.length === 0) return;
        after = page[page.length - 1]!.taskId;
        yield page;
      }
    },
  });

/**
 * A project's exported versions, read page by page (at most a few pages of tasks and their
 * submissions in memory at once). Stored rows are parsed with the shared schemas: a row that
 * fails names its task.
 */
export async function* hubRecords(
  pages: ExportPages,
  opts: Pick<ExportOptions, 'version' | 'annotators' | 'from' | 'to' | 'batches'>,
  /** Where `consensus` counts the tasks it leaves out (no clear consensus). */
  leftOut?: SkipCounter,
): AsyncGenerator<ExportRecord> {
  for await (const page of pages(exportFilterOf(opts))) {
    for (const row of page) {
      const chosen = pickVersions(row.submissions, opts.version);
      if (chosen.length === 0) continue;
      let data: TaskData;
      let sourceId: string | undefined;
      try {
        const d = JSON.parse(row.data) as unknown;
        if (!isStoredTaskData(d)) throw storedError(StoredTaskData, d, 'task data');
        data = d;
        sourceId = sourceIdOf(row.meta);
      } catch (e) {
        throw new Error(`task ${row.taskId}: ${(e as Error).message}`, { cause: e });
      }
      const versions: { s: (typeof chosen)[number]; results: AnnotationResult[] }[] = [];
      for (const s of chosen) {
        let results: AnnotationResult[] | undefined;
        try {
          const a = JSON.parse(s.annotation) as unknown;
          results = storedResults(a);
          if (!results) throw storedError(StoredAnnotation, a, 'annotation');
        } catch (e) {
          throw new Error(`task ${row.taskId}, submission by ${s.annotator}: ${(e as Error).message}`, {
            cause: e,
          });
        }
        versions.push({ s, results });
      }
      if (opts.version === 'consensus') {
        const merged = consensusOf(versions.map((v) => v.results));
        if (merged.reasons.length > 0) {
          leftOut?.add(`tasks without a clear consensus (${merged.reasons[0]!.kind}) left out`);
          continue;
        }
        yield {
          taskId: row.taskId,
          sourceId: sourceId ?? row.taskId,
          data,
          results: merged.results,
          annotator: 'consensus',
          submittedAt: Math.max(...versions.map((v) => v.s.receivedAt)),
          conflict: false,
        };
        continue;
      }
      for (const { s, results } of versions) {
        yield {
          taskId: row.taskId,
          sourceId: sourceId ?? row.taskId,
          data,
          results,
          annotator: s.annotator,
          submittedAt: s.receivedAt,
          conflict: s.conflict,
        };
      }
    }
  }
}
