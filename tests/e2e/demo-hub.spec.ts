// `npm start` with no hub: the web host runs the embedded demo hub (the hub CLI as a child
// process) and comes up signed in as demo-annotator. Its own host, not the shared fixture (which
// keeps the local seeded demo).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import type { ServedHost } from '../../src/main/web-host/server';
import { hostApi, startDemoWebHost } from './fixtures/web-host';
import { QueuePage } from './pages/queue-page';
import { saveScreenshot } from './pages/screenshots';
import { StatusBar } from './pages/status-bar';

const root = resolve(__dirname, '../..');

test('comes up signed in to the demo hub with its tasks; a submit syncs', async ({ page, request }) => {
  test.setTimeout(120_000);
  expect(existsSync(join(root, 'out/renderer/index.html')), 'run `npx electron-vite build` first').toBe(true);
  const dataDir = mkdtempSync(join(tmpdir(), 'outrigger-e2e-demo-hub-'));
  let host: ServedHost | null = null;
  try {
    host = await startDemoWebHost(dataDir);
    const value = hostApi(request, host);

    const state = await value('sync.state', {});
    expect(state).toMatchObject({ userName: 'demo-annotator', unsynced: 0 });
    expect(['online', 'syncing']).toContain(state.status); // the background loop may be mid-cycle
    expect(state.hubUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    await page.goto(host.url);
    const queue = new QueuePage(page);
    const bar = new StatusBar(page);
    await queue.waitReady();
    // Every task shown was leased from the hub (no local seed with a hub demo).
    const ids = await queue.visibleTaskIds();
    expect(ids.length).toBeGreaterThan(0);
    const listed = await value('tasks.list', {});
    expect(listed.total).toBe(ids.length);
    await expect(bar.syncState).toHaveAttribute('data-state', 'online');

    const view = await value('tasks.claimNext', {});
    expect(view).not.toBeNull();
    await value('tasks.submit', { taskId: view!.task.id, annotation: { results: [] } });
    await value('sync.now', {});
    await expect(bar.syncState).toHaveAttribute('data-unsynced', '0');
    await expect(bar.syncState).toHaveAttribute('data-state', 'online');
    expect(await value('sync.state', {})).toMatchObject({ unsynced: 0, lastError: null, conflicts: [] });
    await saveScreenshot(page, 'demo-hub-signed-in');
  } finally {
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
