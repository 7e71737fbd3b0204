import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { LabelConfig, Project, ProjectKind, Task, type TaskInput } from '../../shared/model';
import type { ProjectInfo } from '../../shared/sync';
import { StorageRefusal } from '../storage/errors';
import type { HubStorage, NewTask } from '../storage/types';
import { InputError } from './errors';
import { importImages } from './images';
import { readJsonl } from './jsonl';
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
}

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
  const sources = [input.images, input.texts, input.comparisons].filter((s) => s !== undefined);
  if (sources.length !== 1)
    throw new InputError(
      'give exactly one of --images <folder>, --texts <file.jsonl>, --comparisons <file.jsonl>',
    );
  const kind: ProjectKind =
    input.images !== undefined ? 'image' : input.texts !== undefined ? 'text' : 'comparison';
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
  const tasks: NewTask[] = [];
  const assets = [];
  const task = (sourceId: string, t: Omit<TaskInput, 'id' | 'projectId'>): Task =>
    Task.parse({ ...t, id: `${p.id}:${sourceId}`, projectId: p.id, meta: { ...(t.meta ?? {}), sourceId } });
  if (input.images !== undefined) {
    for (const img of await importImages(input.images, dataDir)) {
      assets.push(img.asset);
      tasks.push({
        task: task(img.name, { data: { kind: 'image', image: img.asset } }),
        assetSha256: img.asset.sha256,
      });
    }
  } else {
    const file = input.texts ?? input.comparisons ?? '';
    for (const r of await readJsonl(
      file,
      kind === 'text' ? 'text' : 'comparison',
      kind === 'text' ? '--texts' : '--comparisons',
    )) {
      tasks.push({ task: task(r.id, { data: r.data, predictions: r.predictions, meta: r.meta }) });
    }
  }
  try {
    await storage.createProject(
      {
        id: p.id,
        name: p.name,
        kind: p.kind,
        labelConfig: p.labelConfig,
        leaseHours: p.leaseHours,
        overlap: p.overlap,
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
