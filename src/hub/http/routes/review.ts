import { z } from 'zod';
import {
  HUB_ROUTES,
  ProjectInfo,
  ReviewLeaseRequest,
  ReviewLeaseResponse,
  TaskHistory,
  UpdateReviewPolicyRequest,
} from '../../../shared/sync';
import { roleAllows, ROLES_THAT } from '../../auth/roles';
import { HubError } from '../errors';
import { defineRoute } from '../route';
import { requireRole, roleOn } from '../roles';

const ProjectParams = z.object({ projectId: z.string().min(1).max(200) });
const TaskParams = ProjectParams.extend({ taskId: z.string().min(1).max(400) });

/** As for task leases: stored task content was validated when the hub wrote it. */
const ReviewLeaseResponseOut = ReviewLeaseResponse.extend({
  reviews: z.array(
    z.looseObject({
      submissionId: z.string(),
      taskId: z.string(),
      projectId: z.string(),
      epoch: z.number().int().positive(),
      expiresAt: z.number().int(),
      task: z.looseObject({
        id: z.string(),
        projectId: z.string(),
        data: z.looseObject({ kind: z.string() }),
      }),
    }),
  ),
});

export const reviewRoutes = [
  defineRoute({
    method: 'POST',
    url: HUB_ROUTES.reviewLeases,
    summary:
      'Lease up to `count` pending review items of a project (optionally of one batch) with their task, versions and verdicts.',
    roles: 'reviewer, lead, admin of the project (never their own work)',
    body: ReviewLeaseRequest,
    response: ReviewLeaseResponse,
    responseCheck: ReviewLeaseResponseOut,
    handler: async ({ user, body, ctx, now }) => {
      requireRole(user, body.projectId, ROLES_THAT.review, 'review work');
      if (!(await ctx.storage.getProject(body.projectId)))
        throw new HubError('NOT_FOUND', `no project ${body.projectId}`);
      return { reviews: await ctx.storage.claimReviews({ ...body, userId: user.id }, now), serverTime: now };
    },
  }),
  defineRoute({
    method: 'PUT',
    url: HUB_ROUTES.reviewPolicy,
    summary:
      "Set which submissions get reviewed from now on (none, all, or a seeded percent) and, if given, the project's reject reasons.",
    roles: 'lead, admin of the project',
    params: ProjectParams,
    body: UpdateReviewPolicyRequest,
    response: ProjectInfo,
    handler: async ({ user, params, body, ctx }) => {
      requireRole(user, params.projectId, ROLES_THAT.manage, 'change the review policy');
      return ctx.storage.setReviewPolicy(params.projectId, body.reviewPolicy, body.rejectReasons);
    },
  }),
  defineRoute({
    method: 'GET',
    url: HUB_ROUTES.taskHistory,
    summary:
      "A task's timeline: every version (submissions and fixes) and every verdict, with who, when and active time.",
    roles: 'the author of any of its versions, or reviewer, lead, admin of the project',
    params: TaskParams,
    response: TaskHistory,
    handler: async ({ user, params, ctx }) => {
      const role = roleOn(user, params.projectId);
      if (!role) throw new HubError('FORBIDDEN', `you are not a member of project ${params.projectId}`);
      const history = await ctx.storage.taskHistory(params.taskId);
      // The task must belong to the project the role was checked on.
      if (!history || history.projectId !== params.projectId)
        throw new HubError('NOT_FOUND', `no task ${params.taskId} in project ${params.projectId}`);
      const reviews = roleAllows(role, ROLES_THAT.review);
      if (!reviews && !history.versions.some((v) => v.source === 'submission' && v.userId === user.id))
        throw new HubError(
          'FORBIDDEN',
          `only its authors and the project's reviewers may read task ${params.taskId}'s history`,
        );
      return history;
    },
  }),
];
