import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledWorkerSource, workerBundle } from './bundled-worker';

describe('bundledWorkerSource', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundled-worker-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives nothing for an entry that is not TypeScript source (a bundled hub)', () => {
    expect(bundledWorkerSource(join(dir, 'missing.ts'))).toBeUndefined();
    writeFileSync(join(dir, 'plain.js'), 'module.exports = 1;');
    expect(bundledWorkerSource(join(dir, 'plain.js'))).toBeUndefined();
  });

  it('bundles a TypeScript entry and what it imports into code a worker runs, once', async () => {
    writeFileSync(join(dir, 'double.ts'), 'export const double = (n: number): number => n * 2;\n');
    writeFileSync(
      join(dir, 'entry.ts'),
      [
        "import { parentPort } from 'node:worker_threads';",
        "import { double } from './double';",
        'parentPort!.on("message", (n: number) => parentPort!.postMessage(double(n)));',
      ].join('\n'),
    );
    const code = bundledWorkerSource(join(dir, 'entry.ts'))!;
    expect(code).not.toContain('n: number');
    expect(bundledWorkerSource(join(dir, 'entry.ts'))).toBe(code);
    const w = new Worker(code, { eval: true });
    try {
      const answer = new Promise((r) => w.once('message', r));
      w.postMessage(21);
      expect(await answer).toBe(42);
    } finally {
      await w.terminate();
    }
  });

  it('reuses a bundle built by an earlier process until one of its sources changes', () => {
    writeFileSync(join(dir, 'value.ts'), 'export const value = "first";\n');
    writeFileSync(join(dir, 'cached.ts'), "import { value } from './value';\nconsole.log(value);\n");
    expect(workerBundle(join(dir, 'cached.ts'))).toContain('"first"');
    expect(workerBundle(join(dir, 'cached.ts'))).toContain('"first"');
    writeFileSync(join(dir, 'value.ts'), 'export const value = "second, longer";\n');
    expect(workerBundle(join(dir, 'cached.ts'))).toContain('"second, longer"');
  });
});
