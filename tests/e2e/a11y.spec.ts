/**
 * axe-core (WCAG 2.2 A/AA rules) on every screen, in both themes: 0 critical and 0 serious
 * violations. Screens: queue, image task, text task, comparison task, the sync dialog, the
 * app's cheat sheet and each editor's own key sheet. Focus-ring screenshots of each go to
 * test-results/screenshots/a11y-*.png.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/app';
import { QueuePage, queueScreen } from './pages/queue-page';
import { saveScreenshot } from './pages/screenshots';
import { TaskPage } from './pages/task-page';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Landmarks and heading order (issue 19.7): axe rates these "moderate", so they are gated by name,
 * at any impact, beside the serious and critical WCAG violations.
 */
const STRUCTURE_RULES = [
  'heading-order',
  'empty-heading',
  'landmark-one-main',
  'landmark-unique',
  'landmark-no-duplicate-main',
  'landmark-main-is-top-level',
  'landmark-banner-is-top-level',
  'landmark-complementary-is-top-level',
  'region',
];

/** The serious and critical violations, and any structure rule broken, one line each (empty when clean). */
const violations = async (page: Page, screen: string): Promise<string[]> => {
  const r = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const structure = await new AxeBuilder({ page }).withRules(STRUCTURE_RULES).analyze();
  return [
    ...r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
    ...structure.violations,
  ].flatMap((v) =>
    v.nodes
      .slice(0, 4)
      .map(
        (n) =>
          `${screen}: ${v.id} (${v.impact}) at ${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`,
      ),
  );
};

for (const theme of ['light', 'dark'] as const) {
  test(`every screen passes axe (${theme})`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: theme });
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const queue = new QueuePage(page);
    const task = new TaskPage(page);
    const found: string[] = [];
    const check = async (screen: string) => {
      found.push(...(await violations(page, screen)));
      await saveScreenshot(page, `a11y-${theme}-${screen}`);
    };

    await queue.waitReady();
    await check('queue');
    await page.keyboard.press('?');
    await expect(page.getByTestId('cheat-sheet')).toBeVisible();
    await check('queue-cheat-sheet');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+,');
    await expect(page.getByTestId('sync-dialog')).toBeVisible();
    await check('sync-dialog');
    // Modal for the keyboard: Tab and Shift+Tab cycle inside; the page below is inert.
    const inDialog = () =>
      page.evaluate(() => !!document.activeElement?.closest('[data-testid="sync-dialog"]'));
    for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      expect(await inDialog()).toBe(true);
    }
    await expect(page.getByTestId('app')).toHaveAttribute('inert', '');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('app')).not.toHaveAttribute('inert', '');
    await expect(page.getByTestId('sync-dialog')).toBeHidden();

    await queue.open('text-1', task);
    await page.getByTestId('text-view').focus();
    await check('text-task');
    await page.keyboard.press('?');
    await expect(page.getByTestId('cheat-sheet')).toBeVisible();
    await check('task-cheat-sheet');
    // The sheet scrolls by keyboard (it has focus) and Esc closes it, not the task (no skip).
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('cheat-sheet')).toBeHidden();
    await expect(task.root).toHaveAttribute('data-task-id', 'text-1');
    await expect(task.status()).not.toHaveText(/skipped/i);

    await page.goto(page.url());
    await queue.waitReady();
    await queue.open('cmp-1', task);
    await check('comparison-task');

    await page.goto(page.url());
    await queue.waitReady();
    await queue.open('image-astronaut', task);
    await task.waitImageLoaded();
    await check('image-task');
    await page
      .getByRole('button', { name: /keyboard shortcuts/i })
      .first()
      .click();
    const sheet = page.getByTestId('cheat-sheet');
    await expect(sheet).toBeVisible();
    await expect(sheet).toBeFocused();
    await page.keyboard.press('PageDown');
    await expect.poll(() => sheet.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await check('image-key-sheet');

    expect(found).toEqual([]);
  });
}

/** Is the centre of `selector`'s element on screen and not covered by anything else? */
const reachable = (page: Page, selector: string) =>
  page.evaluate((selector) => {
    const el = document.querySelector(selector);
    if (!el) return 'missing';
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return `off screen at ${x},${y}`;
    const hit = document.elementFromPoint(x, y);
    return hit && (hit === el || el.contains(hit)) ? 'ok' : `covered by ${hit?.className ?? 'nothing'}`;
  }, selector);

test.describe('a 1366×768 laptop at 125% zoom', () => {
  test.use({ viewport: { width: 1093, height: 614 }, deviceScaleFactor: 1.25 });

  for (const theme of ['light', 'dark'] as const) {
    test(`nothing essential is out of reach (${theme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      await page.reload();
      const { queue, task } = await queueScreen(page);
      await page.keyboard.press('ArrowDown'); // focuses the first row, as a keyboard user would
      await saveScreenshot(page, `a11y-125-${theme}-queue`);

      // The sync dialog: its Sign in button can be scrolled to and pressed.
      await page.keyboard.press('Control+,');
      const dialog = page.getByTestId('sync-dialog');
      const signIn = dialog.getByRole('button', { name: 'Sign in' });
      await signIn.scrollIntoViewIfNeeded();
      expect(await reachable(page, '[data-testid="sync-dialog"] button[type="submit"]')).toBe('ok');
      await saveScreenshot(page, `a11y-125-${theme}-sync-dialog`);
      await page.keyboard.press('Escape');

      // The comparison: every rubric row can be scrolled clear of the decision bar.
      await queue.open('cmp-1', task);
      const last = '[data-response="a"] .cmp-crit:last-child [role="radio"]:last-child';
      await page.locator(last).scrollIntoViewIfNeeded();
      expect(await reachable(page, last)).toBe('ok');
      await page.keyboard.press('Shift');
      await page.getByRole('radio', { name: 'Rate response A, Helpfulness: 1 of 7' }).focus();
      await saveScreenshot(page, `a11y-125-${theme}-comparison`);

      await page.goto(page.url());
      await queue.waitReady();
      await queue.open('image-astronaut', task);
      await task.waitImageLoaded();
      // A key first, so the browser shows the focus ring (:focus-visible) as for keyboard users.
      await page.keyboard.press('Shift');
      await page.getByRole('button', { name: 'Box tool' }).focus();
      await saveScreenshot(page, `a11y-125-${theme}-image-focus`);
    });
  }
});
