import { z } from 'zod';
import {
  ActivityFlagList,
  ActivityFlagsQuery,
  ActivityPushRequest,
  ActivityPushResponse,
  HUB_ROUTES,
  ProjectId,
  TeamMetrics,
  TeamMetricsQuery,
  TeamRowsPage,
  TeamRowsQuery,
} from '../../../shared/sync';
import { ROLES_THAT } from '../../auth/roles';
import { HubError } from '../errors';
import { defineRoute } from '../route';
import { requireRole, roleOn } from '../roles';

const ProjectParams = z.object({ projectId: ProjectId });

export const activityRoutes = [
  defineRoute({
    method: 'POST',
    url: HUB_ROUTES.activity,
    summary:
      "Hand over a workbench's activity links after the head the hub holds; the chain is verified and each submission checked for plausibility.",
    roles: 'any signed-in user, for their own chain (a chain belongs to the user who first sent it)',
    body: ActivityPushRequest,
    response: ActivityPushResponse,
    handler: async ({ user, body, ctx, now }) =>
      ctx.storage.recordActivity({ userId: user.id, chainId: body.chainId, links: body.links }, now),
  }),
  defineRoute({
    method: 'GET',
    url: HUB_ROUTES.activityFlags,
    summary:
      'Activity that failed a check (chain breaks, active time over wall time, submissions outside a lease).',
    roles: 'lead, admin of the project',
    params: ProjectParams,
    query: ActivityFlagsQuery,
    response: ActivityFlagList,
    handler: async ({ user, params, query, ctx }) => {
      requireRole(user, params.projectId, ROLES_THAT.manage, 'see activity flags');
      return { flags: await ctx.storage.activityFlags(params.projectId, query) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: HUB_ROUTES.teamMetrics,
    summary:
      "Throughput per annotator and per day over a date range (optionally one batch): a lead's whole team, an annotator's own figures.",
    roles: 'lead, admin of the project (everyone); annotator (their own)',
    params: ProjectParams,
    query: TeamMetricsQuery,
    response: TeamMetrics,
    handler: async ({ user, params, query, ctx }) => {
      const role = roleOn(user, params.projectId);
      if (role === 'lead' || role === 'admin') return ctx.storage.teamMetrics(params.projectId, query);
      if (role === 'annotator') return ctx.storage.teamMetrics(params.projectId, query, user.id);
      throw new HubError('FORBIDDEN', `you may not see throughput figures of project ${params.projectId}`);
    },
  }),
  defineRoute({
    method: 'GET',
    url: HUB_ROUTES.teamMetricRows,
    summary:
      'Every submission and skip behind the team figures (annotator, task, batch, when, active and wall time), a page at a time: what payroll is paid from.',
    roles: 'lead, admin of the project (everyone); annotator (their own)',
    params: ProjectParams,
    query: TeamRowsQuery,
    response: TeamRowsPage,
    handler: async ({ user, params, query, ctx }) => {
      const role = roleOn(user, params.projectId);
      const { after, limit, ...range } = query;
      const q = { ...range, tzOffset: 0 };
      const page = { limit, ...(after !== undefined ? { after } : {}) };
      if (role === 'lead' || role === 'admin') return ctx.storage.teamOutcomePage(params.projectId, q, page);
      if (role === 'annotator')
        return ctx.storage.teamOutcomePage(params.projectId, q, { ...page, userId: user.id });
      throw new HubError('FORBIDDEN', `you may not see the task rows of project ${params.projectId}`);
    },
  }),
];
