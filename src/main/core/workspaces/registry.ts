import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { WorkspaceKind } from '../../../shared/contract/methods/workspaces';
import { readDemoHubPort } from '../demo-hub';
import { writeFilePrivateAtomic } from '../private-files';

/**
 * The list of workspaces in a data folder, `<dataDir>/workspaces.json`: which exist, where their
 * folders are, and which one is in use. Each workspace is a folder `workspaces/<id>/` holding its
 * own `workspace.db`, `assets/`, hub image cache and hub token.
 */
export const REGISTRY_FILE = 'workspaces.json';
export const WORKSPACES_DIR = 'workspaces';
export const LOCAL_WORKSPACE_ID = 'local';

export const WorkspaceEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/),
    kind: WorkspaceKind,
    hubUrl: z.string().nullable(),
    name: z.string().min(1),
    /** Relative to the data folder (so a moved data folder still works). */
    folder: z.string().min(1),
    demo: z.boolean(),
    createdAt: z.number().int(),
  })
  .refine((e) => (e.kind === 'hub') === (e.hubUrl !== null), { message: 'a hub workspace has a hubUrl' })
  .refine((e) => !path.isAbsolute(e.folder) && !e.folder.split(/[\\/]/).includes('..'), {
    message: 'folder stays inside the data folder',
    path: ['folder'],
  });
export type WorkspaceEntry = z.infer<typeof WorkspaceEntry>;

export const Registry = z
  .object({
    version: z.literal(1),
    activeId: z.string(),
    workspaces: z.array(WorkspaceEntry).min(1),
  })
  .refine((r) => r.workspaces.some((w) => w.id === r.activeId), {
    message: 'the active workspace is listed',
    path: ['activeId'],
  })
  .refine((r) => new Set(r.workspaces.map((w) => w.id)).size === r.workspaces.length, {
    message: 'workspace ids are unique',
    path: ['workspaces'],
  });
export type Registry = z.infer<typeof Registry>;

/** One spelling per hub: no trailing slash, lower-case scheme and host (URL does that). */
export const normalizeHubUrl = (url: string): string => {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
};

/** A stable, readable id per hub URL: `hub-127-0-0-1-6110-1a2b3c`. */
export const hubWorkspaceId = (hubUrl: string): string => {
  const url = normalizeHubUrl(hubUrl);
  const host = new URL(url).host
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 8);
  return `hub-${host.slice(0, 50)}-${hash}`;
};

/** A loopback URL on the port the data folder's embedded demo hub last used is that hub's. */
export const isDemoHubUrl = (dataDir: string, hubUrl: string): boolean => {
  const port = readDemoHubPort(dataDir);
  const u = new URL(hubUrl);
  return port !== null && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && u.port === port;
};

export const hubDisplayName = (hubUrl: string, demo: boolean): string =>
  demo ? 'Demo hub' : new URL(hubUrl).host;

export const localEntry = (createdAt: number): WorkspaceEntry => ({
  id: LOCAL_WORKSPACE_ID,
  kind: 'local',
  hubUrl: null,
  name: 'This computer',
  folder: `${WORKSPACES_DIR}/${LOCAL_WORKSPACE_ID}`,
  demo: false,
  createdAt,
});

export const hubEntry = (hubUrl: string, demo: boolean, createdAt: number): WorkspaceEntry => {
  const id = hubWorkspaceId(hubUrl);
  return {
    id,
    kind: 'hub',
    hubUrl: normalizeHubUrl(hubUrl),
    name: hubDisplayName(hubUrl, demo),
    folder: `${WORKSPACES_DIR}/${id}`,
    demo,
    createdAt,
  };
};

/** The registry, or null when the data folder has none yet. A malformed one is an error that
 * names the field: guessing would risk pointing a workspace at another's data. */
export const readRegistry = (dataDir: string): Registry | null => {
  const file = path.join(dataDir, REGISTRY_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not JSON: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const r = Registry.safeParse(json);
  if (!r.success) {
    const where = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${file} is not a workspace list (${where})`);
  }
  return r.data;
};

export const writeRegistry = (dataDir: string, registry: Registry): void => {
  writeFilePrivateAtomic(
    path.join(dataDir, REGISTRY_FILE),
    `${JSON.stringify(Registry.parse(registry), null, 2)}\n`,
  );
};

export const workspaceFolder = (dataDir: string, entry: WorkspaceEntry): string =>
  path.join(dataDir, entry.folder);

/** The folder of the workspace in use (tests and tools that read a workspace's files). */
export const activeWorkspaceFolder = (dataDir: string): string => {
  const registry = readRegistry(dataDir);
  const entry = registry?.workspaces.find((w) => w.id === registry.activeId);
  if (!entry) throw new Error(`${dataDir} has no workspaces yet`);
  return workspaceFolder(dataDir, entry);
};
