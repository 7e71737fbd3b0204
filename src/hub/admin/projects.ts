import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { LabelConfig, Project, ProjectKind, Task, type ImageAsset, type TaskInput } from '../../shared/model';
import {
  BatchName,
  DEFAULT_BATCH,
  RejectReasonList,
  ReviewPolicy,
  type ProjectInfo,
} from '../../shared/sync';
import { StorageRefusal } from '../storage/errors';
import type { HubStorage, NewTask } from '../storage/types';
import { InputError } from './errors';
import { importImages } from './images';
import { readJsonl } from './jsonl';
import { resolveProject } from './users';
import type { Clock } from '../../shared/clock';

/**
 * A config file is either a bare label config or a project file like resources/demo/*-project.json
 * (`{ name, kind, leaseHours, overlap, labelConfig }`).
 */
const ProjectFile = z.object({
  name: z.string().min(1).max(200).optional(),
  kind: ProjectKind.optional(),
  leaseHours: Project.shape.leaseHours.optional(),
  overlap: Project.shape.overlap.optional(),
  reviewPolicy: ReviewPolicy.optional(),
  rejectReasons: RejectReasonList.optional(),
  labelConfig: LabelConfig,
});
export type ProjectSettings = z.infer<typeof ProjectFile>;

export const readProjectConfig = async (file: string): Promise<ProjectSettings> => {
  const raw = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`--config ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new InputError(`--config ${file}: not valid JSON (${(e as Error).message})`);
  }
  const wrapped =
    json !== null && typeof json === 'object' && 'labelConfig' in json ? json : { labelConfig: json };
  const r = ProjectFile.safeParse(wrapped);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(
      `--config ${file}: ${(issue?.path ?? []).join('.') || 'config'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return r.data;
};

export interface CreateProjectInput {
  name: string;
  labelConfig: LabelConfig;
  /** Exactly one source of tasks. */
  images?: string;
  texts?: string;
  comparisons?: string;
  kind?: ProjectKind;
  leaseHours?: number;
  overlap?: number;
  /** Defaults to a slug of the name. */
  id?: string;
  /** The batch its tasks join (default "default"). */
  batch?: string;
  reviewPolicy?: ReviewPolicy;
  rejectReasons?: string[];
  /** Authors may fetch their submissions' images after the lease (default true; issue 16.3). */
  authorAssets?: boolean;
}

/** Exactly one source of tasks: a folder of images, or a JSONL of texts or of comparisons. */
export interface TaskSource {
  images?: string;
  texts?: string;
  comparisons?: string;
}

export const kindOf = (src: TaskSource): ProjectKind => {
  const sources = [src.images, src.texts, src.comparisons].filter((s) => s !== undefined);
  if (sources.length !== 1)
    throw new InputError(
      'give exactly one of --images <folder>, --texts <file.jsonl>, --comparisons <file.jsonl>',
    );
  return src.images !== undefined ? 'image' : src.texts !== undefined ? 'text' : 'comparison';
};

export const batchOf = (batch: string | undefined): string => {
  const r = BatchName.safeParse(batch ?? DEFAULT_BATCH);
  if (!r.success) throw new InputError(`--batch: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
};

/**
 * Reads a source's tasks for a project: images hashed and stored content-addressed in the data
 * dir (sizes after EXIF rotation), texts and comparisons NFC-normalized. Task ids are
 * `<project>:<source id>`.
 */
export const readTasks = async (
  dataDir: string,
  projectId: string,
  kind: ProjectKind,
  src: TaskSource,
): Promise<{ tasks: NewTask[]; assets: ImageAsset[] }> => {
  const tasks: NewTask[] = [];
  const assets: ImageAsset[] = [];
  const task = (sourceId: string, t: Omit<TaskInput, 'id' | 'projectId'>): Task =>
    Task.parse({ ...t, id: `${projectId}:${sourceId}`, projectId, meta: { ...(t.meta ?? {}), sourceId } });
  if (src.images !== undefined) {
    for (const img of await importImages(src.images, dataDir)) {
      assets.push(img.asset);
      tasks.push({
        task: task(img.name, { data: { kind: 'image', image: img.asset } }),
        assetSha256: img.asset.sha256,
      });
    }
  } else {
    const file = src.texts ?? src.comparisons ?? '';
    for (const r of await readJsonl(
      file,
      kind === 'text' ? 'text' : 'comparison',
      kind === 'text' ? '--texts' : '--comparisons',
    )) {
      tasks.push({ task: task(r.id, { data: r.data, predictions: r.predictions, meta: r.meta }) });
    }
  }
  return { tasks, assets };
};

const slug = (name: string): string =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || `p-${randomBytes(4).toString('hex')}`;

/**
 * Creates a project with its tasks: images are hashed and stored content-addressed in the data
 * dir, texts and comparisons NFC-normalized. One transaction: all tasks or none.
 */
export const createProject = async (
  storage: HubStorage,
  dataDir: string,
  input: CreateProjectInput,
  clock: Clock = Date.now,
): Promise<{ project: ProjectInfo; taskCount: number }> => {
  const kind = kindOf(input);
  const batch = batchOf(input.batch);
  if (input.kind !== undefined && input.kind !== kind)
    throw new InputError(`the config says kind "${input.kind}" but the tasks given are ${kind} tasks`);
  const id = input.id ?? slug(input.name);
  const settings = Project.safeParse({
    id,
    name: input.name,
    kind,
    labelConfig: input.labelConfig,
    leaseHours: input.leaseHours,
    overlap: input.overlap,
  });
  if (!settings.success) {
    const issue = settings.error.issues[0];
    throw new InputError(`project ${(issue?.path ?? []).join('.')}: ${issue?.message ?? 'invalid'}`);
  }
  const p = settings.data;
  const { tasks, assets } = await readTasks(dataDir, p.id, kind, input);
  try {
    await storage.createProject(
      {
        id: p.id,
        name: p.name,
        kind: p.kind,
        labelConfig: p.labelConfig,
        leaseHours: p.leaseHours,
        overlap: p.overlap,
        batch,
        reviewPolicy: input.reviewPolicy ?? 'none',
        rejectReasons: input.rejectReasons ?? [],
        authorAssets: input.authorAssets ?? true,
      },
      tasks,
      assets,
      clock(),
    );
  } catch (e) {
    if (e instanceof StorageRefusal) throw new InputError(e.message);
    throw e;
  }
  const project = await storage.getProject(p.id);
  if (!project) throw new Error(`project ${p.id} was not stored`);
  return { project, taskCount: tasks.length };
};

/** Adds tasks to a project's batch (a new batch or an existing one); their kind must be the project's. */
export const addTasks = async (
  storage: HubStorage,
  dataDir: string,
  input: TaskSource & { project: string; batch: string },
): Promise<{ projectId: string; batch: string; taskCount: number }> => {
  const kind = kindOf(input);
  const batch = batchOf(input.batch);
  const projectId = await resolveProject(storage, input.project);
  const project = await storage.getProject(projectId);
  if (!project) throw new InputError(`--project ${input.project}: no project with that id or name`);
  if (project.kind !== kind)
    throw new InputError(`project ${projectId} holds ${project.kind} tasks, not ${kind} tasks`);
  const { tasks, assets } = await readTasks(dataDir, projectId, kind, input);
  if (tasks.length === 0) throw new InputError('no tasks found in the given source');
  try {
    await storage.addTasks(projectId, batch, tasks, assets);
  } catch (e) {
    if (e instanceof StorageRefusal) throw new InputError(e.message);
    throw e;
  }
  return { projectId, batch, taskCount: tasks.length };
};

/** `none`, `all`, or a percent (`10`, `12.5%`) drawn with `seed`: the CLI's --review. */
export const parseReviewPolicy = (review: string, seed: number | undefined): ReviewPolicy => {
  if (review === 'none' || review === 'all') {
    if (seed !== undefined) throw new InputError('--review-seed goes with a percent --review only');
    return review;
  }
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(review.trim());
  const percent = m ? Number(m[1]) : NaN;
  if (!(percent >= 0 && percent <= 100))
    throw new InputError(`--review must be none, all or a percent from 0 to 100, got "${review}"`);
  return { percent, seed: seed ?? 0 };
};

/** `a;b;c` → the project's reject reasons. */
export const parseRejectReasons = (list: string): string[] => {
  const reasons = list
    .split(';')
    .map((r) => r.trim())
    .filter(Boolean);
  const r = RejectReasonList.safeParse(reasons);
  if (!r.success)
    throw new InputError(
      `--reject-reasons: ${r.error.issues[0]?.message ?? 'invalid'} (at most 50, each 1–200 characters)`,
    );
  return r.data;
};

/**
 * Whether the authors of a project's submissions may fetch their tasks' images after the lease
 * ended (issue 16.3: finished work can be seen again). Off for a client that requires removal
 * at lease end. Returns the project id.
 */
export const setAuthorAssets = async (
  storage: HubStorage,
  input: { project: string; allowed: boolean },
): Promise<string> => {
  const id = await resolveProject(storage, input.project);
  await storage.setAuthorAssets(id, input.allowed);
  return id;
};

/** Parses `--author-assets on|off`. */
export const parseOnOff = (flag: string, value: string): boolean => {
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new InputError(`--${flag}: "${value}" is neither on nor off`);
};

/** Sets a project's review policy (and, if given, its reject reasons). */
export const setReviewPolicy = async (
  storage: HubStorage,
  input: { project: string; reviewPolicy: ReviewPolicy; rejectReasons?: string[] },
): Promise<ProjectInfo> =>
  storage.setReviewPolicy(
    await resolveProject(storage, input.project),
    input.reviewPolicy,
    input.rejectReasons,
  );
