import { build } from 'vite';
import react from '@vitejs/plugin-react';

/** Builds a standalone bench page (a folder with index.html) with the renderer's React setup. */
export const buildBenchPage = async (root: string, outDir: string): Promise<string> => {
  await build({
    root,
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    // RENDERER_MINIFY=0 keeps names readable in CPU profiles.
    build: {
      outDir,
      emptyOutDir: true,
      minify: process.env.RENDERER_MINIFY !== '0',
      modulePreload: { polyfill: false },
    },
  });
  return outDir;
};
