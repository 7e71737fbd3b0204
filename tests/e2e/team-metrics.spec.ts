/**
 * The lead's team view and the annotator's acceptance against a real hub (issue 13.5–13.6):
 * the figures worked out by hand in fixtures/team-hub.ts, sorting, filtering, per-annotator
 * chart, the CSV download, both themes with axe, and the hub gone (words, no figures).
 */
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/app';
import { startTeamHub, type TeamHub } from './fixtures/team-hub';
import { QueuePage } from './pages/queue-page';
import { StatusBar } from './pages/status-bar';
import { SyncDialog } from './pages/sync-dialog';

const SHOTS = process.env.SHOTS_DIR ?? 'test-results/screenshots/team-metrics';
test.use({ timezoneId: 'UTC' });

let hub: TeamHub;
test.beforeEach(async () => {
  hub = await startTeamHub();
  mkdirSync(SHOTS, { recursive: true });
});
test.afterEach(async () => {
  await hub.close();
});

const signIn = async (page: Page, token: string) => {
  await new QueuePage(page).waitReady();
  await new StatusBar(page).syncState.click();
  await new SyncDialog(page).signInOk(hub.url, token);
  await page.keyboard.press('Escape');
};

const axeAndShoot = async (page: Page, name: string) => {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const r = await new AxeBuilder({ page })
      .include('[data-testid="dashboard"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/${name}-${theme}.png`, fullPage: true });
  }
};

test('a lead reads the team table, sorts, filters, charts one annotator and downloads CSV', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page, hub.tokens.lee);
  await page.getByTestId('open-dashboard').click();
  const dash = page.getByTestId('dashboard');
  await dash.getByTestId('view-team').click();
  const team = dash.getByTestId('team-view');
  await expect(team).toHaveAttribute('data-state', 'ready');
  await expect(team.getByTestId('team-fetched')).toContainText('From the hub, fetched');

  const rows = team.getByTestId('team-row');
  await expect(rows).toHaveCount(2);
  // By hand (fixtures/team-hub.ts): ann 3 tasks, 300 s, 36/h, median 90 s, 1 of 2 accepted,
  // 1 of 2 sent back; bob 2 tasks, 90 s, 80/h, median 45 s, nothing reviewed.
  await expect(rows.nth(0).locator('th, td')).toHaveText([
    'ann',
    '3',
    '0.08',
    '36.0',
    '90.0',
    '50.0 %',
    '50.0 %',
    '—',
    '—',
    '0',
  ]);
  await expect(rows.nth(1).locator('th, td')).toHaveText([
    'bob',
    '2',
    '0.03',
    '80.0',
    '45.0',
    '—',
    '—',
    '—',
    '—',
    '1',
  ]);

  // Sorted by pace (descending first), then filtered by name.
  await team.getByRole('button', { name: 'Tasks / h' }).click();
  await expect(team.getByTestId('team-table').locator('th[aria-sort="descending"]')).toHaveText(/Tasks \/ h/);
  await expect(rows.locator('th')).toHaveText(['bob', 'ann']);
  await team.getByTestId('team-filter').fill('AN');
  await expect(rows.locator('th')).toHaveText(['ann']);
  await team.getByTestId('team-filter').fill('');

  // Results per label, the team's (most first), then sorted by name.
  const labels = team.getByTestId('team-labels');
  const labelRows = labels.getByTestId('team-label-row');
  await expect(labels.getByRole('heading')).toHaveText('Results per label: team');
  await expect(labelRows.nth(0).locator('th, td')).toHaveText(['car', '7', '58.3 %']);
  await expect(labelRows.locator('th')).toHaveText(['car', 'person', 'bicycle']);
  await labels.getByRole('button', { name: 'Label' }).click();
  await expect(labelRows.locator('th')).toHaveText(['bicycle', 'car', 'person']);

  // One annotator's days: a chart appears for ann, and her counts beside the team's.
  await rows.locator('th', { hasText: 'ann' }).getByRole('button').click();
  await expect(team.getByTestId('member-chart').locator('canvas')).toHaveCount(1);
  await expect(team.getByTestId('team-chart').locator('canvas')).toHaveCount(1);
  await expect(labels.getByRole('heading')).toHaveText('Results per label: team and ann');
  await expect(labelRows.nth(0).locator('th, td')).toHaveText(['bicycle', '1', '8.3 %', '0', '0.0 %']);
  await labels.getByRole('button', { name: 'ann', exact: true }).click();
  await expect(labelRows.locator('th')).toHaveText(['person', 'car', 'bicycle']);
  await expect(labelRows.nth(0).locator('th, td')).toHaveText(['person', '4', '33.3 %', '4', '57.1 %']);

  // The table as CSV, the same file the hub CLI writes.
  const [download] = await Promise.all([page.waitForEvent('download'), team.getByTestId('team-csv').click()]);
  const csv = readFileSync((await download.path())!, 'utf8').split('\r\n');
  expect(csv[0]).toContain('annotator,user_id,tasks,skipped,active_hours');
  expect(csv[0]).toMatch(/,flags,label:bicycle,label:car,label:person$/);
  expect(csv).toContain('ann,ann,3,1,0.0833,36,90,114,0.25,0.5,0.5,0,,0,,0,0,3,4');
  const [rowsFile] = await Promise.all([
    page.waitForEvent('download'),
    team.getByTestId('team-rows-csv').click(),
  ]);
  const payroll = readFileSync((await rowsFile.path())!, 'utf8')
    .trim()
    .split('\r\n');
  expect(payroll).toHaveLength(1 + 6);
  expect(download.suggestedFilename()).toMatch(/^p1-.*-team\.csv$/);

  // bob's flag, opened from the count by keyboard: when, what failed in words, the task, details.
  await team.getByRole('button', { name: '1 activity flag of bob: show' }).focus();
  await page.keyboard.press('Enter');
  const flags = team.getByTestId('team-flags');
  await expect(flags).toHaveAttribute('data-state', 'ready');
  await expect(flags.getByRole('heading', { name: 'Activity flags: bob' })).toBeFocused();
  await expect(flags.getByTestId('team-flags-fetched')).toContainText('from the hub, fetched');
  const flag = flags.getByTestId('team-flag');
  await expect(flag).toHaveCount(1);
  await expect(flag.locator('td').nth(0)).toContainText(hub.day.slice(0, 4));
  await expect(flag.locator('td').nth(1)).toHaveText('Active time over wall time');
  await expect(flag.locator('td').nth(2)).toHaveText('text 5');
  await expect(flag.locator('td').nth(3)).toHaveText('active 45 s exceeds wall 30 s');
  await flags.getByRole('button', { name: "Show everyone's" }).click();
  await expect(flags.getByRole('heading', { name: 'Activity flags: everyone' })).toBeVisible();
  await expect(flags.getByTestId('team-flag').locator('td').nth(1)).toHaveText('bob');

  await axeAndShoot(page, 'lead-team');

  // The flags follow the table's date range: bob's was raised yesterday, none today.
  const today = new Date().toISOString().slice(0, 10);
  await team.getByTestId('team-from').fill(today);
  await expect(flags.getByTestId('team-flags-empty')).toHaveText(
    `No activity in this project failed the hub's checks on ${today}.`,
  );
  await expect(team.getByTestId('team-labels-empty')).toBeVisible();
  await team.getByTestId('team-from').fill(hub.day);
  await expect(flags.getByTestId('team-flag')).toHaveCount(1);
  await expect(flags.getByTestId('team-flags-fetched')).toContainText(`Raised from ${hub.day} to ${today}`);

  // The hub gone: words, and no figures shown as current.
  await hub.close();
  await flags.getByRole('button', { name: 'Refresh flags' }).click();
  await expect(flags.getByTestId('team-flags-error')).toContainText('hub');
  await expect(flags.getByTestId('team-flag')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/lead-flags-offline-dark.png`, fullPage: true });
  await team.getByRole('button', { name: 'Refresh', exact: true }).click();
  await expect(team.getByTestId('team-error')).toContainText('hub');
  await expect(team.getByTestId('team-table')).toHaveCount(0);
  await expect(team.getByTestId('team-flags')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/lead-team-offline-dark.png` });
});

test("an annotator's dashboard shows the hub's acceptance and rework of their work", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, hub.tokens.ann);
  await page.getByTestId('open-dashboard').click();
  const dash = page.getByTestId('dashboard');
  await expect(dash.getByTestId('view-team')).toHaveCount(0);
  await dash.getByRole('tab', { name: '7 days' }).click();
  await expect(dash.getByTestId('dash-acceptance')).toHaveText('50 %');
  await expect(dash.getByTestId('dash-rework')).toHaveText('50 %');
  await expect(dash.getByTestId('dash-review-source')).toContainText("from the hub's reviews");
  await axeAndShoot(page, 'annotator-acceptance');
});
