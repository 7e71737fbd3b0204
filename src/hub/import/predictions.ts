import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { imageFileName, stemOf, type ExportRecord } from '../../shared/export';
import type { YoloTask } from '../../shared/export/yolo';
import { AnnotationResult, type Prediction, TaskData } from '../../shared/model';
import { InputError } from '../admin/errors';
import type { HubStorage } from '../storage/types';
import { readCoco } from './coco';
import { LsTask, fromLsResult, lsIds } from './label-studio';
import { NotImported, imageKey, parseJsonFile, parseValue } from './parse';
import { readDataYaml, readYoloLabels } from './yolo';

export const PredictionFormat = z.enum([
  'coco',
  'yolo-detect',
  'yolo-segment',
  'yolo-pose',
  'yolo-obb',
  'label-studio',
]);
export type PredictionFormat = z.infer<typeof PredictionFormat>;

interface ProjectTask {
  taskId: string;
  sourceId: string;
  data: TaskData;
}

/** Every task of a project, keyed by the names an image may carry elsewhere. */
const projectTasks = async (storage: HubStorage, projectId: string): Promise<Map<string, ProjectTask>> => {
  const out = new Map<string, ProjectTask>();
  let after: string | undefined;
  for (;;) {
    const page = await storage.exportPage(projectId, after, 2000, { annotators: ['\u0000none'] });
    if (page.length === 0) return out;
    after = page[page.length - 1]!.taskId;
    for (const row of page) {
      const data = TaskData.parse(JSON.parse(row.data));
      const meta = JSON.parse(row.meta) as { sourceId?: string };
      const t = { taskId: row.taskId, sourceId: meta.sourceId ?? row.taskId, data };
      const keys = [t.sourceId, row.taskId];
      if (data.kind === 'image') {
        keys.push(data.image.fileName, imageFileName({ ...t, results: [] } as unknown as ExportRecord));
      }
      for (const k of keys) {
        out.set(imageKey(k), t);
        out.set(`stem:${stemOf(imageKey(k))}`, t);
      }
    }
  }
};

const listTxt = async (dir: string): Promise<string[]> => {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listTxt(p)));
    else if (e.name.endsWith('.txt')) out.push(p);
  }
  return out;
};

const readText = (file: string): Promise<string> =>
  readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });

/**
 * Model pre-annotations for a project's tasks from a COCO file, a YOLO dataset folder
 * (`data.yaml` + `labels/**.txt`) or a Label Studio JSON export, attached as predictions
 * (`model`, optional `score`) that the editors show as suggestions. Images are matched by file
 * name (folders ignored; YOLO by stem). Everything is checked before anything is stored, and
 * stored in one transaction: an error names the file, the line or JSON path, and the field.
 */
export const importPredictions = async (
  storage: HubStorage,
  opts: { projectId: string; format: PredictionFormat; path: string; model: string; score?: number },
): Promise<{ tasks: number; results: number; notImported: { reason: string; count: number }[] }> => {
  const project = await storage.getProject(opts.projectId);
  if (!project) throw new InputError(`--project: no project ${opts.projectId}`);
  const tasks = await projectTasks(storage, opts.projectId);
  const notImported = new NotImported();
  const found = new Map<string, { results: AnnotationResult[]; model?: string; score?: number }[]>();
  const add = (taskId: string, results: AnnotationResult[], model?: string, score?: number): void => {
    found.set(taskId, [...(found.get(taskId) ?? []), { results, model, score }]);
  };
  const unmatched: string[] = [];
  if (opts.format === 'coco') {
    for (const [key, img] of readCoco(await readText(opts.path), opts.path, notImported)) {
      const t = tasks.get(key);
      if (!t) unmatched.push(img.fileName);
      else if (img.results.length) add(t.taskId, img.results);
    }
  } else if (opts.format.startsWith('yolo-')) {
    const meta = readDataYaml(await readText(join(opts.path, 'data.yaml')), join(opts.path, 'data.yaml'));
    const files = await listTxt(join(opts.path, 'labels')).catch(() => {
      throw new InputError(`${opts.path}: no labels/ folder`);
    });
    for (const f of files) {
      const stem = stemOf(f.split(/[\\/]/).pop() ?? f);
      const t = tasks.get(`stem:${stem.toLowerCase()}`);
      if (!t || t.data.kind !== 'image') {
        unmatched.push(relative(opts.path, f));
        continue;
      }
      const task = opts.format.slice(5) as YoloTask;
      add(
        t.taskId,
        readYoloLabels(await readText(f), f, task, meta, t.data.image.width, t.data.image.height),
      );
    }
  } else {
    const list = parseJsonFile(z.array(z.unknown()), await readText(opts.path), opts.path);
    list.forEach((raw, i) => {
      const ls = parseValue(LsTask, raw, opts.path, [i]);
      const ref = typeof ls.data.image === 'string' ? ls.data.image : undefined;
      const t = ref
        ? tasks.get(imageKey(ref))
        : [...tasks.values()].find((x) => x.data.kind === 'text' && x.data.text === ls.data.text);
      if (!t) {
        unmatched.push(ref ?? `$[${i}]`);
        return;
      }
      const target =
        t.data.kind === 'image'
          ? { kind: 'image' as const, width: t.data.image.width, height: t.data.image.height }
          : { kind: 'text' as const, text: t.data.kind === 'text' ? t.data.text : '' };
      const sets = ls.predictions.length
        ? ls.predictions.map((p, k) => ({ ...p, path: `predictions[${k}]` }))
        : ls.annotations.map((a, k) => ({
            ...a,
            path: `annotations[${k}]`,
            model_version: undefined,
            score: undefined,
          }));
      for (const set of sets) {
        const idOf = lsIds();
        const results = set.result.flatMap(
          (r, k) =>
            fromLsResult(r, target, `${opts.path}: $[${i}].${set.path}.result[${k}]`, notImported, idOf) ??
            [],
        );
        add(
          t.taskId,
          results,
          set.model_version === undefined ? undefined : String(set.model_version),
          set.score,
        );
      }
    });
  }
  if (unmatched.length)
    throw new InputError(
      `${opts.path}: ${unmatched.length} image(s) or task(s) not in project ${opts.projectId} (first: ${unmatched.slice(0, 3).join(', ')}); nothing was imported`,
    );
  const predictions = new Map<string, Prediction[]>();
  let results = 0;
  for (const [taskId, sets] of found) {
    predictions.set(
      taskId,
      sets.map((s) => {
        const checked = parseValue(
          z.array(AnnotationResult),
          s.results,
          `${opts.path}: results for task ${taskId}`,
        );
        results += checked.length;
        const score = s.score ?? opts.score;
        return { model: s.model ?? opts.model, ...(score === undefined ? {} : { score }), results: checked };
      }),
    );
  }
  await storage.addPredictions(opts.projectId, predictions);
  return { tasks: predictions.size, results, notImported: notImported.list() };
};
