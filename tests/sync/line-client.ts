import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './harness';

const FIXTURE = path.join(__dirname, 'fixtures', 'line-client.ts');

/** A workbench core in its own process (tests/sync/fixtures/line-client.ts), one command at a time. */
export type LineClient = {
  pid: number;
  /** Sends a command; resolves with its answer (rejects on `{"error"}` or after `timeoutMs`). */
  send(line: string, timeoutMs?: number): Promise<unknown>;
  /** Writes a command without waiting (its answer is the next `answer()`). */
  write(line: string): void;
  answer(timeoutMs?: number): Promise<unknown>;
  /** The kernel's run state of the process: 'T' while stopped by SIGSTOP. */
  runState(): string;
  kill(signal: NodeJS.Signals): void;
  exited: Promise<number | null>;
};

export const startLineClient = async (
  dataDir: string,
  hubUrl: string,
  token: string,
  seed: number,
): Promise<LineClient> => {
  // `node --import tsx` (not the tsx CLI): signals must reach the process that runs the workbench.
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', FIXTURE, dataDir, hubUrl, token, String(seed)],
    {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let stderr = '';
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else lines.push(line);
  });
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const answer = (timeoutMs = 20_000): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const take = (line: string) => {
        clearTimeout(timer);
        const msg = JSON.parse(line) as { ok?: unknown; error?: string };
        if (msg.error !== undefined) reject(new Error(`line client: ${msg.error}`));
        else resolve(msg.ok);
      };
      const timer = setTimeout(() => {
        const k = waiting.indexOf(take);
        if (k >= 0) waiting.splice(k, 1);
        reject(
          new Error(
            `line client: no answer in ${timeoutMs} ms${stderr ? `; stderr: ${stderr.slice(-2000)}` : ''}`,
          ),
        );
      }, timeoutMs);
      const ready = lines.shift();
      if (ready !== undefined) take(ready);
      else waiting.push(take);
    });
  const write = (line: string) => void child.stdin!.write(`${line}\n`);
  const c: LineClient = {
    pid: child.pid!,
    write,
    answer,
    send: (line, timeoutMs) => {
      write(line);
      return answer(timeoutMs);
    },
    runState: () => {
      // /proc/<pid>/stat: "pid (comm) S …" — the comm may hold spaces, so read after the last ')'.
      const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    },
    kill: (signal) => void child.kill(signal),
    exited,
  };
  await answer(60_000);
  return c;
};
