import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { MethodInput, MethodName } from '../../src/shared/contract';
import { startWebHost, type ServedHost } from '../../src/main/web-host/server';

const root = resolve(__dirname, '../..');
const SHOTS = process.env.METRICS_SHOTS ?? join(root, 'test-results/screenshots');
const DAY = 86_400_000;

/**
 * Issue 13's end-to-end check: a scripted annotator works with planned pauses on a controllable
 * core clock, and the dashboard shows exactly the active time the script planned, to the second.
 */
test.describe('throughput dashboard', () => {
  let host: ServedHost;
  let dataDir: string;
  let now = Date.UTC(2026, 11, 7, 9, 0, 0);
  test.beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'outrigger-metrics-'));
    host = await startWebHost({
      dataDir,
      resourcesDir: join(root, 'resources'),
      rendererDir: join(root, 'out/renderer'),
      clock: () => now,
    });
  });
  test.afterEach(async () => {
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = async <M extends MethodName>(
    page: Page,
    method: M,
    input: MethodInput<M>,
  ): Promise<unknown> => {
    const res = await page.request.post(`${host.baseUrl}/api/${method}`, {
      headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
      data: JSON.stringify(input),
    });
    const body = (await res.json()) as { ok: boolean; value?: unknown; error?: unknown };
    if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.value;
  };

  /** One pointer input, answered by the core, after `ms` on its clock. */
  const inputAfter = async (page: Page, ms: number, i: number): Promise<void> => {
    now += ms;
    // The renderer reports at most one input a second (its own clock).
    await page.waitForTimeout(1_050);
    const answered = page.waitForResponse((r) => r.url().includes('/api/activity.report'));
    await page.mouse.move(200 + (i % 7) * 10, 300 + (i % 5) * 10);
    await answered;
  };

  const shoot = async (page: Page, name: string): Promise<void> => {
    for (const theme of ['light', 'dark'] as const) {
      await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
      await page.waitForTimeout(150);
      await page.screenshot({ path: join(SHOTS, `${name}-${theme}.png`) });
    }
  };

  test('shows the planned active time to the second', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(host.url);
    await expect(page.getByTestId('status-bar')).toHaveAttribute('data-state', 'ready');
    await page.getByTestId('open-dashboard').click();
    await expect(page.getByTestId('dash-empty')).toBeVisible();
    await shoot(page, 'dashboard-empty');
    await page.keyboard.press('Escape');

    await page.getByTestId('start-labeling').click();
    await expect(page.getByTestId('task-screen')).toBeVisible();
    await page.waitForTimeout(300);
    let i = 0;
    // 10 inputs a second apart: 10 s.
    for (let k = 0; k < 10; k++) await inputAfter(page, 1_000, i++);
    // A 2 min pause (over the 60 s threshold): nothing, not even its first minute.
    await inputAfter(page, 120_000, i++);
    // Four inputs 2 s apart and one 1.5 s later: 9.5 s.
    for (let k = 0; k < 4; k++) await inputAfter(page, 2_000, i++);
    await inputAfter(page, 1_500, i++);
    // A 45 s pause (under the threshold): counts in full.
    await inputAfter(page, 45_000, i);
    const planned = 10_000 + 9_500 + 45_000; // 64.5 s → 0:01:04

    await expect(page.getByTestId('active-today')).toHaveText('1 min');
    await shoot(page, 'statusbar');
    await page.getByTestId('open-dashboard').click();
    const active = page.getByTestId('dash-active');
    await expect(active).toHaveText('0:01:04');
    const ms = Number(await active.getAttribute('data-ms'));
    expect(Math.floor(ms / 1000)).toBe(Math.floor(planned / 1000));
    // The core stamps signals itself: only the page's few milliseconds of batching remain.
    expect(Math.abs(ms - planned)).toBeLessThan(500);
  });

  test('one day and 30 days of work', async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: 1280, height: 860 });
    // The core's clock starts 29 days back (set back later, it would count nothing: by design).
    const start = now - 29 * DAY;
    now = start;
    await page.goto(host.url);
    await expect(page.getByTestId('status-bar')).toHaveAttribute('data-state', 'ready');
    // 30 days of work through the API (the renderer's own path, without the waits).
    const ids = ((await api(page, 'tasks.list', { limit: 50 })) as { items: { id: string }[] }).items.map(
      (t) => t.id,
    );
    let n = 0;
    for (let d = 0; d < 30; d++) {
      const perDay = d === 29 ? 6 : 2 + ((d * 7) % 5);
      for (let k = 0; k < perDay; k++) {
        now = start + d * DAY + k * 600_000;
        const taskId = ids[n++ % ids.length]!;
        const status = ((await api(page, 'tasks.open', { taskId })) as { status: string }).status;
        if (status === 'submitted' || status === 'skipped') await api(page, 'tasks.reopen', { taskId });
        await api(page, 'activity.report', {
          window: 'seed',
          signals: [
            { kind: 'focus', ago: 0 },
            { kind: 'task', taskId, ago: 0 },
          ],
        });
        const work = 20 + ((n * 13) % 50);
        for (let s = 0; s < work; s += 15) {
          now += 15_000;
          await api(page, 'activity.report', { window: 'seed', signals: [{ kind: 'input', ago: 0 }] });
        }
        if ((n * 5) % 11 === 0) await api(page, 'tasks.skip', { taskId });
        else await api(page, 'tasks.submit', { taskId, annotation: { results: [], activeMs: 0 } });
      }
    }
    await page.reload();
    await expect(page.getByTestId('status-bar')).toHaveAttribute('data-state', 'ready');
    await page.getByTestId('open-dashboard').click();
    await expect(page.getByTestId('dashboard')).toHaveAttribute('data-state', 'ready');
    await expect(page.getByTestId('dash-submitted')).not.toHaveText('0');
    await shoot(page, 'dashboard-one-day');
    await page.getByRole('tab', { name: '30 days' }).click();
    await expect(page.getByTestId('dash-submitted')).not.toHaveText('6');
    await page.waitForTimeout(300);
    await shoot(page, 'dashboard-30-days');
  });
});
