import { z } from 'zod';
import { CreateLotRequest, HUB_ROUTES, Lot, QualityReport } from '../../../shared/sync';
import { ROLES_THAT } from '../../auth/roles';
import { StorageRefusal } from '../../storage/errors';
import { HubError } from '../errors';
import { defineRoute } from '../route';
import { requireRole } from '../roles';

const ProjectParams = z.object({ projectId: z.string().min(1).max(200) });

/** A lot's refusal (a batch without work, or with a lot still open) names the batch field. */
const refusals = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StorageRefusal)
      throw new HubError(e.code, e.message, e.code === 'INVALID_INPUT' ? 'body.batch' : undefined);
    throw e;
  }
};

export const qualityRoutes = [
  defineRoute({
    method: 'POST',
    url: HUB_ROUTES.lots,
    summary:
      "Make a lot of a batch's submitted work (ISO 2859-1 single sampling, normal inspection): the sample is drawn with a recorded seed and put up for audit review.",
    roles: 'lead, admin of the project',
    params: ProjectParams,
    body: CreateLotRequest,
    response: Lot,
    handler: async ({ user, params, body, ctx, now }) => {
      requireRole(user, params.projectId, ROLES_THAT.manage, 'make a lot for audit');
      return refusals(() =>
        ctx.storage.createLot({ projectId: params.projectId, userId: user.id, ...body }, now),
      );
    },
  }),
  defineRoute({
    method: 'GET',
    url: HUB_ROUTES.quality,
    summary:
      'Quality figures of a project: lots with their audit, agreement (project, per label, per annotator pair), per-annotator scores against accepted versions and gold, consensus counts.',
    roles: 'lead, admin of the project',
    params: ProjectParams,
    response: QualityReport,
    handler: async ({ user, params, ctx, now }) => {
      requireRole(user, params.projectId, ROLES_THAT.manage, 'see quality figures');
      return ctx.storage.qualityReport(params.projectId, now);
    },
  }),
];
