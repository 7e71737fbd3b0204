import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Native and server-only packages stay external: they are loaded from node_modules at run time.
const external = ['electron', 'better-sqlite3', 'fastify', 'image-size'];

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'src/main/electron/index.ts') }, external },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // A sandboxed preload must be a single CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
        external: ['electron'],
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      // Not Vite's default 'assets/': web mode serves task assets (images by sha256) at /assets/.
      assetsDir: 'static',
      // RENDERER_MINIFY=0 keeps names readable in CPU profiles (bench/next-task.ts BENCH_PROFILE).
      minify: process.env.RENDERER_MINIFY !== '0',
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
