import { z } from 'zod';
import {
  HUB_ROUTES,
  MeResponse,
  ProjectInfo,
  ProjectList,
  ProjectId,
  ProjectProgress,
  TaskId,
  UpdateLabelConfigRequest,
  UserList,
} from '../../../shared/sync';
import { HubError } from '../errors';
import { defineRoute } from '../route';
import { ROLES_THAT } from '../../auth/roles';
import { requireGlobalAdmin, requireRole } from '../roles';

const ProjectParams = z.object({ projectId: ProjectId });
const TaskParams = ProjectParams.extend({ taskId: TaskId });

const SubmissionList = z.object({
  submissions: z.array(
    z.object({
      id: z.string(),
      taskId: z.string(),
      userId: z.string(),
      leaseEpoch: z.number().int(),
      conflict: z.boolean(),
      superseded: z.boolean(),
      receivedAt: z.number().int(),
      annotation: z.unknown(),
      /** Why `annotation` is null: stored data this hub cannot serve (too deep, not JSON). */
      unreadable: z.string().optional(),
    }),
  ),
});

const project = async (
  id: string,
  load: (id: string) => Promise<ProjectInfo | undefined>,
): Promise<ProjectInfo> => {
  const p = await load(id);
  if (!p) throw new HubError('NOT_FOUND', `no project ${id}`);
  return p;
};

export const projectRoutes = [
  defineRoute({
    method: 'GET',
    url: HUB_ROUTES.me,
    summary: 'Who the token belongs to and their project roles.',
    roles: 'any signed-in user',
    response: MeResponse,
    handler: async ({ user, now }) => ({
      userId: user.id,
      name: user.name,
      memberships: user.memberships,
      serverTime: now,
    }),
  }),
  defineRoute({
    method: 'GET',
    url: HUB_ROUTES.project,
    summary: 'A project the caller belongs to: label config, lease window, overlap.',
    roles: 'any member of the project',
    params: ProjectParams,
    response: ProjectInfo,
    handler: async ({ user, params, ctx }) => {
      requireRole(user, params.projectId, ROLES_THAT.read, 'read it');
      return project(params.projectId, (id) => ctx.storage.getProject(id));
    },
  }),
  defineRoute({
    method: 'PUT',
    url: HUB_ROUTES.labelConfig,
    summary: "Replace a project's label config; members learn of it through their feed.",
    roles: 'lead, admin of the project',
    params: ProjectParams,
    body: UpdateLabelConfigRequest,
    response: ProjectInfo,
    handler: async ({ user, params, body, ctx, now }) => {
      requireRole(user, params.projectId, ROLES_THAT.manage, 'change the label config');
      await project(params.projectId, (id) => ctx.storage.getProject(id));
      return ctx.storage.updateLabelConfig(params.projectId, body.labelConfig, now);
    },
  }),
  defineRoute({
    method: 'GET',
    url: HUB_ROUTES.progress,
    summary: 'Counts of tasks done, live leases, submissions, conflicts and skips, per annotator.',
    roles: 'lead, admin of the project',
    params: ProjectParams,
    response: ProjectProgress,
    handler: async ({ user, params, ctx, now }) => {
      requireRole(user, params.projectId, ROLES_THAT.manage, 'see project progress');
      await project(params.projectId, (id) => ctx.storage.getProject(id));
      return ctx.storage.progress(params.projectId, now);
    },
  }),
  defineRoute({
    method: 'GET',
    url: HUB_ROUTES.taskSubmissions,
    summary: 'Every stored submission of a task, conflicts and superseded versions included.',
    roles: 'reviewer, lead, admin of the project',
    params: TaskParams,
    response: SubmissionList,
    handler: async ({ user, params, ctx }) => {
      requireRole(user, params.projectId, ROLES_THAT.review, 'read submissions');
      // The task must belong to the project the role was checked on.
      const submissions = (await ctx.storage.submissions(params.taskId)).filter(
        (s) => s.projectId === params.projectId,
      );
      return { submissions: submissions.map(({ projectId: _p, ...s }) => s) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: HUB_ROUTES.adminProjects,
    summary: 'All projects on this hub.',
    roles: 'hub admin',
    response: ProjectList,
    handler: async ({ user, ctx }) => {
      requireGlobalAdmin(user);
      return { projects: await ctx.storage.listProjects() };
    },
  }),
  defineRoute({
    method: 'GET',
    url: HUB_ROUTES.adminUsers,
    summary: 'All users and their project roles (never their tokens).',
    roles: 'hub admin',
    response: UserList,
    handler: async ({ user, ctx }) => {
      requireGlobalAdmin(user);
      return { users: await ctx.storage.listUsers() };
    },
  }),
];
