import type { ExportOptions } from './options';
import type { ExportContext } from './record';
import type { ExportSummary } from './run';

/** The file every export ends with, saying what was exported (the streamed route's count is here too). */
export const MANIFEST_FILE = 'outrigger-export.json';

/**
 * The HTTP trailer the hub's streamed export route sends after the zip's last byte: the number
 * of task versions in it, known only at the end (the manifest says the same). A response
 * without it was cut short.
 */
export const EXPORT_RECORDS_TRAILER = 'x-outrigger-export-records';

/** The manifest's text: the project, when, the options, and the run's summary (records, results, files, skipped). */
export const manifestText = (ctx: ExportContext, options: ExportOptions, summary: ExportSummary): string =>
  `${JSON.stringify(
    {
      project: { id: ctx.project.id, name: ctx.project.name },
      exportedAt: new Date(ctx.now).toISOString(),
      options,
      ...summary,
    },
    null,
    2,
  )}\n`;
