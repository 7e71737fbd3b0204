// Issue 16.3 in the browser: a finished image task reopens with its image after its lease ended
// (kept in the cache, or fetched again when its file is gone); where the project forbids it, the
// editor says so in words and still shows the annotation on a blank sheet of the image's size.
// Screenshots: test-results/screenshots/finished-images/ (or $SHOTS_DIR), light and dark.
import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import type { ServedHost } from '../../src/main/web-host/server';
import { hostApi, startDemoWebHost } from './fixtures/web-host';
import { saveThemedScreenshots } from './pages/screenshots';
import { WORKSPACE_DB_FILE } from '../../src/main/core/workbench';
import { activeWorkspaceFolder } from '../../src/main/core/workspaces/registry';
import { HUB_ASSET_DIR } from '../../src/main/core/sync/engine';
import { QueuePage } from './pages/queue-page';

const root = resolve(__dirname, '../..');
const SHOTS = process.env.SHOTS_DIR ?? join(root, 'test-results', 'screenshots', 'finished-images');

const shoot = (page: Page, name: string): Promise<void> => saveThemedScreenshots(page, SHOTS, name);

test('a finished image task reopens with its image; a project that forbids it says so', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'outrigger-e2e-finished-'));
  let host: ServedHost | null = null;
  try {
    host = await startDemoWebHost(dataDir);
    const value = hostApi(request, host);
    const folder = activeWorkspaceFolder(dataDir);

    // Three image tasks from the demo hub, each submitted with one box; then their leases end.
    const images = (await value('tasks.hubProjects', {})).projects.find((p) => p.kind === 'image')!;
    await value('tasks.getMore', { projectId: images.id, count: 3 });
    const db = new Database(join(folder, WORKSPACE_DB_FILE), { readonly: true });
    const projectId = db.prepare<[], { id: string }>("SELECT id FROM projects WHERE kind = 'image'").get()!
      .id;
    const done: { id: string; sha: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const view = (await value('tasks.claimNext', { projectId }))!;
      if (view.task.data.kind !== 'image') throw new Error('expected an image task');
      const { width, height } = view.task.data.image;
      const box = { x: width * 0.2, y: height * 0.25, w: width * 0.45, h: height * 0.4 };
      const sha = view.task.data.image.sha256;
      // As a person would, submit once the image is here: the lane fetches a finished task's image
      // again only when it is reopened, so a submit racing the download would leave none cached.
      await expect.poll(() => existsSync(join(folder, HUB_ASSET_DIR, sha))).toBe(true);
      await value('tasks.submit', {
        taskId: view.task.id,
        annotation: {
          results: [{ type: 'bbox', id: `b${i}`, label: 'person', ...box }],
          activeMs: 500,
        } as never,
      });
      done.push({ id: view.task.id, sha: view.task.data.image.sha256 });
    }
    await expect.poll(async () => (await value('sync.now', {})).unsynced, { timeout: 30_000 }).toBe(0);
    const leased = db.prepare<[string], { n: number }>(
      'SELECT count(*) AS n FROM tasks WHERE id = ? AND lease_expires_at IS NOT NULL',
    );
    for (const t of done) expect(leased.get(t.id)!.n).toBe(0);
    db.close();
    const file = (sha: string) => join(folder, HUB_ASSET_DIR, sha);
    for (const t of done) expect(existsSync(file(t.sha))).toBe(true);
    // The other two as if evicted by the budget, before the page can have read them (the task
    // screen decodes a neighbour's image ahead: the browser would show that copy).
    unlinkSync(file(done[1]!.sha));
    unlinkSync(file(done[2]!.sha));

    await page.goto(host.url);
    const queue = new QueuePage(page);
    await queue.waitReady();
    const editor = page.getByTestId('image-editor');
    const reopen = async (taskId: string) => {
      await page.goto(host!.url);
      await queue.waitReady();
      await queue.showOnly('submitted');
      await queue.row(taskId).click();
      await expect(page.getByTestId('task-screen')).toHaveAttribute('data-task-id', taskId);
    };

    // 1. Kept in the cache after the lease ended: it opens with its image.
    await reopen(done[0]!.id);
    await expect(editor).toHaveAttribute('data-state', 'ready');
    await shoot(page, 'finished-kept');

    // 2. Its file gone (evicted, deleted): reopening fetches it again from the hub.
    await reopen(done[1]!.id);
    await expect(editor).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
    expect(existsSync(file(done[1]!.sha))).toBe(true);
    await shoot(page, 'finished-refetched');

    // 3. The project forbids it (its client requires removal at lease end): words, not HTTP 404,
    // and the box on a blank sheet of the image's size.
    const hub = new Database(join(dataDir, 'demo-hub', 'hub.sqlite'));
    hub.pragma('busy_timeout = 5000');
    hub.prepare('UPDATE projects SET author_assets = 0 WHERE id = ?').run(images.id);
    hub.close();
    await reopen(done[2]!.id);
    await expect(editor).toHaveAttribute('data-state', 'forbidden', { timeout: 20_000 });
    await expect(page.getByTestId('image-forbidden')).toContainText(
      "This project's client requires images to be removed when the task is done",
    );
    await expect(editor).not.toContainText('HTTP 404');
    await expect(page.getByTestId('image-canvas')).toBeVisible();
    await shoot(page, 'finished-forbidden');
  } finally {
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
