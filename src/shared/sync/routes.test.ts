import { describe, expect, it } from 'vitest';
import { HUB_ROUTES, hubPath } from './routes';

describe('hubPath', () => {
  it('fills every :param of a route, URL-encoded', () => {
    expect(hubPath(HUB_ROUTES.project, { projectId: 'a b/c' })).toBe('/v1/projects/a%20b%2Fc');
    expect(hubPath(HUB_ROUTES.taskSubmissions, { projectId: 'p', taskId: 'p:t1' })).toBe(
      '/v1/projects/p/tasks/p%3At1/submissions',
    );
    expect(hubPath(HUB_ROUTES.push, {})).toBe('/v1/push');
  });
});
