/**
 * The export screen receiving a hub export as the hub writes it: megabytes counted while the
 * hub is still reading its pages (each held back here), then the count the hub sent at the
 * end, the zip alone in the exports folder. Both themes.
 * Screenshots: test-results/screenshots/export-hub-stream/ (or $SHOTS_DIR).
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/app';
import { startExportStreamHub, type ExportStreamHub } from './fixtures/export-stream-hub';
import { QueuePage } from './pages/queue-page';
import { StatusBar } from './pages/status-bar';
import { SyncDialog } from './pages/sync-dialog';

const SHOTS = process.env.SHOTS_DIR ?? 'test-results/screenshots/export-hub-stream';
const shot = async (page: Page, name: string): Promise<void> => {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
};

let hub: ExportStreamHub;
test.beforeEach(async () => {
  hub = await startExportStreamHub();
});
test.afterEach(async () => {
  await hub.close();
});

const kb = (text: string): number => {
  const m = /([\d.]+) (bytes|KB|MB)/.exec(text);
  return m ? Number(m[1]) * (m[2] === 'MB' ? 1000 : m[2] === 'KB' ? 1 : 0.001) : NaN;
};

for (const theme of ['light', 'dark'] as const) {
  test(`the export screen receives a hub export while the hub writes it (${theme})`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: theme });
    await new QueuePage(page).waitReady();
    await new StatusBar(page).syncState.click();
    await new SyncDialog(page).signInOk(hub.url, hub.token);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+E');
    const dialog = page.getByTestId('export-dialog');
    await expect(dialog).toBeVisible();
    await page.getByTestId('export-project').selectOption('hub:proj');
    await expect(page.locator('.export-preview')).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
    await expect(page.getByTestId('export-preview-summary')).toContainText('1,000');

    const before = hub.pagesRead();
    await page.getByTestId('export-start').click();
    const job = page.getByTestId('export-job');
    // Bytes arrive while the hub is still reading: the zip is written as the export runs.
    await expect(job).toContainText(/Receiving the zip as the hub writes it… [\d.]+ (bytes|KB|MB)/, {
      timeout: 30_000,
    });
    await expect(job).toHaveAttribute('data-state', 'running');
    expect(hub.pagesRead() - before).toBeLessThan(5);
    const during = kb((await job.textContent()) ?? '');
    await shot(page, `export-hub-stream-${theme}-progress`);

    await expect(job).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
    // The count the hub sent after the last byte (its trailer), and the size received.
    await expect(job).toContainText('Done: 1,000 task versions written');
    const path = (await page.getByTestId('export-path').textContent()) ?? '';
    expect(readdirSync(dirname(path))).toEqual([basename(path)]);
    const done = kb((await job.textContent()) ?? '');
    expect(during).toBeLessThan(done);
    expect(Math.abs(done - statSync(path).size / 1000)).toBeLessThan(statSync(path).size / 1000 / 10 + 1);
    await shot(page, `export-hub-stream-${theme}-done`);
  });
}
