import { Role } from '../../shared/sync';

/**
 * Which project roles may do what: the one place the hub says so (routes, push, asset reads).
 * A hub admin (admin on project "*") counts as admin on every project.
 */
export const ROLES_THAT = {
  /** Read a project's info. */
  read: Role.options,
  /** Lease tasks and push submissions, skips and releases for them. */
  lease: ['annotator', 'lead', 'admin'],
  /** Read every submission of a task and every asset of the project. */
  review: ['reviewer', 'lead', 'admin'],
  /** Change the label config, see progress. */
  manage: ['lead', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export const roleAllows = (role: string | undefined, allowed: readonly Role[]): boolean =>
  role !== undefined && (allowed as readonly string[]).includes(role);

/** `'a', 'b'` for an SQL `IN (…)`: the roles are constants above, never input. */
export const sqlRoleList = (allowed: readonly Role[]): string => allowed.map((r) => `'${r}'`).join(', ');
