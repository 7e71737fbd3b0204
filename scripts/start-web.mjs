#!/usr/bin/env node
// `npm run start:web -- [--port N] [--data-dir DIR]`: the workbench in a browser (web mode).
// Builds the renderer if it is missing, then runs the web host through tsx.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export const build = () => {
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    { cwd: root, stdio: 'inherit' },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
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
