/**
 * The hub's HTTP routes, one table for both sides: the hub registers these patterns (Fastify's
 * `:param` syntax) and its client builds request paths from them with `hubPath`.
 */
export const HUB_ROUTES = {
  health: '/v1/health',
  me: '/v1/me',
  project: '/v1/projects/:projectId',
  labelConfig: '/v1/projects/:projectId/label-config',
  progress: '/v1/projects/:projectId/progress',
  taskSubmissions: '/v1/projects/:projectId/tasks/:taskId/submissions',
  taskHistory: '/v1/projects/:projectId/tasks/:taskId/history',
  reviewPolicy: '/v1/projects/:projectId/review-policy',
  reviewLeases: '/v1/review-leases',
  projectExport: '/v1/projects/:projectId/export',
  projectExportPreview: '/v1/projects/:projectId/export/preview',
  lots: '/v1/projects/:projectId/lots',
  quality: '/v1/projects/:projectId/quality',
  adminProjects: '/v1/admin/projects',
  adminUsers: '/v1/admin/users',
  asset: '/v1/assets/:sha256',
  lease: '/v1/leases',
  heldLeases: '/v1/leases/held',
  push: '/v1/push',
  activity: '/v1/activity',
  activityFlags: '/v1/projects/:projectId/activity-flags',
  teamMetrics: '/v1/projects/:projectId/metrics',
  teamMetricRows: '/v1/projects/:projectId/metrics/rows',
  pull: '/v1/pull',
} as const;

export type HubRoute = (typeof HUB_ROUTES)[keyof typeof HUB_ROUTES];

/** The `:param` names of a route pattern. */
type ParamsOf<R extends string> = R extends `${string}:${infer P}/${infer Rest}`
  ? P | ParamsOf<`/${Rest}`>
  : R extends `${string}:${infer P}`
    ? P
    : never;

/** A route's request path, each `:param` replaced by its URL-encoded value. */
export const hubPath = <R extends HubRoute>(route: R, params: Record<ParamsOf<R>, string>): string =>
  route.replace(/:(\w+)/g, (_, name: string) =>
    encodeURIComponent((params as Record<string, string>)[name] ?? ''),
  );
