// The embedded demo hub: `npm start` with no hub configured runs the real hub CLI on the demo data
// as a child process (src/main may not import src/hub) and signs the workbench in as the demo
// annotator. If the child dies the workbench simply goes offline and keeps working.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { SyncState } from '../../shared/contract/methods/sync';
import { WorkspaceList } from '../../shared/contract/methods/workspaces';
import type { Dispatch } from './dispatch';

export interface DemoHubOptions {
  /** The workbench's data folder; the hub lives in `<dataDir>/demo-hub`. */
  dataDir: string;
  /** The app's resources folder (holds `demo/`). */
  resourcesDir: string;
  /** The source tree holding `src/hub/cli.ts` and `node_modules/tsx`. */
  rootDir: string;
  /** A Node binary (in Electron, `process.execPath` is Electron itself). Default: this process's. */
  nodePath?: string;
  /** Waiting for `demo` and for `serve` to listen, each (default 30 s: tsx on 2 cores is slow). */
  timeoutMs?: number;
  log?: (message: string) => void;
}

export interface DemoHub {
  url: string;
  /** The annotator's token when the hub was seeded now; null when an existing hub was reused
   * (the token was stored by the workbench's token store on the first start). */
  annotatorToken: string | null;
  /** The demo projects' ids (image, text, comparison), as the hub printed them when seeded. */
  projectIds: string[];
  /** Resolves once the child has exited (SIGTERM: it finishes in-flight requests). */
  close(): Promise<void>;
  /** Called once if the hub stops by itself (the workbench goes offline). */
  onExit(listener: (code: number | null) => void): void;
}

const DEMO_HUB_DIR = 'demo-hub';
/** Written after a complete `demo` run: a folder without it is a half-seeded hub, seeded again. */
const SEEDED_MARK = 'seeded';
/** The last port, reused so the workbench's stored hub URL (and pull cursor) stays valid. */
const PORT_FILE = 'port';
/** The serving child's pid: a host killed outright (SIGKILL) leaves its hub running. */
const PID_FILE = 'pid';
const PROJECTS_FILE = 'projects.json';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const PidFile = z.object({ hub: z.number().int().positive(), host: z.number().int().positive() });

/**
 * Stops a hub that a killed host left serving this folder (it would hold the port and the SQLite
 * file). A hub whose host is still alive is another Outrigger's: refused, not stopped. Only on
 * Linux, where /proc shows the pid is still that hub and not a reused pid.
 */
const stopOrphan = async (hubDir: string): Promise<void> => {
  let pids: z.infer<typeof PidFile>;
  try {
    pids = PidFile.parse(JSON.parse(readFileSync(join(hubDir, PID_FILE), 'utf8')));
  } catch {
    return;
  }
  if (process.platform !== 'linux') return;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pids.hub}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmdline.includes('src/hub/cli.ts') || !cmdline.includes(hubDir)) return;
  if (pids.host !== process.pid && alive(pids.host)) {
    throw new Error(`the demo hub in ${hubDir} is in use by another Outrigger (pid ${pids.host})`);
  }
  process.kill(pids.hub, 'SIGTERM');
  for (let i = 0; i < 50 && alive(pids.hub); i++) await new Promise((r) => setTimeout(r, 100));
};

const ListeningLine = z.object({ msg: z.literal('hub listening'), url: z.url() });

const cliArgs = (o: DemoHubOptions, args: string[]): [string, string[]] => [
  o.nodePath ?? process.execPath,
  ['--import', 'tsx', join(o.rootDir, 'src/hub/cli.ts'), ...args],
];

/** Runs `hub demo`; the annotator's token and the project ids are read from its output (the
 * token is never echoed). */
const seed = (
  o: DemoHubOptions,
  hubDir: string,
  timeoutMs: number,
): Promise<{ token: string; projectIds: string[] }> =>
  new Promise((resolve, reject) => {
    const [cmd, args] = cliArgs(o, ['demo', '--data', hubDir, '--demo', join(o.resourcesDir, 'demo')]);
    const child = spawn(cmd, args, { cwd: o.rootDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`seeding the demo hub took over ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      // The CLI prints `annotator demo-annotator: <token>`.
      const token = /^annotator\s+\S+:\s*(\S+)\s*$/m.exec(out)?.[1];
      // …and `project <id> (<kind>): <n> tasks` per project.
      const projectIds = [...out.matchAll(/^project (\S+) \(/gm)].map((m) => m[1] as string);
      if (code === 0 && token) resolve({ token, projectIds });
      else
        reject(
          new Error(`seeding the demo hub failed (exit ${String(code)}): ${err.trim().split('\n')[0] ?? ''}`),
        );
    });
  });

/** Runs `hub serve` until it logs its URL; rejects if it exits or stays silent too long. */
const serve = (o: DemoHubOptions, hubDir: string, port: number, timeoutMs: number) =>
  new Promise<{ child: ChildProcess; url: string }>((resolve, reject) => {
    const [cmd, args] = cliArgs(o, ['serve', '--data', hubDir, '--port', String(port)]);
    const child = spawn(cmd, args, { cwd: o.rootDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    const timer = setTimeout(
      () => fail(new Error(`the demo hub did not listen within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.on('error', fail);
    child.on('exit', (code) =>
      fail(new Error(`the demo hub exited (code ${String(code)}): ${err.trim().split('\n').pop() ?? ''}`)),
    );
    // JSON log lines; the hub redacts tokens, and they are not echoed here anyway.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (settled) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return;
      }
      const r = ListeningLine.safeParse(parsed);
      if (!r.success) return;
      settled = true;
      clearTimeout(timer);
      resolve({ child, url: r.data.url });
    });
  });

/**
 * Starts the demo hub in `<dataDir>/demo-hub`: seeds it on the first start (three projects,
 * demo-annotator/reviewer/lead), then serves it on the last port used, or a free one.
 */
export const startDemoHub = async (o: DemoHubOptions): Promise<DemoHub> => {
  const timeoutMs = o.timeoutMs ?? 30_000;
  const hubDir = resolve(o.dataDir, DEMO_HUB_DIR);
  let annotatorToken: string | null = null;
  if (!existsSync(join(hubDir, SEEDED_MARK))) {
    rmSync(hubDir, { recursive: true, force: true });
    mkdirSync(hubDir, { recursive: true });
    const seeded = await seed(o, hubDir, timeoutMs);
    annotatorToken = seeded.token;
    writeFileSync(join(hubDir, PROJECTS_FILE), JSON.stringify(seeded.projectIds));
    writeFileSync(join(hubDir, SEEDED_MARK), '');
  }
  const projectIds = readProjectIds(join(hubDir, PROJECTS_FILE));
  await stopOrphan(hubDir);
  const portFile = join(hubDir, PORT_FILE);
  const lastPort = existsSync(portFile) ? Number(readFileSync(portFile, 'utf8').trim()) : 0;
  let served;
  try {
    served = await serve(o, hubDir, Number.isInteger(lastPort) ? lastPort : 0, timeoutMs);
  } catch (e) {
    if (!lastPort) throw e;
    o.log?.(`demo hub: port ${lastPort} is taken, using another (${String(e)})`);
    served = await serve(o, hubDir, 0, timeoutMs);
  }
  const { child, url } = served;
  writeFileSync(portFile, new URL(url).port);
  if (child.pid) writeFileSync(join(hubDir, PID_FILE), JSON.stringify({ hub: child.pid, host: process.pid }));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let closing = false;
  return {
    url,
    annotatorToken,
    projectIds,
    onExit(listener) {
      child.once('exit', (code) => {
        if (!closing) listener(code);
      });
    },
    async close() {
      closing = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
};

/**
 * Signs the workbench in to a hub at start (the demo hub, or the web CLI's `--hub`) unless its
 * workspace is already there and signed in, and leases a first batch of each named project.
 * Signing in opens the hub's own workspace and makes it the one in use, except that a person
 * working in another hub's workspace stays there (the new one waits in the switcher).
 */
export const signInToHub = async (
  dispatch: Dispatch,
  hub: Pick<DemoHub, 'url' | 'annotatorToken'> & { projectIds?: string[] },
  log: (message: string) => void = () => {},
): Promise<void> => {
  const listed = await dispatch('workspaces.list', {});
  if (!listed.ok) throw new Error(`workspaces.list failed: ${listed.error.message}`);
  const list = WorkspaceList.parse(listed.value);
  const hubUrl = hub.url.replace(/\/+$/, '');
  const mine = list.workspaces.find((w) => w.hubUrl === hubUrl);
  if (mine && mine.sync.status !== 'signed-out') return;
  const token = hub.annotatorToken;
  if (!token) {
    log(`${hubUrl}: no token to sign in with (signed out earlier); not signing in`);
    return;
  }
  const signedIn = await dispatch('sync.signIn', { hubUrl, token });
  if (!signedIn.ok) throw new Error(`signing in to ${hubUrl} failed: ${signedIn.error.message}`);
  const who = SyncState.safeParse(signedIn.value).data?.userName ?? 'the hub user';
  // A first batch from each demo project (images, texts, comparisons), else the hub's first.
  const projects: (string | undefined)[] = hub.projectIds?.length ? hub.projectIds : [undefined];
  let leased = 0;
  for (const projectId of projects) {
    const more = await dispatch('tasks.getMore', { count: 20, ...(projectId ? { projectId } : {}) });
    if (more.ok) leased += (more.value as { leased: number }).leased;
    else log(`leasing a first batch${projectId ? ` of ${projectId}` : ''} failed: ${more.error.message}`);
  }
  log(`signed in to ${hubUrl} as ${who}; ${leased} tasks leased`);
  const before = list.workspaces.find((w) => w.id === list.activeId);
  if (before?.kind === 'hub') await dispatch('workspaces.switch', { workspaceId: before.id });
};

/** The port the embedded demo hub of `dataDir` last listened on, or null. */
export const readDemoHubPort = (dataDir: string): string | null => {
  try {
    return readFileSync(join(dataDir, DEMO_HUB_DIR, PORT_FILE), 'utf8').trim() || null;
  } catch {
    return null;
  }
};

const readProjectIds = (file: string): string[] => {
  try {
    const r = z.array(z.string()).safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return r.success ? r.data : [];
  } catch {
    return [];
  }
};
