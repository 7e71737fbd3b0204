import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Starts `hub serve` in its own process (extra flags appended) and resolves to its URL once it
 * logs "hub listening"; `exited` tells whether it has stopped since (a crash, for the fuzz suite).
 */
export const startHubProcess = (
  dataDir: string,
  flags: string[] = [],
): Promise<{ proc: ChildProcess; url: string; exited: () => string | null }> =>
  new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/hub/cli.ts', 'serve', '--data', dataDir, '--port', '0', ...flags],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    let exit: string | null = null;
    proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code, signal) => {
      exit = `hub exited with ${String(code ?? signal)}: ${err.slice(-2000)}`;
      reject(new Error(exit));
    });
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      try {
        const log = JSON.parse(line) as { msg?: string; url?: string };
        if (log.msg === 'hub listening' && log.url) resolve({ proc, url: log.url, exited: () => exit });
      } catch {
        // not a log line
      }
    });
  });
