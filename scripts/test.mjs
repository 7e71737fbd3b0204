// `npm test`: unit and cross-module suites (Vitest), then the end-to-end suites (Playwright in
// Chromium against web mode). Ends with one plain line `N passed, N failed` summed over both,
// which CI reads.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, mkdirSync } from 'node:fs';
import { ensureChromium } from './ensure-chromium.mjs';

const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

const readJson = (path) => {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
};

mkdirSync('test-results', { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;
const only = process.argv[2]; // 'unit' | 'e2e' | undefined

if (only !== 'e2e') {
  rmSync('test-results/vitest.json', { force: true });
  const status = run('npx', [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    '--outputFile=test-results/vitest.json',
  ]);
  const report = readJson('test-results/vitest.json');
  if (report) {
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    // A suite that failed to load counts as a failure even when it declared no test.
    const unloaded = report.testResults.filter(
      (r) => r.status === 'failed' && r.assertionResults.length === 0,
    ).length;
    totals.failed += unloaded;
    // A failed run with no failed test (unhandled errors, say) still counts one failure.
    if (status !== 0 && report.numFailedTests + unloaded === 0) totals.failed += 1;
  } else totals.failed += 1;
  if (status !== 0) exitCode = 1;
}

if (only !== 'unit') {
  const chromium = ensureChromium();
  if (run('npx', ['electron-vite', 'build']) !== 0) {
    totals.failed += 1;
    exitCode = 1;
  } else {
    rmSync('test-results/playwright.json', { force: true });
    const status = run('npx', ['playwright', 'test', '--reporter=list,json'], {
      CHROMIUM: chromium,
      PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/playwright.json',
    });
    const report = readJson('test-results/playwright.json');
    if (report) {
      totals.passed += report.stats.expected + report.stats.flaky;
      totals.failed += report.stats.unexpected;
      totals.skipped += report.stats.skipped;
      // A spec that fails to load runs no test: count its load errors (at least one failure).
      if (status !== 0 && report.stats.unexpected === 0)
        totals.failed += Math.max(1, report.errors?.length ?? 0);
    } else totals.failed += 1;
    if (status !== 0) exitCode = 1;
  }
}

if (totals.passed + totals.failed === 0) exitCode = 1;
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(exitCode);
