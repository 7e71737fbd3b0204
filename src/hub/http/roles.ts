import { GLOBAL_PROJECT, type Role } from '../../shared/sync';
import type { UserRecord } from '../storage/types';
import { HubError } from './errors';

export const isGlobalAdmin = (user: UserRecord): boolean =>
  user.memberships.some((m) => m.projectId === GLOBAL_PROJECT && m.role === 'admin');

/** The user's role on a project; a global admin is admin everywhere. */
export const roleOn = (user: UserRecord, projectId: string): Role | undefined =>
  isGlobalAdmin(user) ? 'admin' : user.memberships.find((m) => m.projectId === projectId)?.role;

/** Throws FORBIDDEN unless the user has one of `allowed` on the project. */
export const requireRole = (
  user: UserRecord,
  projectId: string,
  allowed: readonly Role[],
  doing: string,
): Role => {
  const role = roleOn(user, projectId);
  if (role && allowed.includes(role)) return role;
  throw new HubError(
    'FORBIDDEN',
    role
      ? `your role on project ${projectId} (${role}) may not ${doing}`
      : `you are not a member of project ${projectId}`,
  );
};

export const requireGlobalAdmin = (user: UserRecord): void => {
  if (!isGlobalAdmin(user)) throw new HubError('FORBIDDEN', 'only a hub admin may do this');
};
