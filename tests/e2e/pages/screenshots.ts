import type { Page } from '@playwright/test';

/** Saves a full-window screenshot under test-results/screenshots/, for checking by eye. */
export const saveScreenshot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: `test-results/screenshots/${name}.png` });
