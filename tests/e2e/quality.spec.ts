/**
 * The lead's quality screen against a real hub (issue 12.6): the lots table, the agreement
 * heatmap and per-label table, gold accuracy per annotator — the figures worked out by hand in
 * tests/hub/quality.suite.ts — in both themes, passing axe, opened and closed by keyboard.
 */
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { expect, test } from './fixtures/app';
import { startQualityHub, type QualityHub } from './fixtures/quality-hub';
import { QueuePage } from './pages/queue-page';
import { StatusBar } from './pages/status-bar';
import { SyncDialog } from './pages/sync-dialog';

const SHOTS = process.env.SHOTS_DIR ?? 'test-results/screenshots/quality';

let hub: QualityHub;
test.beforeEach(async () => {
  hub = await startQualityHub();
});
test.afterEach(async () => {
  await hub.close();
});

test('a lead sees lots, the agreement heatmap and gold accuracy', async ({ page }) => {
  test.setTimeout(90_000);
  mkdirSync(SHOTS, { recursive: true });
  await new QueuePage(page).waitReady();
  // Signed out, no one is a lead: no quality button.
  await expect(page.getByTestId('open-quality')).toHaveCount(0);
  await new StatusBar(page).syncState.click();
  await new SyncDialog(page).signInOk(hub.url, hub.token);
  await page.keyboard.press('Escape');

  const open = page.getByTestId('open-quality');
  await open.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('quality-dialog');
  await expect(dialog).toHaveAttribute('data-state', 'ready');

  // Lots: 12 items at level II → code letter B; AQL 2.5 follows Table 2-A's arrow to C
  // (n 5, Ac 0, Re 1); nothing audited yet.
  const lot = dialog.getByTestId('quality-lots').locator('tbody tr');
  await expect(lot).toHaveCount(1);
  await expect(lot.locator('th')).toHaveText('week-1');
  await expect(lot.locator('td')).toHaveText([
    '12',
    'II',
    '2.5',
    'B → C',
    '5',
    '0 / 1',
    '0 of 5',
    '0',
    'Pending',
    '7',
  ]);

  // Heatmap: a–b 0.75, a–c and b–c 0.50 over 4 shared tasks; the diagonal is the same person.
  const heat = dialog.getByTestId('quality-heatmap');
  await expect(heat.locator('thead th')).toHaveText(['a', 'b', 'c']);
  await expect(heat.locator('tbody tr').nth(0).locator('td')).toHaveText([
    'same person',
    '0.75 (4)',
    '0.50 (4)',
  ]);
  await expect(heat.locator('tbody tr').nth(2).locator('td')).toHaveText([
    '0.50 (4)',
    '0.50 (4)',
    'same person',
  ]);

  // Per label: x tp 4 fn 4 (F1 0.67); y tp 3 fp 3 fn 1 (0.60); z fp 2 (0.00).
  const labels = dialog.getByTestId('quality-labels').locator('tbody tr');
  await expect(labels.nth(0).locator('td')).toHaveText(['4', '0', '4', '0.67']);
  await expect(labels.nth(1).locator('td')).toHaveText(['3', '3', '1', '0.60']);
  await expect(labels.nth(2).locator('td')).toHaveText(['0', '2', '0', '0.00']);

  // Gold: no gold task here, so the score and passes read "—", never 0.
  const gold = dialog.getByTestId('quality-gold').locator('tbody tr');
  await expect(gold).toHaveCount(3);
  await expect(gold.nth(0).locator('td')).toHaveText(['0', '—', '—', '0', '—']);

  // Consensus: t2 (x y z) has no majority and went to a reviewer.
  await expect(dialog.getByTestId('quality-consensus-summary')).toHaveText(
    '4 tasks with two or more submissions: 3 with a consensus (agreed, or settled by a reviewer), 1 went to a reviewer (a tie or low agreement).',
  );

  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const r = await new AxeBuilder({ page })
      .include('[data-testid="quality-dialog"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/quality-${theme}.png`, fullPage: true });
  }

  // Making a lot: week-2 (60 items) at level II, AQL 2.5 → code letter E, Table 2-A's arrow
  // to F: n 20, Ac 1, Re 2 (ISO 2859-1; the worked example in src/shared/quality/README.md),
  // shown before anything is made. Week-1 has a lot under audit, so no second one.
  const maker = dialog.getByTestId('lot-maker');
  const plan = maker.getByTestId('lot-plan');
  await maker.getByLabel('Batch').selectOption('week-1');
  await expect(plan).toContainText('has a lot under audit (p1:lot-1)');
  await expect(maker.getByTestId('lot-make')).toBeDisabled();
  await maker.getByLabel('Batch').focus();
  await page.keyboard.press('ArrowDown'); // week-2, by keyboard
  await expect(maker.getByLabel('Batch')).toHaveValue('week-2');
  await expect(plan.locator('dd')).toHaveText(['60', 'E → F', '20', '1 / 2']);
  // Level I: letter C, whose plan at AQL 2.5 is n 5, Ac 0, Re 1.
  await maker.getByLabel('Inspection level').selectOption('I');
  await expect(plan.locator('dd')).toHaveText(['60', 'C', '5', '0 / 1']);
  await maker.getByLabel('Inspection level').selectOption('II');
  await expect(dialog.getByTestId('quality-defect-rule')).toContainText('rejected it, or fixed it');
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await maker.screenshot({ path: `${SHOTS}/lot-form-${theme}.png` });
  }
  await maker.getByTestId('lot-make').focus();
  await page.keyboard.press('Enter');
  await expect(maker.getByRole('status')).toContainText('Lot p1:lot-2 made: 20 of 60 items are up for audit');
  // The new lot, read back from the hub.
  await expect(lot).toHaveCount(2);
  const made = lot.filter({ has: page.locator('th', { hasText: 'week-2' }) });
  await expect(made.locator('td').nth(0)).toHaveText('60');
  await expect(made.locator('td').nth(3)).toHaveText('E → F');
  await expect(made.locator('td').nth(6)).toHaveText('0 of 20');
  await expect(made.locator('td').nth(8)).toHaveText('Pending');
  // A reviewer rejects two sampled items on the hub: Refresh shows the lot rejected (Re 2).
  await hub.rejectSampled('week-2', 2);
  await dialog.getByRole('button', { name: 'Refresh' }).click();
  await expect(made.locator('td').nth(6)).toHaveText('2 of 20');
  await expect(made.locator('td').nth(7)).toHaveText('2');
  await expect(made.locator('td').nth(8)).toHaveText('Rejected (40 up for full review)');
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    const r = await new AxeBuilder({ page })
      .include('[data-testid="quality-dialog"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/quality-lot-made-${theme}.png`, fullPage: true });
  }

  // Offline, making a lot says that nothing was made and why.
  await maker.getByLabel('Batch').selectOption('week-3');
  await hub.close();
  await maker.getByTestId('lot-make').click();
  await expect(maker.getByRole('alert')).toContainText('No lot was made: the hub does not answer.');
  await maker.screenshot({ path: `${SHOTS}/lot-form-offline-dark.png` });

  // The hub gone, Refresh says so in words (the technical line behind "Details").
  await dialog.getByRole('button', { name: 'Refresh' }).click();
  // Worded by the one hub GET (hubGet): the hub named by its address, as every sync problem.
  await expect(dialog.getByRole('alert')).toContainText(
    /Could not read the quality report\. The hub at 127\.0\.0\.1:\d+ does not answer\./,
  );
  // The failed read made the workbench check the hub: the status bar no longer says "Synced".
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'offline');
  await page.screenshot({ path: `${SHOTS}/quality-offline-dark.png` });

  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(open).toBeFocused();
});
