import { z } from 'zod';
import { ExportFormat, ExportOptions, ExportPreviewCounts, ExportVersion } from '../../export/options';
import { ProjectKind } from '../../model';

/** Where an export reads from: this workspace's own records, or the hub (leads). */
export const ExportSource = z.enum(['local', 'hub']);
export type ExportSource = z.infer<typeof ExportSource>;

/** One project the workbench can export, from its own workspace or (leads) from the hub. */
export const ExportableProject = z.object({
  id: z.string(),
  name: z.string(),
  kind: ProjectKind,
  source: ExportSource,
  /** Local: tasks with at least one submission here. Hub: submissions on the hub. */
  submitted: z.number().int().nonnegative(),
  /** The label config's region/span labels and class choices, for the label filter. */
  labels: z.array(z.string()),
  /** Formats that can carry this project's kind. */
  formats: z.array(ExportFormat),
  /** Versions this source can export of this project. */
  versions: z.array(ExportVersion),
  /** Versions it cannot, each with the reason in words (shown beside the choice). */
  unavailable: z.array(z.object({ version: ExportVersion, reason: z.string() })),
  /** Hub: the project's batches and its annotators' names (filters). Local: empty. */
  batches: z.array(z.string()),
  annotators: z.array(z.string()),
  /** Submission times (ms) of the first and last submission, null when none or not known. */
  firstAt: z.number().int().nullable(),
  lastAt: z.number().int().nullable(),
});
export type ExportableProject = z.infer<typeof ExportableProject>;

export const ExportSources = z.object({
  /** This workspace's projects (source local), then the hub projects the person leads. */
  projects: z.array(ExportableProject),
  /** Why no hub project is listed (signed out, offline, leads none), else null. */
  hubNote: z.string().nullable(),
  /** The folder new exports go into unless another is named. */
  defaultDir: z.string(),
});
export type ExportSources = z.infer<typeof ExportSources>;

/** What to export: a project and the shared options (one schema with the CLI and the hub). */
export const ExportRequest = z
  .object({
    projectId: z.string().min(1).max(200),
    source: ExportSource.default('local'),
    options: ExportOptions,
  })
  .strict();
export type ExportRequestInput = z.input<typeof ExportRequest>;

/** Counts per split and per label of what an export with these options would write. */
export const ExportPreviewResult = ExportPreviewCounts;
export type ExportPreviewResult = z.infer<typeof ExportPreviewResult>;

export const ExportJobState = z.enum(['running', 'finished', 'failed', 'cancelled']);
export type ExportJobState = z.infer<typeof ExportJobState>;

/** Where an export stands; `path` is set once it finished (and only then does it exist). */
export const ExportJob = z.object({
  exportId: z.string(),
  source: ExportSource,
  state: ExportJobState,
  records: z.number().int(),
  total: z.number().int().nullable(),
  /** Hub exports: bytes of the zip received so far (null until the hub starts sending). */
  bytes: z.number().int().nullable(),
  /** The file or folder written (finished), else null. */
  path: z.string().nullable(),
  /** Why it failed, or what a format could not carry (finished). */
  message: z.string().nullable(),
  skipped: z.array(z.object({ reason: z.string(), count: z.number().int() })),
});
export type ExportJob = z.infer<typeof ExportJob>;

export const exportMethods = {
  'export.sources': { input: z.object({}).strict(), output: ExportSources },
  'export.preview': { input: ExportRequest, output: ExportPreviewResult },
  /**
   * Starts an export into a new folder (or `.zip`) under `outDir` (default: the sources'
   * defaultDir); progress comes as `export.progress` events. Written under a temporary name and
   * renamed at the end: a failed or cancelled export leaves nothing.
   */
  'export.start': {
    input: ExportRequest.extend({ outDir: z.string().min(1).max(4096).optional() }).strict(),
    output: ExportJob,
  },
  'export.cancel': {
    input: z.object({ exportId: z.string().min(1).max(100) }).strict(),
    output: ExportJob,
  },
  /** Shows a finished export in the system's file manager (Electron); elsewhere says where it is. */
  'export.openFolder': {
    input: z.object({ exportId: z.string().min(1).max(100) }).strict(),
    output: z.object({ opened: z.boolean(), path: z.string() }),
  },
} as const;

export const exportEvents = {
  'export.progress': ExportJob,
} as const;
