import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import {
  ExportFormat,
  ExportOptions,
  ExportPreviewCounts,
  EXPORT_RECORDS_TRAILER,
  ExportVersion,
  addToPreview,
  emptyPreview,
  prepareRecords,
} from '../../../shared/export';
import { ExportRefusal, computeSplit, exportContext, exportPagesOf } from '../../export/export';
import { type StreamedExport, streamExport } from '../../export/stream';
import { hubRecords } from '../../export/records';
import type { HubContext } from '../route';
import { HubError, parseInput } from '../errors';
import { defineRoute } from '../route';
import { ROLES_THAT } from '../../auth/roles';
import { requireRole } from '../roles';

const csv = z
  .string()
  .max(20_000)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );
const isoTime = z
  .string()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: 'must be a date or time (ISO 8601)' })
  .transform((s) => Date.parse(s));

/** The export route's query: the CLI's flags, as strings. */
export const ExportQuery = z.object({
  format: ExportFormat,
  version: ExportVersion.optional(),
  annotators: csv.optional(),
  batches: csv.optional(),
  labels: csv.optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  split: z
    .string()
    .regex(/^\d*\.?\d+,\d*\.?\d+,\d*\.?\d+$/, 'must be three shares, e.g. 0.8,0.1,0.1')
    .transform((s) => s.split(',').map(Number))
    .optional(),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  /** Over HTTP the answer is one zip: with or without the images. */
  images: z.enum(['none', 'zip']).optional(),
});

const ProjectParams = z.object({ projectId: z.string().min(1).max(200) });

/** The export's options from the query, checked against the project (4xx naming the field). */
const checkedOptions = async (
  ctx: HubContext,
  projectId: string,
  query: z.infer<typeof ExportQuery>,
  now: number,
): Promise<ExportOptions> => {
  const options = parseInput(ExportOptions, { ...query, images: query.images ?? 'none' }, 'query');
  try {
    await exportContext(ctx.storage, projectId, options, now);
  } catch (e) {
    throw asHubError(e);
  }
  return options;
};

/** An export's refusal as the route's 4xx naming the field; anything else as it is. */
const asHubError = (e: unknown): unknown =>
  e instanceof ExportRefusal
    ? new HubError(e.code, e.message, e.field === 'project' ? 'params.projectId' : `query.${e.field}`)
    : e;

export const exportRoutes = [
  defineRoute({
    method: 'GET',
    url: '/v1/projects/:projectId/export',
    summary:
      'A dataset export of the project as one zip streamed while it is written (annotations in the chosen format, images with images=zip, outrigger-export.json last); the record count follows in the x-outrigger-export-records trailer; a failed export cuts the response. Query as the CLI flags.',
    roles: 'lead, admin of the project',
    params: ProjectParams,
    query: ExportQuery,
    response: 'binary',
    handler: async ({ user, params, query, ctx, now, req, reply }) => {
      requireRole(user, params.projectId, ROLES_THAT.manage, 'export datasets');
      const options = await checkedOptions(ctx, params.projectId, query, now);
      // A client that goes away stops the export; the staged files are removed either way.
      const ctl = new AbortController();
      const onClose = (): void => {
        if (!reply.raw.writableFinished) ctl.abort();
      };
      reply.raw.on('close', onClose);
      const stageDir = join(
        ctx.dataDir,
        'exports',
        `.${params.projectId.replace(/[^\w.-]/g, '_')}-${now}.partial-${randomBytes(4).toString('hex')}`,
      );
      const run = { storage: ctx.storage, dataDir: ctx.dataDir, projectId: params.projectId, options, now };
      let streamed: StreamedExport;
      try {
        streamed = await streamExport({ ...run, signal: ctl.signal }, stageDir);
      } catch (e) {
        reply.raw.off('close', onClose);
        throw asHubError(e);
      }
      streamed.summary.catch((e: unknown) => {
        // The response is cut (the zip's output errors); the client keeps no file.
        if (!ctl.signal.aborted) req.log.error({ err: e }, 'export failed mid-stream');
      });
      void streamed.removed.then(() => reply.raw.off('close', onClose));
      reply
        .type('application/zip')
        .header(
          'Content-Disposition',
          `attachment; filename="${params.projectId.replace(/[^\w.-]/g, '_')}-${options.format}.zip"`,
        )
        .trailer(EXPORT_RECORDS_TRAILER, async () => String((await streamed.summary).records));
      return reply.send(streamed.output);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/projects/:projectId/export/preview',
    summary:
      'Counts per split and per label of what the export with this query would write (the same query as the export).',
    roles: 'lead, admin of the project',
    params: ProjectParams,
    query: ExportQuery,
    response: ExportPreviewCounts,
    handler: async ({ user, params, query, ctx, now }) => {
      requireRole(user, params.projectId, ROLES_THAT.manage, 'export datasets');
      const options = await checkedOptions(ctx, params.projectId, query, now);
      const pages = exportPagesOf(ctx.storage, ctx.dataDir, params.projectId);
      const splits = await computeSplit(pages, options);
      const preview = emptyPreview();
      for await (const r of prepareRecords(hubRecords(pages, options), options, splits))
        addToPreview(preview, r);
      return preview;
    },
  }),
];
