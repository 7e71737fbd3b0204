import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/main/core/sync/clock';
import {
  addAnnotator,
  assertExactlyOnce,
  createTextProject,
  localSubmissions,
  openClient,
  REPO_ROOT,
  startHub,
  syncUntilQuiet,
  tmpDir,
  userIdOf,
  type HubHandle,
  type HubKind,
} from './harness';

const SEED = Number(process.env.SYNC_SEED ?? 20261128);
const ROUNDS = 4;
const CLIENT = path.join(__dirname, 'fixtures', 'crash-client.ts');

type Ack = { taskId: string; fp: number };

/** Runs the client until `killAfterMs` past READY, then SIGKILLs it; resolves with its ACKs. */
const runUntilKilled = (
  args: string[],
  killAfterMs: number,
): Promise<{ acks: Ack[]; stderr: string; signal: string | null }> =>
  new Promise((resolve, reject) => {
    // `node --import tsx` (not the tsx CLI): SIGKILL must hit the process that writes.
    const child = spawn(process.execPath, ['--import', 'tsx', CLIENT, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let stderr = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'READY') setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const m = /^ACK (\S+) (\d+)$/.exec(line);
      if (m) acks.push({ taskId: m[1]!, fp: Number(m[2]) });
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    // 'close', not 'exit': it fires only after stdout is drained, so no printed ACK is missed.
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      resolve({ acks, stderr, signal });
    });
  });

const kinds: HubKind[] = process.env.OUTRIGGER_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

describe.each(kinds)('workbench core SIGKILLed during submit and sync, hub on %s', (kind) => {
  let h: HubHandle;
  beforeAll(async () => {
    h = await startHub(kind);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it(
    'loses no acknowledged submission and doubles none across kills and restarts',
    { timeout: 120_000 },
    async () => {
      const rnd = seededRandom(SEED);
      const p = await createTextProject(h, 800, { id: 'crash' });
      const token = await addAnnotator(h, p, 'crash-ann');
      const dataDir = tmpDir('crash-wb');
      const acks: Ack[] = [];
      let killed = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const delay = 150 + Math.floor(rnd() * 900);
        const r = await runUntilKilled(
          [dataDir, h.url, token, String((round + 1) * 100_000), String(SEED + round)],
          delay,
        );
        if (r.signal === 'SIGKILL') killed++;
        else throw new Error(`seed ${SEED}: round ${round} exited without being killed: ${r.stderr}`);
        acks.push(...r.acks);
      }
      expect(killed).toBe(ROUNDS);
      expect(acks.length).toBeGreaterThan(ROUNDS);

      // Restart once more, in-process, and let it settle.
      const c = await openClient(h.url, token, { dataDir, seed: SEED });
      try {
        await syncUntilQuiet(c);
        expect(c.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const local = localSubmissions(c);
        const lost = acks.filter((a) => !(local.get(a.taskId) ?? []).includes(a.fp));
        expect(lost, `seed ${SEED}: acknowledged but lost locally`).toEqual([]);
        const ids = Array.from({ length: 800 }, (_, i) => `${p}:t${i}`);
        const { checked } = await assertExactlyOnce(h, c, await userIdOf(h, 'crash-ann'), ids);
        // At most one submit per kill committed without its ACK reaching us.
        expect(checked - acks.length).toBeGreaterThanOrEqual(0);
        expect(checked - acks.length).toBeLessThanOrEqual(ROUNDS);
      } finally {
        await c.close();
      }
    },
  );
});
