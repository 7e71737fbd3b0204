// Issue 16.2 and 16.4 in the browser: a submission the hub refused is shown as refused in the
// queue, the task header, the status bar and the sync dialog (never "Submitted"/"Synced"), and
// Enter on an empty or incomplete task does not submit. Screenshots: test-results/screenshots/states/
// (or $SHOTS_DIR), light and dark.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import type { ServedHost } from '../../src/main/web-host/server';
import { hostApi, startDemoWebHost } from './fixtures/web-host';
import { saveThemedScreenshots } from './pages/screenshots';
import { WORKSPACE_DB_FILE } from '../../src/main/core/workbench';
import { activeWorkspaceFolder } from '../../src/main/core/workspaces/registry';
import { QueuePage } from './pages/queue-page';
import { StatusBar } from './pages/status-bar';

const root = resolve(__dirname, '../..');
const SHOTS = process.env.SHOTS_DIR ?? join(root, 'test-results', 'screenshots', 'states');

const shoot = (page: Page, name: string): Promise<void> => saveThemedScreenshots(page, SHOTS, name);

test('a refused submission is refused everywhere; Enter on an empty or incomplete task does not submit', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'outrigger-e2e-states-'));
  let host: ServedHost | null = null;
  try {
    host = await startDemoWebHost(dataDir);
    const value = hostApi(request, host);
    const db = new Database(join(activeWorkspaceFolder(dataDir), WORKSPACE_DB_FILE));
    db.pragma('busy_timeout = 5000');

    // One delivered submission, one the hub refuses (it never leased this epoch: NO_LEASE).
    const first = (await value('tasks.claimNext', {}))!;
    await value('tasks.submit', { taskId: first.task.id, annotation: { results: [] } });
    const refused = (await value('tasks.claimNext', {}))!;
    db.prepare('UPDATE tasks SET hub_lease_epoch = 999 WHERE id = ?').run(refused.task.id);
    await value('tasks.submit', { taskId: refused.task.id, annotation: { results: [] } });
    await value('sync.now', {});
    await expect.poll(async () => (await value('sync.state', {})).refused).toBe(1);

    await page.goto(host.url);
    const queue = new QueuePage(page);
    const bar = new StatusBar(page);
    await queue.waitReady();
    const row = (id: string) => page.locator(`[data-testid="task-row"][data-task-id="${id}"]`);
    await expect(row(refused.task.id).getByTestId('delivery-state')).toHaveAttribute('data-state', 'refused');
    await expect(row(refused.task.id).getByTestId('delivery-state')).toContainText('Refused by the hub');
    await expect(row(first.task.id).getByTestId('delivery-state')).toHaveAttribute('data-state', 'delivered');
    // Not a green "Submitted": the row's status says refused.
    await expect(row(refused.task.id).locator('.status')).toHaveText('Refused');
    // The status bar never says "Synced" while work is refused.
    await expect(bar.syncState).toHaveAttribute('data-refused', '1');
    await expect(bar.syncState).toContainText('1 refused');
    await expect(bar.syncState).not.toContainText('Synced');
    await shoot(page, 'queue-refused');

    // The task header says the same.
    await row(refused.task.id).click();
    const screen = page.getByTestId('task-screen');
    await expect(screen).toHaveAttribute('data-task-id', refused.task.id);
    await expect(screen.getByTestId('delivery-state')).toHaveAttribute('data-state', 'refused');
    await expect(screen.getByTestId('task-status')).toHaveCount(0);
    await shoot(page, 'task-header-refused');

    // The sync dialog: the reason in words and the three actions.
    await bar.syncState.click();
    const item = page.getByTestId('sync-conflict').filter({ hasText: refused.task.id.split(':').pop()! });
    await expect(page.getByTestId('sync-conflict').first()).toHaveAttribute('data-state', 'refused');
    await expect(page.getByTestId('sync-conflict-list')).toContainText('You no longer held this task');
    await expect(page.getByRole('button', { name: 'Resubmit under a new lease' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Export to a file' })).toBeVisible();
    await shoot(page, 'sync-dialog-refused');
    // Export hands the work to the browser as a file.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export to a file' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.submission\.json$/);
    // Discard (confirmed) closes the refusal: the status bar may say "Synced" again.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Discard' }).click();
    await expect(bar.syncState).toHaveAttribute('data-refused', '0');
    await expect(page.getByTestId('sync-conflict')).toHaveCount(0);
    void item;
    await page.keyboard.press('Escape');

    // Enter on an empty task: a notice, not a submission; Enter again within seconds submits.
    await page.getByRole('button', { name: '← Queue' }).click();
    await queue.waitReady();
    const next = (await value('tasks.claimNext', {}))!;
    await row(next.task.id).click();
    await expect(screen).toHaveAttribute('data-task-id', next.task.id);
    await page.locator('body').press('Enter');
    await expect(page.getByTestId('submit-notice')).toHaveAttribute('data-kind', 'empty');
    await expect(page.getByTestId('submit-notice')).toContainText('Press Enter again');
    await expect(screen).toHaveAttribute('data-status', 'in_progress');
    expect((await value('tasks.open', { taskId: next.task.id })).status).toBe('in_progress');
    await shoot(page, 'task-empty-notice');
    await page.locator('body').press('Enter');
    await expect
      .poll(async () => (await value('tasks.open', { taskId: next.task.id })).status)
      .toBe('submitted');

    // A config that asks for a region: Enter says what is missing and submits nothing, twice.
    db.prepare("UPDATE projects SET label_config = json_set(label_config, '$.minRegions', 1)").run();
    await page.getByRole('button', { name: '← Queue' }).click();
    await queue.waitReady();
    const incomplete = (await value('tasks.claimNext', {}))!;
    await row(incomplete.task.id).click();
    await expect(screen).toHaveAttribute('data-task-id', incomplete.task.id);
    await page.locator('body').press('Enter');
    await expect(page.getByTestId('submit-notice')).toHaveAttribute('data-kind', 'incomplete');
    await expect(page.getByTestId('submit-notice')).toContainText('Missing: at least 1 region');
    await page.locator('body').press('Enter');
    await expect(page.getByTestId('submit-notice')).toHaveAttribute('data-kind', 'incomplete');
    expect((await value('tasks.open', { taskId: incomplete.task.id })).status).toBe('in_progress');
    await shoot(page, 'task-incomplete-notice');
    db.close();
  } finally {
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
