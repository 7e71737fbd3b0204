#!/usr/bin/env node
// `npm run start:web -- [--port N] [--data-dir DIR]`: the workbench in a browser (web mode).
// Builds the renderer if it is missing, then runs the web host through tsx.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds quietly: its output is shown only when it fails, so the last line is the one to act on. */
export const build = () => {
  process.stdout.write('Building Outrigger…\n');
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0) {
    process.stdout.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
    console.error(`The build failed (exit ${r.status ?? r.signal}); its output is above.`);
    process.exit(r.status ?? 1);
  }
};

export const startWeb = (args) => {
  if (!existsSync(join(root, 'out/renderer/index.html'))) build();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src/main/web-host/cli.ts'), ...args],
    { cwd: root, stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
};

if (process.argv[1] === fileURLToPath(import.meta.url)) startWeb(process.argv.slice(2));
