import { resolve, join } from 'node:path';
import type { Page } from '@playwright/test';
import { startWebHost, type ServedHost } from '../../src/main/web-host/server';
import { expect, test } from './fixtures/app';
import { StatusBar } from './pages/status-bar';
import { SyncDialog } from './pages/sync-dialog';

// Issue 16.5: errors in words a person understands, the technical line one click away; a web
// tab whose session ended shows one page saying how to reopen it.
const SHOTS = process.env.SHOTS_DIR ?? 'test-results/screenshots';
const shoot = async (page: Page, name: string) => {
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
    await page.screenshot({ path: join(SHOTS, `${name}-${theme}.png`) });
  }
};

test('a hub that does not answer is said in words, with the technical detail one click away', async ({
  page,
}) => {
  await new StatusBar(page).syncState.click();
  const sync = new SyncDialog(page);
  // Port 9 (discard): nothing listens here, the connection is refused.
  await sync.signIn('http://127.0.0.1:9', 'not-a-real-token');
  await expect(sync.message).toContainText(
    'Could not sign in. The hub at 127.0.0.1:9 does not answer. Check the address and that the hub is running',
  );
  await expect(sync.message).not.toContainText('ECONNREFUSED');
  await sync.message.getByTestId('problem-details-toggle').click();
  await expect(sync.message.getByTestId('problem-detail')).toContainText('connect ECONNREFUSED 127.0.0.1:9');
  await shoot(page, 'error-in-words-details');
});

test('a tab whose host restarted with a new key shows one page saying how to reopen it', async ({
  page,
  app,
}) => {
  const port = Number(new URL(app.baseUrl).port);
  await app.stop();
  const root = resolve(__dirname, '../..');
  const other: ServedHost = await startWebHost({
    dataDir: app.dataDir,
    resourcesDir: join(root, 'resources'),
    rendererDir: join(root, 'out/renderer'),
    port,
    token: 'a-new-session-token',
  });
  try {
    // The tab still holds the old key (sessionStorage): every call is refused.
    await page.reload();
    const ended = page.getByTestId('session-ended');
    await expect(ended).toBeVisible();
    await expect(ended).toContainText('This tab is no longer connected to the workbench');
    await expect(ended).toContainText('npm run start:web');
    await expect(page.getByTestId('toast')).toHaveCount(0);
    await expect(page.getByTestId('queue-screen')).toHaveCount(0);
    await ended.getByTestId('problem-details-toggle').click();
    await expect(ended.getByTestId('problem-detail')).toContainText('HTTP 401');
    await shoot(page, 'session-ended');
  } finally {
    await other.close();
  }
});
