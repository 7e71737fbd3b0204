import { z } from 'zod';
import { AqlSchema, InspectionLevelSchema } from '../../quality';
import { Lot, QualityReport } from '../../sync/quality';
import { BatchName } from '../../sync/review';

/**
 * Quality views for leads (issue 12.6): the hub's quality report of a project — lots, agreement,
 * gold accuracy — read live from the signed-in hub (OFFLINE when signed out or unreachable,
 * FORBIDDEN when the person is not a lead or admin of the project).
 */
export const qualityMethods = {
  'quality.report': {
    input: z.object({ projectId: z.string().min(1) }).strict(),
    output: z.object({
      report: QualityReport,
      /** When the hub answered (local clock). */
      fetchedAt: z.number().int(),
    }),
  },
  /**
   * Makes a lot of a batch for audit (ISO 2859-1, normal inspection) on the hub: it draws the
   * sample with a recorded seed and puts it up for review. Leads and admins of the project
   * (FORBIDDEN otherwise); OFFLINE when signed out or the hub cannot be reached (nothing made);
   * INVALID_INPUT when the batch has no submitted work or a lot still under audit.
   */
  'quality.createLot': {
    input: z
      .object({
        projectId: z.string().min(1),
        batch: BatchName,
        level: InspectionLevelSchema,
        aql: AqlSchema,
      })
      .strict(),
    output: z.object({ lot: Lot }),
  },
};

export const qualityEvents = {};
