/**
 * The hub's programmatic API: what the CLI uses, what tests start, and what the workbench
 * embeds for its demo hub. Import from here, not from deeper files.
 */
export { createHub, ROUTES, type Hub, type HubOptions } from './http/server';
export { DEFAULT_LIMITS, type HubLimits } from './http/limits';
export { openStorage, SQLITE_FILE, type StorageOptions } from './storage/open';
export type { HubStorage, NewProject, NewTask, StoredSubmission, UserRecord } from './storage/types';
export {
  addTasks,
  createProject,
  parseRejectReasons,
  parseReviewPolicy,
  readProjectConfig,
  setAuthorAssets,
  setReviewPolicy,
  type CreateProjectInput,
  type ProjectSettings,
} from './admin/projects';
export { addUser, grantRole } from './admin/users';
export { seedDemoHub, type DemoHub, type DemoUser } from './admin/demo';
export { InputError } from './admin/errors';
export { generateToken, hashToken } from './auth/tokens';
export { assetPath } from './assets/store';
