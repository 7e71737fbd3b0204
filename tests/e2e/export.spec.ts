/**
 * The export screen in web mode: opened from the queue, driven by keyboard, live preview per
 * split and label, a COCO export written into the data folder and checked by the Python
 * checker, "Open folder" answering the path (web mode cannot open folders), axe clean in both
 * themes. Screenshots go to test-results/screenshots/export-*.png (and $SHOTS_DIR if set).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/app';
import { QueuePage } from './pages/queue-page';
import { saveScreenshot } from './pages/screenshots';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const seriousViolations = async (page: Page): Promise<string[]> => {
  const r = await new AxeBuilder({ page }).include('[data-testid="export-dialog"]').withTags(TAGS).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.slice(0, 3).map((n) => `${v.id} at ${n.target.join(' ')}`));
};

const shot = async (page: Page, name: string): Promise<void> => {
  await saveScreenshot(page, name);
  const dir = process.env['SHOTS_DIR'];
  if (dir) {
    mkdirSync(dir, { recursive: true });
    copyFileSync(`test-results/screenshots/${name}.png`, join(dir, `${name}.png`));
  }
};

for (const theme of ['light', 'dark'] as const) {
  test(`exports COCO from the export screen (${theme})`, async ({ page, app }) => {
    test.setTimeout(120_000);
    // Six demo images submitted with boxes, through the same API the page uses.
    const labels = ['person', 'animal', 'object'];
    for (let i = 0; i < 6; i++) {
      const view = await app.value('tasks.claimNext', { projectId: 'demo-image' });
      if (!view) throw new Error('the demo has fewer than six images');
      const results = [
        { type: 'bbox', id: `a${i}`, label: labels[i % 3]!, x: 10, y: 12, w: 40, h: 30 },
        ...(i % 2 ? [{ type: 'bbox', id: `b${i}`, label: 'person', x: 1, y: 2, w: 5, h: 6 }] : []),
      ];
      await app.value('tasks.submit', {
        taskId: view.task.id,
        annotation: { results, activeMs: 500 } as never,
      });
    }
    await page.emulateMedia({ colorScheme: theme });
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await new QueuePage(page).waitReady();

    // Keyboard: Ctrl+Shift+E opens it with focus on the first field.
    await page.keyboard.press('Control+Shift+E');
    const dialog = page.getByTestId('export-dialog');
    await expect(dialog).toBeVisible();
    await expect(page.getByTestId('export-project')).toBeFocused();
    await expect(page.getByTestId('export-project')).toHaveValue('local:demo-image');
    await expect(page.getByTestId('export-format')).toHaveValue('coco');
    await expect(page.getByTestId('export-preview-summary')).toContainText('6 task versions, 9 results');

    // The split, by keyboard: Tab to its checkbox, Space.
    for (let i = 0; i < 30; i++) {
      if (await page.getByTestId('export-split').evaluate((el) => el === document.activeElement)) break;
      await page.keyboard.press('Tab');
    }
    await expect(page.getByTestId('export-split')).toBeFocused();
    await page.keyboard.press('Space');
    const table = page.getByTestId('export-preview-table');
    await expect(table.locator('thead th')).toHaveText(['Label', 'All', 'Train', 'Validation', 'Test']);
    await expect(table.locator('tbody tr').first().locator('td').first()).toHaveText('6');
    await expect(table.locator('tbody tr', { hasText: 'person' }).locator('td').first()).toHaveText('5');
    await expect(page.locator('.export-preview')).toHaveAttribute('aria-busy', 'false');
    await shot(page, `export-${theme}-options`);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId('export-start').click();
    const job = page.getByTestId('export-job');
    await expect(job).toHaveAttribute('data-state', 'finished', { timeout: 30_000 });
    const path = (await page.getByTestId('export-path').textContent()) ?? '';
    // Into the active workspace's exports/ folder, with nothing beside it: no partial left.
    expect(path.startsWith(app.dataDir)).toBe(true);
    expect(basename(dirname(path))).toBe('exports');
    expect(readdirSync(dirname(path))).toEqual([basename(path)]);
    await page.getByTestId('export-open-folder').click();
    await expect(dialog.getByText('This window cannot open folders')).toBeVisible();
    await shot(page, `export-${theme}-done`);
    expect(await seriousViolations(page)).toEqual([]);

    const splitFiles = ['train', 'val', 'test']
      .map((s) => join(path, 'annotations', `instances_${s}.json`))
      .filter((f) => existsSync(f));
    expect(splitFiles.length).toBeGreaterThan(0);
    for (const f of splitFiles) {
      const r = spawnSync('python3', ['tests/export/check_datasets.py', 'coco', f], { encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`).toMatch(/^ok /);
    }

    // Esc closes it and returns to the queue.
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('queue-screen')).toBeVisible();
  });
}
