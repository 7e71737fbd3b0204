import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/db';
import { REPO_ROOT, openQueue, tempDir } from './helpers';

/** mulberry32: a small seeded PRNG, so a failing run can be replayed from its seed. */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

type Ack = { n: number; taskId: string; submissionId: string };

// `node --import tsx` runs the writer in this very process: the tsx CLI would put a parent in
// between, and SIGKILL on that parent would orphan the writer instead of killing it.
const NODE_ARGS = ['--import', 'tsx'];
const WRITER = path.join(__dirname, 'fixtures', 'crash-writer.ts');

type Writer = {
  /** Resolves once the writer has loaded its modules (before it opens the database). */
  loaded: Promise<void>;
  /** Lets it start at submission number `startN`; it is SIGKILLed `delayMs` after its first ACK. */
  run(startN: number, delayMs: number): Promise<{ acks: Ack[]; signal: string | null; stderr: string }>;
};

const spawnWriter = (file: string): Writer => {
  const child = spawn(process.execPath, [...NODE_ARGS, WRITER, file], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const acks: Ack[] = [];
  let stderr = '';
  let killDelay = 0;
  let onLoaded: () => void = () => {};
  const loaded = new Promise<void>((r) => (onLoaded = r));
  const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const exited = new Promise<{ signal: string | null }>((resolve, reject) => {
    child.on('error', reject);
    // 'close', not 'exit': it fires only after stdout is drained, so no printed ACK is missed.
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      onLoaded();
      resolve({ signal });
    });
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'LOADED') onLoaded();
    // The kill lands a random time after the first commit, so every round has work to check.
    if (acks.length === 0 && line.startsWith('ACK ')) setTimeout(() => child.kill('SIGKILL'), killDelay);
    const m = /^ACK (\d+) (\S+) (\S+)$/.exec(line);
    if (m) acks.push({ n: Number(m[1]), taskId: m[2]!, submissionId: m[3]! });
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return {
    loaded,
    async run(startN, delayMs) {
      killDelay = delayMs;
      child.stdin.write(`GO ${startN}\n`);
      const { signal } = await exited;
      return { acks, signal, stderr };
    },
  };
};

const SEED = Number(process.env.OUTRIGGER_CRASH_SEED ?? 20261128);

describe(`kill -9 during submits (seed ${SEED})`, () => {
  let dir: string;
  let cleanup: () => void;
  let file: string;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    file = path.join(dir, 'w.db');
    openQueue(file, 5000).db.close();
  });
  afterAll(() => cleanup());

  it('loses no acknowledged submission and leaves no torn transaction', async () => {
    const random = rng(SEED);
    const acked: Ack[] = [];
    let nextN = 1;
    const ROUNDS = 2;
    // Every writer loads up front, in parallel; each runs only after the previous one died.
    const writers = Array.from({ length: ROUNDS }, () => spawnWriter(file));
    for (let round = 0; round < ROUNDS; round++) {
      const delay = Math.floor(random() * 400);
      await writers[round]!.loaded;
      const r = await writers[round]!.run(nextN, delay);
      expect(r.signal, `round ${round}: the writer must die by SIGKILL (stderr: ${r.stderr})`).toBe(
        'SIGKILL',
      );
      expect(r.acks.length, `round ${round} (delay ${delay} ms) acknowledged nothing`).toBeGreaterThan(0);
      acked.push(...r.acks);
      // Reopen as the app would after a crash, and check the file.
      const db = openDatabase(file);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const subs = new Map(
        (
          db.prepare('SELECT id, task_id, annotation FROM submissions').all() as {
            id: string;
            task_id: string;
            annotation: string;
          }[]
        ).map((s) => [s.id, s]),
      );
      // Every acknowledged submission is there, whole.
      for (const a of acked) {
        const s = subs.get(a.submissionId);
        expect(s, `ACK ${a.n} lost (seed ${SEED})`).toBeDefined();
        expect(s!.task_id).toBe(a.taskId);
        expect(JSON.parse(s!.annotation).results[0].labels).toEqual([`n${a.n}`]);
      }
      // Besides the acknowledged ones, at most the submit in flight at each kill committed.
      expect(subs.size - acked.length).toBeGreaterThanOrEqual(0);
      expect(subs.size - acked.length).toBeLessThanOrEqual(round + 1);
      // No torn transaction: each submission has its submitted task, its event and its outbox row.
      const torn = db
        .prepare(
          `SELECT s.id FROM submissions s
           LEFT JOIN tasks t ON t.id = s.task_id AND t.status = 'submitted'
           LEFT JOIN activity_chain e ON e.kind = 'task.submitted' AND json_extract(e.event, '$.data.submissionId') = s.id
           LEFT JOIN outbox o ON o.kind = 'submit' AND o.submission_seq = s.seq AND json_extract(o.payload, '$.submissionId') = s.id
           WHERE t.id IS NULL OR e.at IS NULL OR o.seq IS NULL`,
        )
        .all();
      expect(torn).toEqual([]);
      const counts = db
        .prepare(
          "SELECT (SELECT count(*) FROM tasks WHERE status = 'submitted') AS tasks, (SELECT count(*) FROM outbox) AS outbox, (SELECT count(*) FROM activity_chain WHERE kind = 'task.submitted') AS events",
        )
        .get();
      expect(counts).toEqual({ tasks: subs.size, outbox: subs.size, events: subs.size });
      // The status counters agree with the rows.
      const byStatus = db
        .prepare(
          'SELECT c.status, c.n, (SELECT count(*) FROM tasks t WHERE t.status = c.status) AS real FROM task_counts c',
        )
        .all() as { n: number; real: number }[];
      for (const c of byStatus) expect(c.n).toBe(c.real);
      // Dense outbox sequence 1..N, and the client's counter at N.
      const seqs = (db.prepare('SELECT seq FROM outbox ORDER BY seq').all() as { seq: number }[]).map(
        (r) => r.seq,
      );
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      expect((db.prepare("SELECT n FROM counters WHERE key LIKE 'outbox.%'").get() as { n: number }).n).toBe(
        seqs.length,
      );
      // The pragmas hold after the crash too.
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      db.close();
      nextN = subs.size + 1;
    }
    // Sanity: the raw file also opens with a plain connection.
    const plain = new Database(file, { readonly: true });
    expect(plain.pragma('quick_check', { simple: true })).toBe('ok');
    plain.close();
  });
});
