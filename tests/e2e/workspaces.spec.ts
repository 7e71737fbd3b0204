// Issue 16.1: the embedded demo hub and a second hub built from the same demo folder (so every
// task id exists on both), one workbench signed in to both the way the README says (Sync
// settings → hub address and token). Each hub's tasks stay workable and each submission lands
// on the hub it belongs to; the demo hub runs only while its workspace is in use.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createHub, openStorage, seedDemoHub, type HubStorage } from '../../src/hub/index';
import type { ServedHost } from '../../src/main/web-host/server';
import { hostApi, startDemoWebHost } from './fixtures/web-host';
import { QueuePage } from './pages/queue-page';
import { SyncDialog } from './pages/sync-dialog';

const root = resolve(__dirname, '../..');
const SHOTS = process.env['OUTRIGGER_SHOTS'] ?? 'test-results/screenshots/workspaces';

const shot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
};

/** Serious and critical WCAG 2.2 AA findings inside the workspaces dialog, by rule id. */
const dialogFindings = async (page: Page): Promise<string[]> => {
  const r = await new AxeBuilder({ page })
    .include('[data-testid="workspaces-dialog"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
};

/** A second hub seeded from resources/demo: the same projects and task ids as the demo hub. */
const startSecondHub = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outrigger-e2e-hub2-'));
  const storage: HubStorage = await openStorage({ dataDir: dir });
  const seeded = await seedDemoHub(storage, dir, join(root, 'resources/demo'));
  const hub = await createHub({ storage, dataDir: dir });
  const url = await hub.listen({ port: 0 });
  return {
    url,
    token: seeded.users.annotator.token,
    storage,
    async close() {
      await hub.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** Whether something answers HTTP at `url` (the demo hub child process). */
const answers = async (url: string): Promise<boolean> => {
  try {
    return (await fetch(`${url}/v1/health`)).ok;
  } catch {
    return false;
  }
};

test('the README switch-hub path keeps both hubs’ tasks workable and every submission on its own hub', async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  expect(existsSync(join(root, 'out/renderer/index.html')), 'run `npx electron-vite build` first').toBe(true);
  const dataDir = mkdtempSync(join(tmpdir(), 'outrigger-e2e-workspaces-'));
  let host: ServedHost | null = null;
  const second = await startSecondHub();
  try {
    host = await startDemoWebHost(dataDir);
    const value = hostApi(request, host);

    // Signed in to the demo hub at start; a first batch of each demo project is leased.
    const start = await value('workspaces.list', {});
    const demo = start.workspaces.find((w) => w.active)!;
    expect(demo).toMatchObject({ demo: true, name: 'Demo hub' });
    const demoUrl = demo.hubUrl!;
    const demoIds = (await value('tasks.list', { limit: 500 })).items.map((t) => t.id).sort();
    expect(demoIds.length).toBeGreaterThan(10);

    await page.goto(host.url);
    const queue = new QueuePage(page);
    await queue.waitReady();
    await expect(page.getByTestId('hub-switcher')).toContainText('Demo hub');

    // One demo task labeled and submitted in the demo workspace, before the second hub exists.
    const demoTask = (await value('tasks.claimNext', {}))!.task.id;
    await value('tasks.submit', {
      taskId: demoTask,
      annotation: { results: [], activeMs: 0, dismissedSuggestions: ['mark-111'] },
    });
    await value('sync.now', {});

    // The README's path: Sync settings (Ctrl+,), the second hub's address and token, Sign in.
    await page.keyboard.press('Control+Comma');
    const sync = new SyncDialog(page);
    await sync.signInOk(second.url, second.token);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('hub-switcher')).toContainText(new URL(second.url).host);
    // The queue offers the new hub's first lease at once, none of it "Submitted".
    await expect(queue.rows.first()).toBeVisible();
    await queue.waitReady();
    const secondList = await value('tasks.list', { limit: 500 });
    expect(secondList.total).toBeGreaterThan(0);
    expect(secondList.items.every((t) => t.status === 'queued')).toBe(true);
    // Same ids as the demo hub's (built from the same folder), different state.
    expect(secondList.items.map((t) => t.id)).toContain(demoTask);

    // The demo hub stops while it is not the workspace in use.
    await expect.poll(() => answers(demoUrl), { timeout: 20_000 }).toBe(false);

    // Every task of the second hub is workable: each one submitted, each reaching that hub.
    for (const t of secondList.items) {
      await value('tasks.open', { taskId: t.id });
      await value('tasks.submit', {
        taskId: t.id,
        annotation: { results: [], activeMs: 0, dismissedSuggestions: ['mark-222'] },
      });
    }
    expect(await value('sync.now', {})).toMatchObject({ unsynced: 0, refused: 0 });
    for (const t of secondList.items) {
      const subs = await second.storage.submissions(t.id);
      expect(
        subs.map((s) => (s.annotation as { dismissedSuggestions?: string[] }).dismissedSuggestions?.[0]),
        t.id,
      ).toEqual(['mark-222']);
    }

    // Screenshots of the switcher, light and dark (a draft in the demo workspace shows later).
    await page.getByTestId('hub-switcher').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('workspaces-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('workspace-row')).toHaveCount(3);
    await shot(page, 'hub-switcher-light');
    expect(await dialogFindings(page), 'hub-switcher-light').toEqual([]);

    // Switch back to the demo hub by keyboard: its hub starts again and its state is its own.
    const demoRow = dialog.locator(`[data-workspace-id="${demo.id}"] [data-testid="workspace-switch"]`);
    await demoRow.focus();
    await page.keyboard.press('Enter');
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('hub-switcher')).toContainText('Demo hub');
    await expect.poll(() => answers(demoUrl), { timeout: 30_000 }).toBe(true);
    const demoList = await value('tasks.list', { limit: 500 });
    expect(demoList.items.map((t) => t.id).sort()).toEqual(demoIds);
    for (const t of demoList.items) expect(t.status, t.id).toBe(t.id === demoTask ? 'submitted' : 'queued');
    // Every remaining demo task is workable too, and each submission reaches the demo hub only.
    for (const t of demoList.items.filter((x) => x.id !== demoTask)) {
      await value('tasks.open', { taskId: t.id });
      await value('tasks.submit', {
        taskId: t.id,
        annotation: { results: [], activeMs: 0, dismissedSuggestions: ['mark-333'] },
      });
    }
    await expect.poll(async () => (await value('sync.now', {})).unsynced, { timeout: 30_000 }).toBe(0);
    const demoHubDb = join(dataDir, 'demo-hub', 'hub.sqlite');
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(demoHubDb, { readonly: true });
    try {
      const rows = db.prepare('SELECT task_id, annotation FROM submissions').all() as {
        task_id: string;
        annotation: string;
      }[];
      const byTask = new Map(
        rows.map((r) => [
          r.task_id,
          (JSON.parse(r.annotation) as { dismissedSuggestions?: string[] }).dismissedSuggestions?.[0],
        ]),
      );
      expect(byTask.get(demoTask)).toBe('mark-111');
      expect([...byTask.values()].filter((m) => m === 'mark-222')).toEqual([]);
      expect(rows).toHaveLength(demoList.items.length);
    } finally {
      db.close();
    }
    // …and the second hub still holds only its own.
    for (const t of secondList.items) expect(await second.storage.submissions(t.id)).toHaveLength(1);

    // Sign-out confirmation with work on no hub: a draft in the second hub's workspace.
    const secondId = (await value('workspaces.list', {})).workspaces.find(
      (w) => w.hubUrl === second.url.replace(/\/$/, ''),
    )!.id;
    await value('workspaces.switch', { workspaceId: secondId });
    await value('tasks.reopen', { taskId: secondList.items[0]!.id });
    await value('tasks.saveDraft', {
      taskId: secondList.items[0]!.id,
      annotation: { results: [], activeMs: 5 },
    });
    await expect(page.getByTestId('hub-switcher')).toHaveAttribute('data-workspace-id', secondId);
    await page.getByTestId('hub-switcher').click();
    await dialog.locator(`[data-workspace-id="${secondId}"] [data-testid="workspace-sign-out"]`).click();
    const confirm = dialog.getByTestId('sign-out-confirm');
    await expect(confirm).toHaveAttribute('data-lost', '1');
    await expect(confirm.getByTestId('sign-out-loss')).toContainText('1 item of your work is on no hub yet');
    await expect(confirm.getByTestId('sign-out-loss')).toContainText('submit the draft');
    await expect(confirm.getByTestId('sign-out-confirm-button')).toHaveText('Sign out and lose 1 item');
    // The safe choice has focus: Enter keeps the work.
    await expect(confirm.getByTestId('sign-out-cancel')).toBeFocused();
    await shot(page, 'sign-out-confirm-light');
    expect(await dialogFindings(page), 'sign-out-confirm-light').toEqual([]);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);

    // Dark theme: the same two views.
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('hub-switcher').click();
    await shot(page, 'hub-switcher-dark');
    expect(await dialogFindings(page), 'hub-switcher-dark').toEqual([]);
    await dialog.locator(`[data-workspace-id="${secondId}"] [data-testid="workspace-sign-out"]`).click();
    await shot(page, 'sign-out-confirm-dark');
    expect(await dialogFindings(page), 'sign-out-confirm-dark').toEqual([]);

    // Confirmed: the workspace and its folder go, the local... the demo hub remains listed.
    await confirm.getByTestId('sign-out-confirm-button').click();
    await expect(dialog).toHaveCount(0);
    const after = await value('workspaces.list', {});
    expect(after.workspaces.map((w) => w.id)).not.toContain(secondId);
    expect(existsSync(join(dataDir, 'workspaces', secondId))).toBe(false);
    expect(readFileSync(join(dataDir, 'workspaces.json'), 'utf8')).not.toContain(secondId);
  } finally {
    await host?.close();
    await second.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
