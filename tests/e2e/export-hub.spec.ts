/**
 * A lead exports a hub project from the workbench's export screen: the hub's projects listed
 * beside this workspace's, every hub version, batches and annotators as filters, the hub's
 * preview, the zip streamed into the exports folder (nothing else left there), in both themes,
 * axe clean. A local project says why reviewed and consensus versions are not on this computer.
 * Screenshots: test-results/screenshots/export-hub/ (or $SHOTS_DIR).
 */
import AxeBuilder from '@axe-core/playwright';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/app';
import { startQualityHub, type QualityHub } from './fixtures/quality-hub';
import { QueuePage } from './pages/queue-page';
import { StatusBar } from './pages/status-bar';
import { SyncDialog } from './pages/sync-dialog';

const SHOTS = process.env.SHOTS_DIR ?? 'test-results/screenshots/export-hub';
const shot = async (page: Page, name: string): Promise<void> => {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
};
const serious = async (page: Page): Promise<string[]> => {
  const r = await new AxeBuilder({ page })
    .include('[data-testid="export-dialog"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.slice(0, 3).map((n) => `${v.id} at ${n.target.join(' ')}`));
};

let hub: QualityHub;
test.beforeEach(async () => {
  hub = await startQualityHub();
});
test.afterEach(async () => {
  await hub.close();
});

for (const theme of ['light', 'dark'] as const) {
  test(`a lead exports a hub project from the export screen (${theme})`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: theme });
    await new QueuePage(page).waitReady();
    const dialog = page.getByTestId('export-dialog');
    const project = page.getByTestId('export-project');

    // Signed out, on the demo workspace: the versions not kept here are disabled, each with why.
    await page.keyboard.press('Control+Shift+E');
    await expect(dialog).toBeVisible();
    await expect(project).toHaveValue('local:demo-image');
    await expect(page.getByTestId('export-unavailable')).toContainText('only the hub holds');
    await expect(page.getByTestId('export-unavailable')).toContainText('only of rejections');
    await expect(page.getByTestId('export-version').locator('option[value="consensus"]')).toBeDisabled();
    await expect(page.getByTestId('export-source-hint')).toContainText('Not signed in to a hub');
    await shot(page, `export-hub-${theme}-local-versions`);
    expect(await serious(page)).toEqual([]);
    await page.keyboard.press('Escape');

    await new StatusBar(page).syncState.click();
    await new SyncDialog(page).signInOk(hub.url, hub.token);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+E');
    await expect(dialog).toBeVisible();
    await expect(project.locator('optgroup[label="The hub (projects you lead)"] option')).toHaveCount(1);

    await project.selectOption('hub:p1');
    await expect(page.getByTestId('export-source-hint')).toContainText('Exported by the hub');
    await expect(page.getByTestId('export-version').locator('option:not([disabled])')).toHaveCount(5);
    await expect(page.getByTestId('export-batches')).toContainText('week-1');
    await expect(page.getByTestId('export-annotators').locator('label')).toHaveText(['a', 'b', 'c']);
    const summary = page.getByTestId('export-preview-summary');
    const counted = async (): Promise<number> => {
      await expect(page.locator('.export-preview')).toHaveAttribute('aria-busy', 'false');
      return Number(/(\d+) task versions/.exec((await summary.textContent()) ?? '')?.[1] ?? NaN);
    };
    const latest = await counted();
    await page.getByTestId('export-version').selectOption('submitted');
    // Every submitted version: three annotators per task, so more than the latest per task.
    await expect.poll(counted).toBeGreaterThan(latest);
    const all = await counted();
    // Leaving one annotator out narrows the hub's preview.
    await page.getByTestId('export-annotators').getByLabel('c').uncheck();
    await expect.poll(counted).toBeLessThan(all);
    const some = await counted();
    await shot(page, `export-hub-${theme}-options`);
    expect(await serious(page)).toEqual([]);

    await page.getByTestId('export-start').click();
    const job = page.getByTestId('export-job');
    await expect(job).toHaveAttribute('data-state', 'finished', { timeout: 30_000 });
    await expect(job).toContainText(`${some} task versions written`);
    const path = (await page.getByTestId('export-path').textContent()) ?? '';
    expect(path.endsWith('.zip')).toBe(true);
    expect(readdirSync(dirname(path))).toEqual([basename(path)]);
    expect(readFileSync(path).subarray(0, 2).toString('latin1')).toBe('PK');
    await shot(page, `export-hub-${theme}-done`);
    expect(await serious(page)).toEqual([]);
  });
}
