import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Esbuild from 'esbuild';

/**
 * A thread entry's code as one plain-JavaScript source (CommonJS, its imports bundled in), for
 * `new Worker(source, { eval: true })`: the hub runs from its TypeScript sources under tsx, and
 * a thread loading a .ts entry through tsx starts the compiler again (about 100 MB and hundreds
 * of ms a thread). esbuild — what tsx compiles with, so present wherever the sources run —
 * bundles the entry once per process (tens of ms). Null when the entry is not there as
 * TypeScript or esbuild cannot be loaded (a bundled build): the caller then works on its own
 * thread.
 */
const built = new Map<string, string | null>();

export const threadSource = (entry: string): string | null => {
  if (built.has(entry)) return built.get(entry)!;
  let source: string | null = null;
  try {
    if (entry.endsWith('.ts') && existsSync(entry)) {
      const esbuild = createRequire(__filename)('esbuild') as typeof Esbuild;
      const out = esbuild.buildSync({
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        write: false,
        logLevel: 'silent',
        // Packages stay where they are (zod alone would be 750 kB more to bundle and parse):
        // the thread requires them from the entry's folder.
        packages: 'external',
      });
      const text = out.outputFiles[0]?.text;
      if (text !== undefined)
        source = `(function (require) {\n${text}\n})(require('node:module').createRequire(${JSON.stringify(entry)}));`;
    }
  } catch {
    source = null;
  }
  built.set(entry, source);
  return source;
};
