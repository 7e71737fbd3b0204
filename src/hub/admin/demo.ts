import { join } from 'node:path';
import type { HubStorage } from '../storage/types';
import { InputError } from './errors';
import { createProject, readProjectConfig } from './projects';
import { addUser, grantRole } from './users';
import type { Clock } from '../../shared/clock';

export interface DemoHub {
  projects: { id: string; name: string; kind: string; taskCount: number }[];
  /** Tokens of the demo users, by role (shown once; keep them). */
  users: { annotator: DemoUser; reviewer: DemoUser; lead: DemoUser };
}
export interface DemoUser {
  userId: string;
  name: string;
  token: string;
}

/**
 * Seeds a hub with the demo data of `resources/demo` (image, text and comparison projects) and
 * three users — annotator, reviewer, lead — on all three. For the workbench's embedded demo hub.
 * `tokens` lets the host choose the tokens (e.g. ones it already stored); otherwise new ones.
 */
export const seedDemoHub = async (
  storage: HubStorage,
  dataDir: string,
  demoDir: string,
  opts: { clock?: Clock; tokens?: Partial<Record<'annotator' | 'reviewer' | 'lead', string>> } = {},
): Promise<DemoHub> => {
  if ((await storage.listProjects()).length > 0)
    throw new InputError('this hub already has projects; seed the demo into an empty hub');
  const clock = opts.clock ?? (() => Date.now());
  const sources = [
    { file: 'image-project.json', images: join(demoDir, 'images') },
    { file: 'text-project.json', texts: join(demoDir, 'texts.jsonl') },
    { file: 'comparison-project.json', comparisons: join(demoDir, 'comparisons.jsonl') },
  ];
  const projects: DemoHub['projects'] = [];
  for (const s of sources) {
    const cfg = await readProjectConfig(join(demoDir, s.file));
    const { project, taskCount } = await createProject(
      storage,
      dataDir,
      {
        ...s,
        name: cfg.name ?? s.file,
        labelConfig: cfg.labelConfig,
        kind: cfg.kind,
        leaseHours: cfg.leaseHours,
        overlap: cfg.overlap,
      },
      clock,
    );
    projects.push({ id: project.id, name: project.name, kind: project.kind, taskCount });
  }
  const user = async (role: 'annotator' | 'reviewer' | 'lead'): Promise<DemoUser> => {
    const name = `demo-${role}`;
    const [first, ...rest] = projects;
    if (!first) throw new Error('no demo projects');
    const added = await addUser(
      storage,
      { name, role, project: first.id, token: opts.tokens?.[role] },
      clock,
    );
    for (const p of rest) await grantRole(storage, { name, role, project: p.id });
    return { userId: added.userId, name, token: added.token };
  };
  return {
    projects,
    users: { annotator: await user('annotator'), reviewer: await user('reviewer'), lead: await user('lead') },
  };
};
