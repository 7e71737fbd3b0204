import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { imageFileName, stemOf, type ExportRecord } from '../../shared/export';
import type { YoloTask } from '../../shared/export/yolo';
import { AnnotationResult, type LabelConfig, type Prediction, TaskData } from '../../shared/model';
import { InputError } from '../admin/errors';
import type { HubStorage } from '../storage/types';
import { readCoco } from './coco';
import { ComparisonTasks, readPreferencePairs, readRankings } from './comparisons';
import { conllKey, conllSpans, readConll, textKey } from './conll';
import { LsTask, fromLsResult, joinLsKeypoints, lsIds } from './label-studio';
import { NotImported, imageKey, parseJsonFile, parseValue } from './parse';
import { readResultsCsv } from './results-csv';
import { matchVersions, readResultsJsonl } from './results-jsonl';
import { readSpacy } from './spacy';
import { readTextJsonl } from './text-jsonl';
import { TextTasks } from './text-spans';
import { readVocXml, vocBoxes } from './voc';
import { readDataYaml, readYoloLabels } from './yolo';

export const PredictionFormat = z.enum([
  'coco',
  'yolo-detect',
  'yolo-segment',
  'yolo-pose',
  'yolo-obb',
  'voc',
  'label-studio',
  'conll',
  'spacy',
  'text-jsonl',
  'jsonl',
  'csv',
  'preference-pairs',
  'rankings',
]);
export type PredictionFormat = z.infer<typeof PredictionFormat>;

interface ProjectTask {
  taskId: string;
  sourceId: string;
  data: TaskData;
}

interface Tasks {
  /** By the names an image may carry elsewhere (and `stem:` + its stem), ids lower-cased. */
  byKey: Map<string, ProjectTask>;
  all: ProjectTask[];
  byId: Map<string, ProjectTask>;
}

/** Every task of a project, keyed by the names an image may carry elsewhere. */
const projectTasks = async (storage: HubStorage, projectId: string): Promise<Tasks> => {
  const byKey = new Map<string, ProjectTask>();
  const all: ProjectTask[] = [];
  const byId = new Map<string, ProjectTask>();
  let after: string | undefined;
  for (;;) {
    const page = await storage.exportPage(projectId, after, 2000, { annotators: ['\u0000none'] });
    if (page.length === 0) return { byKey, all, byId };
    after = page[page.length - 1]!.taskId;
    for (const row of page) {
      const data = TaskData.parse(JSON.parse(row.data));
      const meta = JSON.parse(row.meta) as { sourceId?: string };
      const t = { taskId: row.taskId, sourceId: meta.sourceId ?? row.taskId, data };
      all.push(t);
      byId.set(t.taskId, t);
      const keys = [t.sourceId, row.taskId];
      if (data.kind === 'image') {
        keys.push(data.image.fileName, imageFileName({ ...t, results: [] } as unknown as ExportRecord));
      }
      for (const k of keys) {
        byKey.set(imageKey(k), t);
        byKey.set(`stem:${stemOf(imageKey(k))}`, t);
      }
    }
  }
};

const textTasks = (tasks: Tasks): TextTasks =>
  new TextTasks(
    tasks.all.flatMap((t) =>
      t.data.kind === 'text' ? [{ taskId: t.taskId, sourceId: t.sourceId, text: t.data.text }] : [],
    ),
  );

const listFiles = async (dir: string, ext: string): Promise<string[]> => {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p, ext)));
    else if (e.name.toLowerCase().endsWith(ext)) out.push(p);
  }
  return out.sort();
};

const readText = (file: string): Promise<string> =>
  readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });

/** A set of results read for one task, before they are checked and stored. */
interface Found {
  taskId: string;
  results: AnnotationResult[];
  model?: string;
  score?: number;
}

interface Source {
  path: string;
  tasks: Tasks;
  labelConfig: LabelConfig;
  notImported: NotImported;
  add: (f: Found) => void;
  unmatched: string[];
}

const fromCoco = async (s: Source): Promise<void> => {
  for (const [key, img] of readCoco(await readText(s.path), s.path, s.notImported)) {
    const t = s.tasks.byKey.get(key);
    if (!t) s.unmatched.push(img.fileName);
    else if (img.results.length) s.add({ taskId: t.taskId, results: img.results });
  }
};

const fromYolo = async (s: Source, task: YoloTask): Promise<void> => {
  const meta = readDataYaml(await readText(join(s.path, 'data.yaml')), join(s.path, 'data.yaml'));
  const files = await listFiles(join(s.path, 'labels'), '.txt').catch(() => {
    throw new InputError(`${s.path}: no labels/ folder`);
  });
  for (const f of files) {
    const stem = stemOf(f.split(/[\\/]/).pop() ?? f);
    const t = s.tasks.byKey.get(`stem:${stem.toLowerCase()}`);
    if (!t || t.data.kind !== 'image') {
      s.unmatched.push(relative(s.path, f));
      continue;
    }
    const { width, height } = t.data.image;
    s.add({ taskId: t.taskId, results: readYoloLabels(await readText(f), f, task, meta, width, height) });
  }
};

/** A VOC dataset folder (`Annotations/*.xml`, else the folder's own `*.xml`) or one XML file. */
const fromVoc = async (s: Source): Promise<void> => {
  const isDir = (await stat(s.path).catch(() => undefined))?.isDirectory();
  let files = [s.path];
  if (isDir) {
    const annotations = join(s.path, 'Annotations');
    const hasAnnotations = (await stat(annotations).catch(() => undefined))?.isDirectory();
    files = await listFiles(hasAnnotations ? annotations : s.path, '.xml');
    if (!files.length) throw new InputError(`${s.path}: no .xml annotation files`);
  }
  for (const f of files) {
    const img = readVocXml(await readText(f), f);
    const stem = stemOf(f.split(/[\\/]/).pop() ?? f).toLowerCase();
    const t = s.tasks.byKey.get(imageKey(img.fileName)) ?? s.tasks.byKey.get(`stem:${stem}`);
    if (!t || t.data.kind !== 'image') {
      s.unmatched.push(img.fileName);
      continue;
    }
    const { width, height } = t.data.image;
    s.add({ taskId: t.taskId, results: vocBoxes(img, width, height, f, s.notImported) });
  }
};

const fromLabelStudio = async (s: Source): Promise<void> => {
  const list = parseJsonFile(z.array(z.unknown()), await readText(s.path), s.path);
  const texts = textTasks(s.tasks);
  list.forEach((raw, i) => {
    const ls = parseValue(LsTask, raw, s.path, [i]);
    const ref = typeof ls.data.image === 'string' ? ls.data.image : undefined;
    const t = ref
      ? s.tasks.byKey.get(imageKey(ref))
      : typeof ls.data.text === 'string'
        ? s.tasks.byId.get(texts.find([], ls.data.text, s.path)?.taskId ?? '')
        : undefined;
    if (!t) {
      s.unmatched.push(ref ?? `$[${i}]`);
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
      const converted = set.result.map((r, k) =>
        fromLsResult(r, target, `${s.path}: $[${i}].${set.path}.result[${k}]`, s.notImported, idOf),
      );
      const results = joinLsKeypoints(set.result, converted, s.labelConfig.skeleton?.points.length ?? 0);
      s.add({
        taskId: t.taskId,
        results,
        ...(set.model_version === undefined ? {} : { model: String(set.model_version) }),
        ...(set.score === undefined ? {} : { score: set.score }),
      });
    }
  });
};

/** CoNLL documents, matched to texts by their tokens (the text without white space), in order. */
const fromConll = async (s: Source): Promise<void> => {
  const byKey = new Map<string, { taskId: string; sourceId: string; text: string }[]>();
  for (const t of s.tasks.all)
    if (t.data.kind === 'text') {
      const k = textKey(t.data.text);
      byKey.set(k, [...(byKey.get(k) ?? []), { taskId: t.taskId, sourceId: t.sourceId, text: t.data.text }]);
    }
  const used = new Map<string, number>();
  for (const doc of readConll(await readText(s.path), s.path)) {
    const key = conllKey(doc);
    // Documents with the same tokens go to the tasks with that text, one each in task order,
    // round again when there are more (several versions of one text: one prediction each).
    const n = used.get(key) ?? 0;
    const same = byKey.get(key);
    if (!same) {
      s.unmatched.push(`the document at line ${doc.line}`);
      continue;
    }
    const t = same[n % same.length]!;
    used.set(key, n + 1);
    s.add({ taskId: t.taskId, results: conllSpans(doc, t.text, s.path, t.sourceId) });
  }
};

const fromTextLines = async (s: Source, format: 'spacy' | 'text-jsonl'): Promise<void> => {
  const text = await readText(s.path);
  const tasks = textTasks(s.tasks);
  const r =
    format === 'spacy'
      ? readSpacy(text, s.path, tasks, s.labelConfig.classes, s.notImported)
      : readTextJsonl(text, s.path, tasks);
  s.unmatched.push(...r.unmatched);
  for (const f of r.found) s.add({ taskId: f.task.taskId, results: f.results });
};

/**
 * Comparison judgements from our `preference-pairs` or `rankings` export: one file, or the
 * export's folder of per-split files (`preferences/` / `rankings/`, every `.jsonl` in it).
 */
const fromComparisons = async (s: Source, format: 'preference-pairs' | 'rankings'): Promise<void> => {
  const tasks = new ComparisonTasks(
    s.tasks.all.flatMap((t) =>
      t.data.kind === 'comparison'
        ? [{ taskId: t.taskId, sourceId: t.sourceId, prompt: t.data.prompt, responses: t.data.responses }]
        : [],
    ),
  );
  const isDir = (await stat(s.path).catch(() => undefined))?.isDirectory();
  const files = isDir ? await listFiles(s.path, '.jsonl') : [s.path];
  if (!files.length) throw new InputError(`${s.path}: no .jsonl files`);
  for (const f of files) {
    const text = await readText(f);
    const r = format === 'rankings' ? readRankings(text, f, tasks) : readPreferencePairs(text, f, tasks);
    s.unmatched.push(...r.unmatched.map((u) => (isDir ? `${relative(s.path, f)} ${u}` : u)));
    for (const x of r.found) s.add({ taskId: x.task.taskId, results: [x.result] });
  }
};

/** Our `jsonl` or `csv` export: results as stored, matched by task id, else source id. */
const fromResults = async (s: Source, format: 'jsonl' | 'csv'): Promise<void> => {
  const text = await readText(s.path);
  const versions = format === 'csv' ? readResultsCsv(text, s.path) : readResultsJsonl(text, s.path);
  const r = matchVersions(
    versions,
    (taskId, sourceId) =>
      (taskId === undefined ? undefined : s.tasks.byId.get(taskId)) ??
      (sourceId === undefined ? undefined : s.tasks.byKey.get(imageKey(sourceId))),
  );
  s.unmatched.push(...r.unmatched);
  for (const f of r.found) s.add({ taskId: f.task.taskId, results: f.results });
};

/**
 * Model pre-annotations for a project's tasks, attached as predictions (`model`, optional
 * `score`) that the editors show as suggestions: images from COCO, YOLO (a dataset folder,
 * `data.yaml` + `labels/**.txt`), Pascal VOC (a folder of XML or one file) or Label Studio JSON;
 * texts from Label Studio JSON, CoNLL, spaCy JSONL or our text JSONL; comparisons from our
 * preference pairs or rankings JSONL; any task from our results JSONL or CSV. Images are matched by file name (folders ignored; YOLO by stem), texts by id or
 * text (CoNLL by its tokens). Everything is checked before anything is stored, and stored in one
 * transaction: an error names the file, the line or JSON path, and the field.
 */
export const importPredictions = async (
  storage: HubStorage,
  opts: { projectId: string; format: PredictionFormat; path: string; model: string; score?: number },
): Promise<{ tasks: number; results: number; notImported: { reason: string; count: number }[] }> => {
  const project = await storage.getProject(opts.projectId);
  if (!project) throw new InputError(`--project: no project ${opts.projectId}`);
  const found = new Map<string, Found[]>();
  const source: Source = {
    path: opts.path,
    tasks: await projectTasks(storage, opts.projectId),
    labelConfig: project.labelConfig,
    notImported: new NotImported(),
    add: (f) => found.set(f.taskId, [...(found.get(f.taskId) ?? []), f]),
    unmatched: [],
  };
  const f = opts.format;
  if (f === 'coco') await fromCoco(source);
  else if (f.startsWith('yolo-')) await fromYolo(source, f.slice(5) as YoloTask);
  else if (f === 'voc') await fromVoc(source);
  else if (f === 'label-studio') await fromLabelStudio(source);
  else if (f === 'conll') await fromConll(source);
  else if (f === 'jsonl' || f === 'csv') await fromResults(source, f);
  else if (f === 'preference-pairs' || f === 'rankings') await fromComparisons(source, f);
  else await fromTextLines(source, f as 'spacy' | 'text-jsonl');
  const { unmatched } = source;
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
  return { tasks: predictions.size, results, notImported: source.notImported.list() };
};
