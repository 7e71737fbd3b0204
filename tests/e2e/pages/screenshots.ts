import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

/** Saves a full-window screenshot under test-results/screenshots/, for checking by eye. */
export const saveScreenshot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: `test-results/screenshots/${name}.png` });

/** Saves `<dir>/<name>-light.png` and `-dark.png` (for checking both themes by eye). */
export const saveThemedScreenshots = async (page: Page, dir: string, name: string): Promise<void> => {
  mkdirSync(dir, { recursive: true });
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    await page.screenshot({ path: join(dir, `${name}-${theme}.png`) });
  }
  await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
};
