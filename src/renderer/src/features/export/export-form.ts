import type { ExportableProject, ExportRequestInput, ExportSource } from '../../../../shared/contract';
import type { ExportFormat, ExportVersion, ImagesMode } from '../../../../shared/export';

/** The export screen's fields, as typed (dates as the date inputs give them, shares in percent). */
export interface ExportForm {
  projectId: string;
  /** This workspace's records, or (leads) the hub's. */
  source: ExportSource;
  format: ExportFormat;
  version: ExportVersion;
  /** Labels to keep; null: every label. */
  labels: readonly string[] | null;
  /** Hub only: batches and annotators to keep; null: all of them. */
  batches: readonly string[] | null;
  annotators: readonly string[] | null;
  /** `yyyy-mm-dd` or '' (no bound). */
  from: string;
  to: string;
  split: boolean;
  shares: readonly [number, number, number];
  seed: number;
  images: ImagesMode;
  outDir: string;
}

export const initialForm = (p: ExportableProject | undefined, outDir: string): ExportForm => ({
  projectId: p?.id ?? '',
  source: p?.source ?? 'local',
  format: p?.formats[0] ?? 'jsonl',
  version: 'latest',
  labels: null,
  batches: null,
  annotators: null,
  from: '',
  to: '',
  split: false,
  shares: [80, 10, 10],
  seed: 0,
  images: 'none',
  outDir,
});

/** The key of a project in the project list: the same id can be both here and on the hub. */
export const projectKey = (p: Pick<ExportableProject, 'source' | 'id'>): string => `${p.source}:${p.id}`;

/**
 * The form after choosing another project: its first format when the old one does not fit, the
 * latest version when the old one is not available there, and images the source can send (the
 * hub sends one zip: no copying or linking).
 */
export const withProject = (f: ExportForm, p: ExportableProject): ExportForm => ({
  ...f,
  projectId: p.id,
  source: p.source,
  format: p.formats.includes(f.format) ? f.format : (p.formats[0] ?? f.format),
  version: p.versions.includes(f.version) ? f.version : 'latest',
  labels: null,
  batches: null,
  annotators: null,
  images:
    p.kind !== 'image'
      ? 'none'
      : p.source === 'hub' && (f.images === 'copy' || f.images === 'link')
        ? 'zip'
        : f.images,
});

/** Local midnight of a `yyyy-mm-dd` date, in ms; `endOfDay` gives the next midnight. */
const dayStart = (d: string, endOfDay: boolean): number | undefined => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (endOfDay ? 1 : 0)).getTime();
};

export type FormCheck =
  { ok: true; request: ExportRequestInput } | { ok: false; field: string; message: string };

/** The request the form asks for, or the first field at fault in words. */
export const toRequest = (f: ExportForm): FormCheck => {
  if (!f.projectId) return { ok: false, field: 'project', message: 'Choose a project.' };
  const from = f.from ? dayStart(f.from, false) : undefined;
  const to = f.to ? dayStart(f.to, true) : undefined;
  if (from !== undefined && to !== undefined && from >= to)
    return { ok: false, field: 'to', message: 'The end date is before the start date.' };
  if (f.labels && f.labels.length === 0)
    return { ok: false, field: 'labels', message: 'Choose at least one label.' };
  if (f.batches && f.batches.length === 0)
    return { ok: false, field: 'batches', message: 'Choose at least one batch.' };
  if (f.annotators && f.annotators.length === 0)
    return { ok: false, field: 'annotators', message: 'Choose at least one annotator.' };
  let split: [number, number, number] | undefined;
  if (f.split) {
    const sum = f.shares[0] + f.shares[1] + f.shares[2];
    if (f.shares.some((s) => !Number.isFinite(s) || s < 0) || Math.round(sum) !== 100)
      return {
        ok: false,
        field: 'split',
        message: `Train, validation and test must add up to 100% (now ${sum}%).`,
      };
    split = [f.shares[0] / sum, f.shares[1] / sum, 0];
    split[2] = 1 - split[0] - split[1];
  }
  if (!Number.isInteger(f.seed) || f.seed < 0)
    return { ok: false, field: 'seed', message: 'The seed is a whole number, 0 or more.' };
  return {
    ok: true,
    request: {
      projectId: f.projectId,
      source: f.source,
      options: {
        format: f.format,
        version: f.version,
        ...(f.labels ? { labels: [...f.labels] } : {}),
        ...(f.batches ? { batches: [...f.batches] } : {}),
        ...(f.annotators ? { annotators: [...f.annotators] } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(split ? { split, seed: f.seed } : {}),
        images: f.images,
      },
    },
  };
};
