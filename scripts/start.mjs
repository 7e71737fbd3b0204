#!/usr/bin/env node
// `npm start`: build, then open the Electron window; where Electron cannot run, say why in one
// line and start web mode instead. The Electron binary (denied at install time, see
// package.json allowScripts) is fetched here on first start, and better-sqlite3 is built for
// Electron's ABI into .native/electron/, leaving the Node build in node_modules to the tests.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, startWeb } from './start-web.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronDir = join(root, 'node_modules/electron');
const nativeOut = join(root, '.native/electron/better_sqlite3.node');
const run = (cmd, args, opts = {}) =>
  spawnSync(cmd, args, { cwd: root, stdio: 'ignore', timeout: 300_000, ...opts });

/** The Electron binary's path, or null while it is not installed. */
const electronBinary = () => {
  try {
    const path = createRequire(import.meta.url)(electronDir);
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
};

/** Whether a .node file exports the entry point of the given ABI (nm is in binutils). */
const hasAbi = (file, abi) =>
  run('sh', ['-c', `nm -D "${file}" | grep -q node_register_module_v${abi}`]).status === 0;

/** Builds better-sqlite3 against Electron's headers in a scratch copy; returns an error or null. */
const buildNative = () => {
  const abi = readFileSync(join(electronDir, 'abi_version'), 'utf8').trim();
  if (existsSync(nativeOut) && hasAbi(nativeOut, abi)) return null;
  console.log('First start: building better-sqlite3 for Electron (about a minute)…');
  const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'));
  const scratch = mkdtempSync(join(tmpdir(), 'outrigger-native-'));
  try {
    cpSync(join(root, 'node_modules/better-sqlite3'), scratch, {
      recursive: true,
      filter: (p) => !p.includes('/build/'),
    });
    // npm's bundled node-gyp, run directly: through npm/npx, a `nodedir` in the user's npmrc
    // would point it at Node's headers and yield a Node build.
    const npmCli =
      process.env.npm_execpath ?? join(dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js');
    const nodeGyp = join(dirname(npmCli), '../node_modules/node-gyp/bin/node-gyp.js');
    if (!existsSync(nodeGyp)) return 'node-gyp (bundled with npm) was not found';
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));
    const args = [
      'rebuild',
      `--target=${version}`,
      '--dist-url=https://electronjs.org/headers',
      '--runtime=electron',
    ];
    const gyp = run(process.execPath, [nodeGyp, ...args], { cwd: scratch, env });
    const built = join(scratch, 'build/Release/better_sqlite3.node');
    if (gyp.status !== 0 || !existsSync(built))
      return `could not build better-sqlite3 for Electron ${version}`;
    if (!hasAbi(built, abi)) return `the better-sqlite3 build is not for Electron's ABI ${abi}`;
    mkdirSync(join(root, '.native/electron'), { recursive: true });
    copyFileSync(built, nativeOut);
    return null;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
};

/** What stands between this machine and the window, or null when nothing does. */
const electronBlocker = () => {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return 'there is no display';
  if (!electronBinary()) {
    console.log('First start: fetching the Electron binary…');
    run(process.execPath, [join(electronDir, 'install.js')]);
  }
  if (!electronBinary()) return 'the Electron binary could not be downloaded';
  return buildNative();
};

const fallBack = (reason) => {
  console.log(`Electron cannot run here (${reason}); starting web mode instead: open the URL below.`);
  startWeb(process.argv.slice(2));
};

build();
const blocker = electronBlocker();
if (blocker) fallBack(blocker);
else {
  const started = Date.now();
  // OUTRIGGER_NODE: the shell runs the embedded demo hub with this Node (src/main/electron/index.ts).
  const child = spawn(electronBinary(), [root], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, OUTRIGGER_NODE: process.execPath },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => {
    // A crash at launch (missing system libraries, no GPU process) still leaves web mode.
    if (code && Date.now() - started < 5000) fallBack(`Electron exited with code ${code} at launch`);
    else process.exit(code ?? 0);
  });
}
