import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { formatZodError } from '../dispatch';
import {
  LanguageTag,
  ModelResponse,
  Project,
  TextDirection,
  normalizeText,
  type Task,
} from '../../../shared/model';
import type { AssetStore } from '../assets/store';
import type { NewTask } from '../queue/repo';
import type { QueueService } from '../queue/service';
import { taskTitle } from '../../../shared/model/task-title';
import { readImageInfo } from '../../../shared/model/image-info';

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp', '.tif', '.tiff']);

const TextLine = z
  .object({
    id: z.string().min(1),
    title: z.string().optional(),
    text: z.string(),
    language: LanguageTag.optional(),
    direction: TextDirection.optional(),
  })
  .strict();
const ComparisonLine = z
  .object({ id: z.string().min(1), prompt: z.string(), responses: z.array(ModelResponse).min(2) })
  .strict();

/** A file that fails its schema: the message names the file (and line) and the field. */
export class DemoDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoDataError';
  }
}

const parseWith = <T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> => {
  const r = schema.safeParse(value);
  if (!r.success) throw new DemoDataError(`${where}: ${formatZodError(r.error)}`);
  return r.data;
};

const readJson = (file: string): unknown => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DemoDataError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
};

const readJsonl = <T extends z.ZodType>(file: string, schema: T): z.output<T>[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter((l) => l.line.length > 0)
    .map(({ line, n }) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        throw new DemoDataError(`${file}:${n}: ${e instanceof Error ? e.message : String(e)}`);
      }
      return parseWith(schema, value, `${file}:${n}`);
    });

export type DemoData = { projects: Project[]; tasks: NewTask[]; images: { file: string; sha256: string }[] };

/**
 * Reads and validates the demo folder: three projects, image tasks from images/* (stored in the
 * asset store), texts and comparisons from JSONL, all text NFC-normalized here, at import.
 */
const loadDemo = (resourcesDir: string, assets: AssetStore): DemoData => {
  const demo = path.join(resourcesDir, 'demo');
  const project = (name: string): Project => {
    const file = path.join(demo, `${name}-project.json`);
    return parseWith(Project, readJson(file), file);
  };
  const image = project('image');
  const text = project('text');
  const comparison = project('comparison');
  const tasks: NewTask[] = [];
  const images: DemoData['images'] = [];

  const imageDir = path.join(demo, 'images');
  const files = fs
    .readdirSync(imageDir)
    .filter((f) => IMAGE_EXT.has(path.extname(f).toLowerCase()))
    .sort();
  for (const fileName of files) {
    const file = path.join(imageDir, fileName);
    const bytes = fs.readFileSync(file);
    const { width, height, mime } = readImageInfo(bytes, file);
    const stored = assets.write(bytes, mime);
    images.push({ file, sha256: stored.sha256 });
    const task: Task = {
      id: `image-${path.parse(fileName).name}`,
      projectId: image.id,
      data: {
        kind: 'image',
        image: { sha256: stored.sha256, width, height, mime, bytes: bytes.length, fileName },
      },
      predictions: [],
      meta: { source: `demo/images/${fileName}` },
    };
    tasks.push({ task, title: taskTitle(task.data) });
  }

  for (const line of readJsonl(path.join(demo, 'texts.jsonl'), TextLine)) {
    const title = line.title === undefined ? undefined : normalizeText(line.title);
    const data = {
      kind: 'text' as const,
      text: normalizeText(line.text),
      ...(title === undefined ? {} : { title }),
      ...(line.language === undefined ? {} : { language: line.language }),
      ...(line.direction === undefined ? {} : { direction: line.direction }),
    };
    tasks.push({
      task: { id: line.id, projectId: text.id, data, predictions: [], meta: {} },
      title: taskTitle(data),
    });
  }

  for (const line of readJsonl(path.join(demo, 'comparisons.jsonl'), ComparisonLine)) {
    const data = {
      kind: 'comparison' as const,
      prompt: normalizeText(line.prompt),
      responses: line.responses.map((r) => ({ ...r, text: normalizeText(r.text) })),
    };
    tasks.push({
      task: { id: line.id, projectId: comparison.id, data, predictions: [], meta: {} },
      title: taskTitle(data),
    });
  }
  return { projects: [image, text, comparison], tasks, images };
};

/**
 * Seeds the demo workspace into an empty database (no projects yet), in one transaction. A
 * database that already holds projects is left alone, so a second start seeds nothing.
 */
export const seedDemo = (
  resourcesDir: string,
  queue: QueueService,
  assets: AssetStore,
): { seeded: boolean; projects: number; tasks: number } => {
  if (queue.projectCount() > 0) return { seeded: false, projects: 0, tasks: 0 };
  const demo = loadDemo(resourcesDir, assets);
  queue.addProjectsAndTasks(demo.projects, demo.tasks);
  return { seeded: true, projects: demo.projects.length, tasks: demo.tasks.length };
};
