import { randomBytes } from 'node:crypto';
import { GLOBAL_PROJECT, type Role } from '../../shared/sync';
import { generateToken, hashToken } from '../auth/tokens';
import { StorageRefusal } from '../storage/errors';
import type { HubStorage } from '../storage/types';
import { InputError } from './errors';
import type { Clock } from '../../shared/clock';

/** Finds a project by id or by name. */
export const resolveProject = async (storage: HubStorage, project: string): Promise<string> => {
  if (project === GLOBAL_PROJECT) return project;
  const byId = await storage.getProject(project);
  if (byId) return byId.id;
  const byName = (await storage.listProjects()).find((p) => p.name === project);
  if (!byName) throw new InputError(`--project ${project}: no project with that id or name`);
  return byName.id;
};

/**
 * Adds a user with a role on a project (admin without a project = hub admin). Returns the
 * token — shown once, stored only as its hash. An embedding host may choose the token itself.
 */
export const addUser = async (
  storage: HubStorage,
  input: { name: string; role: Role; project?: string; token?: string },
  clock: Clock = Date.now,
): Promise<{ userId: string; token: string; projectId: string }> => {
  const name = input.name.trim();
  if (name === '' || name.length > 200) throw new InputError('--name must be 1–200 characters');
  if (input.project === undefined && input.role !== 'admin')
    throw new InputError(`--project is required for role ${input.role}`);
  const projectId = await resolveProject(storage, input.project ?? GLOBAL_PROJECT);
  if (input.token !== undefined && input.token.length < 24)
    throw new InputError('a chosen token must be at least 24 characters');
  const token = input.token ?? generateToken();
  const userId = `u-${randomBytes(8).toString('hex')}`;
  try {
    await storage.addUser({ id: userId, name, tokenHash: hashToken(token) }, clock());
  } catch (e) {
    if (e instanceof StorageRefusal)
      throw new InputError(`${e.message}; use "user grant" to give them another project`);
    throw e;
  }
  await storage.grantRole(userId, projectId, input.role);
  return { userId, token, projectId };
};

/** Gives an existing user a role on another project (or changes their role there). */
export const grantRole = async (
  storage: HubStorage,
  input: { name: string; role: Role; project?: string },
): Promise<{ userId: string; projectId: string }> => {
  const user = await storage.findUserByName(input.name);
  if (!user) throw new InputError(`--name ${input.name}: no such user`);
  if (input.project === undefined && input.role !== 'admin')
    throw new InputError(`--project is required for role ${input.role}`);
  const projectId = await resolveProject(storage, input.project ?? GLOBAL_PROJECT);
  await storage.grantRole(user.id, projectId, input.role);
  return { userId: user.id, projectId };
};
