import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/app';
import { startTextHub, type TextHub } from './fixtures/text-hub';
import { QueuePage } from './pages/queue-page';
import { saveScreenshot } from './pages/screenshots';
import { StatusBar } from './pages/status-bar';
import { SyncDialog } from './pages/sync-dialog';
import { TaskPage } from './pages/task-page';

const dialog = (page: Page) => new SyncDialog(page).root;

test('local only: the status item, the settings dialog by keyboard and by click', async ({ page }) => {
  const bar = new StatusBar(page);
  const queue = new QueuePage(page);
  await queue.waitReady();
  await expect(bar.syncState).toHaveText('Local only');
  await expect(bar.syncState).toHaveAttribute('data-state', 'local');
  // Signed out, there is nothing to get from a hub.
  await expect(queue.root.getByTestId('get-more')).toHaveCount(0);
  await saveScreenshot(page, 'sync-statusbar-local-light');

  // Keyboard: Ctrl+, opens it with the address field focused; Esc closes it and nothing else.
  await page.keyboard.press('Control+Comma');
  await expect(dialog(page)).toBeVisible();
  await expect(dialog(page).getByLabel('Hub address')).toBeFocused();
  await expect(dialog(page)).toContainText('Work stays on this computer until you sign in to a hub.');
  await saveScreenshot(page, 'sync-settings-local-light');
  // Enter in the dialog must not reach the queue (it would start labeling).
  await page.keyboard.press('Enter');
  await expect(queue.root).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toHaveCount(0);
  await expect(queue.root).toBeVisible();

  // Click: the status item opens it; the Close button closes it.
  await bar.syncState.click();
  await expect(dialog(page)).toBeVisible();
  await dialog(page).getByRole('button', { name: /Close/ }).click();
  await expect(dialog(page)).toHaveCount(0);

  // The cheat sheet lists the shortcut.
  await page.keyboard.press('?');
  await expect(page.getByTestId('cheat-sheet')).toContainText('Sync settings');
  await page.keyboard.press('Escape');
});

test('dark theme: status item and settings dialog', async ({ page }) => {
  const bar = new StatusBar(page);
  await bar.themeToggle.click();
  await saveScreenshot(page, 'sync-statusbar-local-dark');
  await page.keyboard.press('Control+Comma');
  await expect(dialog(page)).toBeVisible();
  await saveScreenshot(page, 'sync-settings-local-dark');
});

test('signing in to a hub that is not there shows a clear error and stays local', async ({ page, app }) => {
  const bar = new StatusBar(page);
  await bar.syncState.click();
  // Port 9 (discard) on this machine: nothing listens, the connection is refused.
  const sync = new SyncDialog(page);
  await sync.signIn('http://127.0.0.1:9', 'not-a-real-token');
  const message = sync.message;
  await expect(message).toBeVisible();
  await expect(message).toHaveClass(/sync-error/);
  await expect(message).not.toHaveText('');
  await saveScreenshot(page, 'sync-settings-error-light');
  await expect(bar.syncState).toHaveText('Local only');
  expect((await app.value('sync.state', {})).status).toBe('signed-out');
  // The app still works: close, and the queue is there.
  await page.keyboard.press('Escape');
  await expect(new QueuePage(page).root).toHaveAttribute('data-state', 'ready');
});

test.describe('with a real hub', () => {
  let hub: TextHub;

  // The demo texts with 30-minute leases, so the lease flag shows at once.
  test.beforeEach(async () => {
    hub = await startTextHub({ projectId: 'short-leases', name: 'Short leases', leaseHours: 0.5 });
  });
  test.afterEach(async () => {
    await hub.close();
  });

  test('sign in, get more tasks, submit one and see it synced; release another', async ({ page, app }) => {
    const bar = new StatusBar(page);
    const queue = new QueuePage(page);
    const task = new TaskPage(page);
    await bar.syncState.click();
    await new SyncDialog(page).signInOk(hub.url, hub.token);
    await expect(bar.syncState).toHaveAttribute('data-state', 'online');
    await saveScreenshot(page, 'sync-settings-online-light');
    await page.keyboard.press('Escape');

    // Signing in opened the hub's own workspace and leased its first batch: the queue offers
    // the hub's tasks at once (the local demo stays in the local workspace). This hub has five,
    // all leased, so Get more says there is nothing more.
    const leased = (await app.value('tasks.list', { limit: 1000 })).items.filter(
      (t) => t.leaseExpiresAt !== null,
    );
    expect(leased.length).toBe(5);
    await expect(queue.root.getByTestId('left-count')).toHaveText(`${leased.length} to label`);
    await queue.root.getByTestId('get-more').click();
    await expect(page.getByText(/has no more tasks for you right now/)).toBeVisible();

    // Release one from its row, through the confirm step; it leaves the unfinished work.
    const [released, toSubmit, releasedInTask] = leased;
    if (!released || !toSubmit || !releasedInTask) throw new Error('the hub leased fewer than three tasks');
    await queue.root.getByLabel('Search tasks').fill(released.title);
    const row = queue.row(released.id);
    await expect(row.getByTestId('lease-expiry')).toHaveText(/^expires in (29|30|31) min$/);
    await row.hover();
    await saveScreenshot(page, 'sync-queue-online-light');
    await row.getByTestId('release-start').click();
    await expect(queue.root).toBeVisible(); // the click did not open the task
    await row.getByTestId('release-confirm').click();
    await expect(page.getByText('Task released: the hub can give it to someone else')).toBeVisible();
    await expect(row).toHaveCount(0); // it left the local queue
    await expect(queue.root.getByTestId('left-count')).toHaveText(`${leased.length - 1} to label`);
    await expect(bar.syncState).toHaveAttribute('data-unsynced', '0');

    // Open a leased task: its header has the Release action; submit it, and it reaches the hub.
    await queue.root.getByLabel('Search tasks').fill(toSubmit.title);
    await queue.open(toSubmit.id, task);
    await expect(task.root.getByTestId('lease-expiry')).toHaveText(/^expires in (29|30|31) min$/);
    await saveScreenshot(page, 'sync-task-header-light');
    // The dialog over a task: Esc closes it and does not skip the task.
    await page.keyboard.press('Control+Comma');
    await expect(dialog(page)).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog(page)).toHaveCount(0);
    await expect(task.root).toHaveAttribute('data-task-id', toSubmit.id);
    await expect(task.root).not.toHaveAttribute('data-status', 'skipped');
    await expect(task.root.getByTestId('release-start')).toBeVisible();
    // An unlabeled submit is valid on a second, deliberate press: this checks the sync, not the editor.
    await task.root.getByTestId('submit').click();
    await expect(page.getByText(/Nothing is labeled on this task/)).toBeVisible();
    await task.root.getByTestId('submit').click();
    await expect
      .poll(async () => (await app.value('tasks.open', { taskId: toSubmit.id })).status)
      .toBe('submitted');
    await expect(bar.syncState).toHaveAttribute('data-state', 'online');
    await expect(bar.syncState).toHaveAttribute('data-unsynced', '0');
    await expect.poll(async () => (await hub.storage.submissions(toSubmit.id)).length).toBe(1);

    // Release from the task header: confirm, and the queue comes back without it.
    // Submit opened the next task (the local demo has plenty); back to the queue from it.
    await expect(task.root).not.toHaveAttribute('data-task-id', toSubmit.id);
    await task.root.getByRole('button', { name: '← Queue' }).click();
    await queue.root.getByLabel('Search tasks').fill(releasedInTask.title);
    await queue.open(releasedInTask.id, task);
    await task.root.getByTestId('release-start').click();
    await task.root.getByTestId('release-confirm').click();
    await queue.waitReady();
    await expect(queue.row(releasedInTask.id)).toHaveCount(0);
    await expect(bar.syncState).toHaveAttribute('data-unsynced', '0');
    expect((await app.call('tasks.open', { taskId: releasedInTask.id })).ok).toBe(false);
  });
});
