import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** What a worker is started from: its code (eval'd), built once per process and entry. */
const built = new Map<string, string>();

interface EsbuildApi {
  version: string;
  buildSync(o: Record<string, unknown>): {
    outputFiles?: { text: string }[];
    metafile?: { inputs: Record<string, unknown> };
  };
}

/** Each input file of a bundle as it was when built: [absolute path, mtime ms, size]. */
type Inputs = [string, number, number][];

const stamp = (file: string): [string, number, number] | undefined => {
  const s = statSync(file, { throwIfNoEntry: false });
  return s ? [file, s.mtimeMs, s.size] : undefined;
};

/** True when every input of a cached bundle is unchanged. */
const fresh = (inputs: Inputs): boolean =>
  inputs.every(([file, mtime, size]) => {
    const now = stamp(file);
    return now !== undefined && now[1] === mtime && now[2] === size;
  });

/**
 * Where built bundles are kept between processes: `node_modules/.cache/outrigger-threads`
 * beside the esbuild that built them (a folder of this checkout, owner-only), so a fresh
 * process (a CLI export, a bench round) skips the 0.3 s build while no source changed.
 */
const cacheDir = (esbuildEntry: string): string | undefined => {
  const at = esbuildEntry.lastIndexOf(`${join('node_modules', 'esbuild')}`);
  return at < 0 ? undefined : join(esbuildEntry.slice(0, at), 'node_modules', '.cache', 'outrigger-threads');
};

const readCached = (file: string): string | undefined => {
  try {
    const { inputs, code } = JSON.parse(readFileSync(file, 'utf8')) as { inputs: Inputs; code: string };
    return Array.isArray(inputs) && typeof code === 'string' && fresh(inputs) ? code : undefined;
  } catch {
    return undefined;
  }
};

const writeCached = (file: string, inputs: Inputs, code: string): void => {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ inputs, code }), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs the next process a build.
  }
};

/**
 * A worker thread's code built from a TypeScript entry of the hub, as one plain CommonJS
 * string for `new Worker(code, { eval: true })`, or undefined when the hub runs from a bundle
 * (no TypeScript source beside it): the caller then does the work on its own thread.
 *
 * Why not load the entry through tsx in the thread (as push/decoder.ts does): that brings the
 * TypeScript loader and a compile of every module into the thread, about 100 MB of RSS. The
 * bundle holds only what the entry imports. esbuild (which tsx runs on) builds it in about
 * 0.3 s; the result is kept per process, and on disk (see cacheDir) until a source file of it
 * changes. Packages in `external` (native ones: better-sqlite3) stay `require`d from
 * node_modules.
 */
export const bundledWorkerSource = (entry: string, external: readonly string[] = []): string | undefined => {
  const done = built.get(entry);
  if (done !== undefined) return done;
  const code = workerBundle(entry, external);
  if (code !== undefined) built.set(entry, code);
  return code;
};

/** bundledWorkerSource without the per-process memo: from the disk cache when fresh, else built. */
export const workerBundle = (entry: string, external: readonly string[] = []): string | undefined => {
  if (!entry.endsWith('.ts') || !existsSync(entry)) return undefined;
  // Required when first needed, through a runtime require: a bundled hub never loads esbuild.
  const req = createRequire(__filename);
  const esbuildEntry = req.resolve('esbuild');
  const esbuild = req(esbuildEntry) as EsbuildApi;
  const key = createHash('sha256')
    .update(JSON.stringify([entry, external, esbuild.version]))
    .digest('hex')
    .slice(0, 24);
  const dir = cacheDir(esbuildEntry);
  const file = dir && join(dir, `${key}.json`);
  let code = file ? readCached(file) : undefined;
  const cwd = process.cwd();
  if (code === undefined) {
    const out = esbuild.buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      metafile: true,
      absWorkingDir: cwd,
      external: [...external],
      logLevel: 'silent',
    });
    code = out.outputFiles?.[0]?.text;
    if (code === undefined) throw new Error(`bundling the worker ${entry} gave no output`);
    const inputs = Object.keys(out.metafile?.inputs ?? {}).map((p) => stamp(resolve(cwd, p)));
    if (file && inputs.length > 0 && inputs.every((s) => s !== undefined))
      writeCached(file, inputs as Inputs, code);
  }
  return code;
};
