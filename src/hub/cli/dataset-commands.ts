import { InputError } from '../admin/errors';
import { ExportCancelled, ExportFormat, ExportOptions, FORMAT_TITLES } from '../../shared/export';
import { ExportRefusal, exportProject } from '../export/export';
import { importLabelStudioProject } from '../import/label-studio-project';
import { PredictionFormat, importPredictions } from '../import/predictions';
import { type Command, need, num, storageHelp, storageOpts, str, withStorage } from './commands';

type Values = Parameters<Command['run']>[0];

const list = (v: Values, k: string): string[] | undefined =>
  str(v, k)
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const time = (v: Values, k: string): number | undefined => {
  const s = str(v, k);
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  if (Number.isNaN(t))
    throw new InputError(`--${k} must be a date or time (ISO 8601, e.g. 2026-12-01), got "${s}"`);
  return t;
};

/** The export flags as ExportOptions; the first problem names its flag. */
export const exportOptionsFromFlags = (v: Values): ExportOptions => {
  const split = str(v, 'split');
  const ratios = split?.split(',').map(Number);
  if (split !== undefined && (ratios?.length !== 3 || ratios.some((n) => !Number.isFinite(n))))
    throw new InputError(`--split takes three shares, e.g. 0.8,0.1,0.1; got "${split}"`);
  const seed = str(v, 'seed');
  const raw = {
    format: need(v, 'format'),
    version: str(v, 'version'),
    annotators: list(v, 'annotators'),
    batches: list(v, 'batches'),
    from: time(v, 'from'),
    to: time(v, 'to'),
    labels: list(v, 'labels'),
    split: ratios,
    seed: seed === undefined ? undefined : Number(seed),
    images: str(v, 'images'),
  };
  const r = ExportOptions.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const flag = String(issue?.path[0] ?? 'options');
    throw new InputError(`--${flag}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
};

export const DATASET_COMMANDS: Command[] = [
  {
    name: 'export',
    usage:
      '--data <dir> [--pg <url>] --project <id> --format <format> --out <dir> [--split 0.8,0.1,0.1 --seed N] [--images none|copy|link|zip] [--version latest|submitted|reviewed|accepted|consensus] [--batches a,b] [--annotators a,b] [--labels x,y] [--from date] [--to date]',
    summary:
      'Export a project as a dataset (COCO, YOLO, VOC, Label Studio, CoNLL, spaCy, preference pairs…).',
    options: {
      ...storageOpts,
      project: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      version: { type: 'string' },
      annotators: { type: 'string' },
      batches: { type: 'string' },
      labels: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      split: { type: 'string' },
      seed: { type: 'string' },
      images: { type: 'string' },
    },
    help: {
      ...storageHelp,
      project: 'project id',
      format: ExportFormat.options.map((f) => `${f} (${FORMAT_TITLES[f]})`).join('; '),
      out: 'a new folder to create (with --images zip: the .zip file); never overwritten',
      version:
        "latest (default: the newest submission per task), submitted (every one), reviewed (the newest a reviewer accepted or fixed, with the fix), accepted (the newest accepted unchanged) or consensus (merged from every annotator's submission; tasks without a clear consensus are left out and counted)",
      batches: 'only tasks of these batches (comma-separated names)',
      annotators: 'only these annotators (comma-separated names)',
      labels: 'only results with these labels (comma-separated); tasks without them stay, empty',
      from: 'only submissions received at or after this time (ISO 8601)',
      to: 'only submissions received before this time (ISO 8601)',
      split: 'train,val,test shares summing to 1: a stratified split by label frequency',
      seed: 'seed of the split (default 0): the same seed gives the same split',
      images:
        'none (default), copy, link (symbolic links into the hub store) or zip (one .zip with everything)',
    },
    run: async (v) => {
      const options = exportOptionsFromFlags(v);
      const projectId = need(v, 'project');
      const out = need(v, 'out');
      return withStorage(v, false, async (s, dataDir) => {
        const ctl = new AbortController();
        const onSig = (): void => ctl.abort();
        process.once('SIGINT', onSig);
        try {
          let last = 0;
          const r = await exportProject({
            storage: s,
            dataDir,
            projectId,
            options,
            out,
            signal: ctl.signal,
            now: Date.now(),
            onProgress: (p) => {
              const t = Date.now();
              if (t - last < 1000 || !process.stderr.isTTY) return;
              last = t;
              process.stderr.write(`\rexported ${p.records}${p.total ? ` of ~${p.total}` : ''} tasks`);
            },
          });
          process.stdout.write(
            `exported ${r.records} versions (${r.results} results, ${r.files} files) to ${r.path}\n${r.skipped
              .map((x) => `  skipped ${x.count}: ${x.reason}\n`)
              .join('')}`,
          );
          return 0;
        } catch (e) {
          if (e instanceof ExportRefusal) throw new InputError(`--${e.field ?? 'project'}: ${e.message}`);
          if (e instanceof ExportCancelled) {
            process.stderr.write('export cancelled; nothing was written\n');
            return 130;
          }
          throw e;
        } finally {
          process.off('SIGINT', onSig);
        }
      });
    },
  },
  {
    name: 'import predictions',
    usage:
      '--data <dir> [--pg <url>] --project <id> --format coco|yolo-detect|yolo-segment|yolo-pose|yolo-obb|voc|label-studio|conll|spacy|text-jsonl|jsonl|csv|preference-pairs|rankings --from <file or folder> --model <name> [--score 0..1]',
    summary:
      "Attach a model's pre-annotations (COCO, YOLO, Pascal VOC, Label Studio JSON, CoNLL, spaCy, text JSONL, preference pairs, rankings, results JSONL or CSV) to a project's tasks as suggestions.",
    options: {
      ...storageOpts,
      project: { type: 'string' },
      format: { type: 'string' },
      from: { type: 'string' },
      model: { type: 'string' },
      score: { type: 'string' },
    },
    help: {
      ...storageHelp,
      project: 'project id',
      format: PredictionFormat.options.join(', '),
      from: 'the COCO / Label Studio JSON, CoNLL, JSONL or CSV file; the YOLO dataset folder (data.yaml + labels/); the VOC folder (Annotations/*.xml) or one XML file; preference pairs / rankings: the .jsonl or the per-split folder',
      model: 'model name shown with the suggestions (Label Studio model_version wins where given)',
      score: "the prediction's overall score, 0 to 1 (optional)",
    },
    run: async (v) => {
      const format = PredictionFormat.safeParse(need(v, 'format'));
      if (!format.success)
        throw new InputError(`--format must be one of ${PredictionFormat.options.join(', ')}`);
      const score = num(v, 'score', 0, 1);
      const opts = {
        projectId: need(v, 'project'),
        format: format.data,
        path: need(v, 'from'),
        model: need(v, 'model'),
        ...(score === undefined ? {} : { score }),
      };
      return withStorage(v, false, async (s) => {
        const r = await importPredictions(s, opts);
        process.stdout.write(
          `attached ${r.results} predicted results to ${r.tasks} tasks of ${opts.projectId}\n${r.notImported.map((x) => `  not imported ${x.count}: ${x.reason}\n`).join('')}`,
        );
        return 0;
      });
    },
  },
  {
    name: 'import label-studio',
    usage:
      '--data <dir> [--pg <url>] --file <export.json> --config <label_config.xml> --name <project name> [--images <folder>]',
    summary:
      'Create a project from a Label Studio project export: tasks, annotations, predictions, label config.',
    options: {
      ...storageOpts,
      file: { type: 'string' },
      config: { type: 'string' },
      name: { type: 'string' },
      images: { type: 'string' },
    },
    help: {
      ...storageHelp,
      file: 'Label Studio JSON export (a list of tasks)',
      config: "the project's labeling config XML (Settings → Labeling Interface → Code)",
      name: 'name of the new project',
      images: 'folder with the images of an image project (matched by file name)',
    },
    run: async (v) => {
      const opts = {
        file: need(v, 'file'),
        config: need(v, 'config'),
        name: need(v, 'name'),
        images: str(v, 'images'),
        now: Date.now(),
      };
      return withStorage(v, false, async (s, dataDir) => {
        const r = await importLabelStudioProject(s, dataDir, opts);
        process.stdout.write(
          `created project ${r.project.id} (${r.project.kind}) with ${r.tasks} tasks, ${r.submissions} annotations, ${r.predictions} predictions\n${r.untranslated.map((x) => `  not translated: ${x}\n`).join('')}${r.notImported.map((x) => `  not imported ${x.count}: ${x.reason}\n`).join('')}`,
        );
        return 0;
      });
    },
  },
];
