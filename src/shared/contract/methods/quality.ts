import { z } from 'zod';
import { QualityReport } from '../../sync/quality';

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
};

export const qualityEvents = {};
