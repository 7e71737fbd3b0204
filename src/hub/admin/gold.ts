import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { Annotation } from '../../shared/model';
import { StorageRefusal } from '../storage/errors';
import type { HubStorage } from '../storage/types';
import { InputError } from './errors';
import { batchOf, kindOf, readTasks, type TaskSource } from './projects';
import { resolveProject } from './users';

/**
 * Gold tasks (issue 12.3): tasks read from the usual source (so they get the same ids, data and
 * assets as any task) with their known answers from a JSONL file, one `{id, annotation}` a
 * line — `id` the task's source id (an image's path under the folder, a text's id), the
 * annotation in the format a submission has (`{results, activeMs?}`).
 */
const GoldLine = z.object({
  id: z.union([z.string().min(1).max(200), z.number().int()]).transform(String),
  annotation: Annotation,
});

const readAnswers = async (file: string): Promise<Map<string, string>> => {
  const raw = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`--gold ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  const out = new Map<string, string>();
  const lines = raw.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      throw new InputError(`--gold ${file} line ${i + 1}: not valid JSON (${(e as Error).message})`);
    }
    const r = GoldLine.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new InputError(
        `--gold ${file} line ${i + 1}: ${(issue?.path ?? []).join('.') || 'line'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    if (out.has(r.data.id))
      throw new InputError(`--gold ${file} line ${i + 1}: a second answer for id "${r.data.id}"`);
    out.set(r.data.id, JSON.stringify(r.data.annotation));
  }
  return out;
};

/** Adds gold tasks with their answers to a project's batch; every task needs an answer and every answer a task. */
export const addGoldTasks = async (
  storage: HubStorage,
  dataDir: string,
  input: TaskSource & { project: string; batch: string; gold: string },
): Promise<{ projectId: string; batch: string; taskCount: number }> => {
  const kind = kindOf(input);
  const batch = batchOf(input.batch);
  const projectId = await resolveProject(storage, input.project);
  const project = await storage.getProject(projectId);
  if (!project) throw new InputError(`--project ${input.project}: no project with that id or name`);
  if (project.kind !== kind)
    throw new InputError(`project ${projectId} holds ${project.kind} tasks, not ${kind} tasks`);
  const answers = await readAnswers(input.gold);
  const { tasks, assets } = await readTasks(dataDir, projectId, kind, input);
  const byTask = new Map<string, string>();
  for (const t of tasks) {
    const sourceId = String(t.task.meta.sourceId ?? '');
    const answer = answers.get(sourceId);
    if (answer === undefined) throw new InputError(`--gold ${input.gold}: no answer for task "${sourceId}"`);
    byTask.set(t.task.id, answer);
    answers.delete(sourceId);
  }
  const stray = [...answers.keys()][0];
  if (stray !== undefined)
    throw new InputError(`--gold ${input.gold}: answer "${stray}" matches no task of the source`);
  try {
    await storage.addTasks(projectId, batch, tasks, assets, byTask);
  } catch (e) {
    if (e instanceof StorageRefusal) throw new InputError(e.message);
    throw e;
  }
  return { projectId, batch, taskCount: tasks.length };
};
