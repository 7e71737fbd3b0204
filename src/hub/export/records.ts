import { z } from 'zod';
import type { ExportOptions, ExportRecord, SkipCounter } from '../../shared/export';
import { consensusOf } from '../../shared/quality/consensus';
import { type Annotation, AnnotationResult, TaskData } from '../../shared/model';
import { EXPORT_PAGE_TASKS, type ExportFilter, type ExportTaskRow } from '../storage/exporting';
import type { HubStorage } from '../storage/types';
import type { ExportPages } from './reader';

const RESULT_TYPES = new Set<string>(AnnotationResult.options.map((o) => o.shape.type.value));

/**
 * A stored annotation, checked for shape only: the push decoder validated it against the
 * shared Annotation schema before the hub stored it (as leases trust stored task content), and
 * a full re-parse of a million results doubled the export's allocations. Each result must still
 * be an object of a known type, so a writer never meets something unexpected.
 */
const StoredAnnotation = z.custom<Pick<Annotation, 'results'>>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    Array.isArray((v as { results?: unknown }).results) &&
    (v as { results: unknown[] }).results.every(
      (r) =>
        typeof r === 'object' && r !== null && RESULT_TYPES.has((r as { type?: unknown }).type as string),
    ),
  { message: 'results must be a list of results of known types' },
);

const WITH_ATTRIBUTES = new Set(['bbox', 'polygon', 'polyline', 'keypoints', 'span']);

/** Fills the schema defaults a client's stored bytes may leave out (in place: the objects are fresh from JSON.parse). */
const withDefaults = (results: AnnotationResult[]): AnnotationResult[] => {
  for (const r of results as unknown as Record<string, unknown>[]) {
    if (WITH_ATTRIBUTES.has(r.type as string) && r.attributes === undefined) r.attributes = {};
    if (r.type === 'bbox' && r.rotation === undefined) r.rotation = 0;
    if (r.type === 'comparison') {
      r.tie ??= false;
      r.ranking ??= [];
      r.ratings ??= {};
      r.justification ??= '';
    }
  }
  return results;
};

const TASK_KINDS = new Set<string>(TaskData.options.map((o) => o.shape.kind.value));

/**
 * Stored task data, checked for shape only: createProject and add-tasks parsed it with the
 * shared Task schema before storing it, and a zod parse per task was a tenth of an export's
 * time. The kind must still be known, so a writer never meets something unexpected.
 */
const StoredTaskData = z.custom<TaskData>(
  (v) => typeof v === 'object' && v !== null && TASK_KINDS.has((v as { kind?: unknown }).kind as string),
  { message: 'task data must be an object of a known kind' },
);

/** The task's import name; anything else in meta is not the export's business. */
const sourceIdOf = (metaText: string): string | undefined => {
  const m = JSON.parse(metaText) as unknown;
  if (typeof m !== 'object' || m === null) throw new Error('stored task meta: value: must be an object');
  const id = (m as { sourceId?: unknown }).sourceId;
  if (id !== undefined && typeof id !== 'string')
    throw new Error('stored task meta: sourceId: must be a string');
  return id;
};

const parseStored = <T>(schema: z.ZodType<T>, text: string, what: string): T => {
  const r = schema.safeParse(JSON.parse(text));
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(
      `stored ${what}: ${(issue?.path ?? []).join('.') || 'value'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return r.data;
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
        data = parseStored(StoredTaskData, row.data, 'task data');
        sourceId = sourceIdOf(row.meta);
      } catch (e) {
        throw new Error(`task ${row.taskId}: ${(e as Error).message}`, { cause: e });
      }
      const versions: { s: (typeof chosen)[number]; results: AnnotationResult[] }[] = [];
      for (const s of chosen) {
        let annotation: Pick<Annotation, 'results'>;
        try {
          annotation = parseStored(StoredAnnotation, s.annotation, 'annotation');
        } catch (e) {
          throw new Error(`task ${row.taskId}, submission by ${s.annotator}: ${(e as Error).message}`, {
            cause: e,
          });
        }
        versions.push({ s, results: withDefaults(annotation.results) });
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
