import { InputError } from '../admin/errors';
import { ExportCancelled, ExportFormat, ExportOptions, FORMAT_TITLES } from '../../shared/export';
import { ExportRefusal, exportProject } from '../export/export';
import { type Command, need, storageHelp, storageOpts, str, withStorage } from './commands';

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
      '--data <dir> [--pg <url>] --project <id> --format <format> --out <dir> [--split 0.8,0.1,0.1 --seed N] [--images none|copy|link|zip] [--version latest|submitted] [--annotators a,b] [--labels x,y] [--from date] [--to date]',
    summary:
      'Export a project as a dataset (COCO, YOLO, VOC, Label Studio, CoNLL, spaCy, preference pairs…).',
    options: {
      ...storageOpts,
      project: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      version: { type: 'string' },
      annotators: { type: 'string' },
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
        'latest (default: the newest submission per task) or submitted (every one); accepted, reviewed and consensus need review states this hub does not keep yet',
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
];
