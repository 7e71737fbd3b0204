import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { Annotation, type ImageAsset, normalizeText, type Prediction, Task } from '../../shared/model';
import { InputError } from '../admin/errors';
import { importImages } from '../admin/images';
import type { ProjectInfo } from '../../shared/sync';
import type { ImportedSubmission } from '../storage/importing';
import type { HubStorage, NewTask } from '../storage/types';
import { fromLsResult, lsIds, LsTask, type LsResult, type LsTarget } from './label-studio';
import { translateLabelStudioConfig } from './label-studio-config';
import { NotImported, imageKey, parseJsonFile, parseValue } from './parse';

const read = (file: string, flag: string): Promise<string> =>
  readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`${flag} ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'imported';

/**
 * A Label Studio project export (its JSON task list and its XML labeling config) as a new
 * project: tasks, predictions (as predictions), and finished annotations (as submissions by
 * their `completed_by`, cancelled ones left out). Image tasks need the images (`images`
 * folder), matched by file name. What cannot be translated is listed, never dropped silently;
 * any error (naming the file and JSON path) imports nothing: the project, its tasks and the
 * submissions are written in one transaction.
 */
export const importLabelStudioProject = async (
  storage: HubStorage,
  dataDir: string,
  opts: { file: string; config: string; name: string; images?: string; now: number },
): Promise<{
  project: ProjectInfo;
  tasks: number;
  submissions: number;
  predictions: number;
  untranslated: string[];
  notImported: { reason: string; count: number }[];
}> => {
  const { kind, labelConfig, untranslated } = translateLabelStudioConfig(
    await read(opts.config, '--config'),
    opts.config,
  );
  const list = parseJsonFile(z.array(z.unknown()), await read(opts.file, '--file'), opts.file);
  const lsTasks = list.map((raw, i) => parseValue(LsTask, raw, opts.file, [i]));
  const images = new Map<string, ImageAsset>();
  if (kind === 'image') {
    if (!opts.images)
      throw new InputError('--images is required for an image project: the folder holding its images');
    for (const img of await importImages(opts.images, dataDir)) images.set(imageKey(img.name), img.asset);
  }
  const projectId = slug(opts.name);
  const notImported = new NotImported();
  const tasks: NewTask[] = [];
  const assets = new Map<string, ImageAsset>();
  const imported: ImportedSubmission[] = [];
  let predictions = 0;
  const seen = new Set<string>();
  lsTasks.forEach((ls, i) => {
    const at = `${opts.file}: $[${i}]`;
    const sourceId = String(ls.id ?? i + 1);
    if (seen.has(sourceId)) throw new InputError(`${at}.id: task id ${sourceId} appears twice`);
    seen.add(sourceId);
    let data: Task['data'];
    let target: LsTarget;
    if (kind === 'image') {
      const ref = ls.data.image;
      if (typeof ref !== 'string') throw new InputError(`${at}.data.image: an image task needs data.image`);
      // Label Studio prefixes uploads with a hash and a dash ("1a2b3c4d-photo.jpg"); try both.
      const asset = images.get(imageKey(ref)) ?? images.get(imageKey(ref).replace(/^[0-9a-f]{8}-/, ''));
      if (!asset) throw new InputError(`${at}.data.image: ${ref} is not in --images ${opts.images}`);
      assets.set(asset.sha256, asset);
      data = { kind: 'image', image: asset };
      target = { kind: 'image', width: asset.width, height: asset.height };
    } else {
      const text = ls.data.text ?? Object.values(ls.data).find((v) => typeof v === 'string');
      if (typeof text !== 'string') throw new InputError(`${at}.data.text: a text task needs data.text`);
      data = { kind: 'text', text: normalizeText(text) };
      target = { kind: 'text', text: data.text };
    }
    const convert = (results: LsResult[], path: string): Annotation['results'] => {
      const idOf = lsIds();
      const out = results.flatMap(
        (r, k) => fromLsResult(r, target, `${at}.${path}.result[${k}]`, notImported, idOf) ?? [],
      );
      return parseValue(Annotation, { results: out }, `${at}.${path}`).results;
    };
    const preds: Prediction[] = ls.predictions.map((p, k) => {
      predictions++;
      return {
        model: String(p.model_version ?? 'label-studio'),
        ...(p.score === undefined ? {} : { score: p.score }),
        results: convert(p.result, `predictions[${k}]`),
      };
    });
    const taskId = `${projectId}:${sourceId}`;
    tasks.push({
      task: Task.parse({
        id: taskId,
        projectId,
        data,
        predictions: preds,
        meta: { sourceId, labelStudioId: ls.id },
      }),
      ...(data.kind === 'image' ? { assetSha256: data.image.sha256 } : {}),
    });
    ls.annotations.forEach((a, k) => {
      if (a.was_cancelled) {
        notImported.add('cancelled (skipped) Label Studio annotations');
        return;
      }
      const by = a.completed_by;
      const annotator =
        typeof by === 'string'
          ? by
          : typeof by === 'number'
            ? `label-studio-user-${by}`
            : typeof (by as { email?: unknown })?.email === 'string'
              ? (by as { email: string }).email
              : 'label-studio';
      const t = a.created_at ? Date.parse(a.created_at) : NaN;
      imported.push({
        taskId,
        annotator: annotator.slice(0, 200),
        annotation: JSON.stringify({ results: convert(a.result, `annotations[${k}]`), activeMs: 0 }),
        receivedAt: Number.isNaN(t) ? opts.now : t,
      });
    });
  });
  if (await storage.getProject(projectId))
    throw new InputError(`--name: a project with id ${projectId} already exists`);
  await storage.createProject(
    { id: projectId, name: opts.name, kind, labelConfig, leaseHours: 72, overlap: 1 },
    tasks,
    [...assets.values()],
    opts.now,
    imported,
  );
  const project = await storage.getProject(projectId);
  if (!project) throw new Error(`project ${projectId} was not stored`);
  return {
    project,
    tasks: tasks.length,
    submissions: imported.length,
    predictions,
    untranslated,
    notImported: notImported.list(),
  };
};
