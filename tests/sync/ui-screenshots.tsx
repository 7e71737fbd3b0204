/**
 * Renders the sync UI (status item in every state, the settings panel signed out, signed in with
 * a conflict, offline with an error) to static HTML with the app's CSS, in light and dark, and
 * screenshots it with Debian's Chromium. Run: npx tsx --tsconfig tsconfig.web.json tests/sync/ui-screenshots.tsx
 * Writes test-results/sync/sync-ui-{light,dark}.png (or into $SHOTS_DIR).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { chromium } from '@playwright/test';
import type { SyncState } from '../../src/shared/contract';
import { SyncStatusView } from '../../src/renderer/src/features/sync/SyncStatus';
import { SyncSettingsView, type SyncActions } from '../../src/renderer/src/features/sync/SyncSettings';
import { LeaseExpiry } from '../../src/renderer/src/features/sync/LeaseExpiry';
import { DeliveryPill } from '../../src/renderer/src/features/sync/DeliveryPill';
import type { DeliveryRecord, TaskStatus } from '../../src/shared/model';

const ROOT = path.resolve(__dirname, '../..');
const OUT = process.env.SHOTS_DIR ?? path.join(ROOT, 'test-results', 'sync');
const now = Date.UTC(2026, 10, 28, 12, 0);
const base: SyncState = {
  status: 'online',
  hubUrl: 'https://hub.acme-labels.com',
  userName: 'Nguyễn Thị Lan',
  unsynced: 0,
  lastSyncAt: now - 2 * 60_000,
  lastError: null,
  problem: null,
  nextRetryAt: null,
  conflicts: [],
  refused: 0,
  tokenWarning: null,
};
const states: SyncState[] = [
  { ...base, status: 'signed-out', hubUrl: null, userName: null, lastSyncAt: null },
  base,
  { ...base, status: 'syncing', unsynced: 37 },
  {
    ...base,
    status: 'offline',
    unsynced: 412,
    lastSyncAt: now - 3 * 3_600_000,
    lastError: 'POST /v1/push: connect ECONNREFUSED 10.0.0.5:6110',
    problem: 'hub-unreachable',
  },
  {
    ...base,
    status: 'error',
    unsynced: 5,
    lastError: 'the hub did not accept the token (UNAUTHORIZED: unknown or revoked token)',
    problem: 'token-refused',
  },
  {
    ...base,
    conflicts: [
      {
        mutationId: 'm1',
        taskId: 'img:coffee.png',
        title: 'coffee.png',
        kind: 'conflict',
        mutationKind: 'submit',
        reason: null,
        at: now - 20 * 60_000,
      },
      {
        mutationId: 'm2',
        taskId: 'img:harbour.png',
        title: 'harbour.png',
        kind: 'rejected',
        mutationKind: 'submit',
        reason: 'NOT_FOUND',
        at: now - 5 * 60_000,
      },
      {
        mutationId: 'm3',
        taskId: 'img:market.png',
        title: 'market.png',
        kind: 'rejected',
        mutationKind: 'skip',
        reason: 'STALE_LEASE',
        at: now - 60_000,
      },
    ],
    refused: 2,
  },
];
const record = (over: Partial<DeliveryRecord>): DeliveryRecord => ({
  fromHub: true,
  waiting: null,
  answer: null,
  ...over,
});
const answer = (kind: 'conflict' | 'rejected', resolution: 'discarded' | null = null) => ({
  mutationId: 'x',
  kind,
  mutationKind: 'submit' as const,
  reason: kind === 'rejected' ? 'NOT_FOUND' : null,
  at: now,
  resolution,
});
const pills: [DeliveryRecord, TaskStatus][] = [
  [record({ waiting: 'submit' }), 'submitted'],
  [record({}), 'submitted'],
  [record({ answer: answer('conflict') }), 'submitted'],
  [record({ answer: answer('rejected') }), 'submitted'],
  [record({ answer: answer('rejected', 'discarded') }), 'submitted'],
  [record({ fromHub: false }), 'submitted'],
];
const noop: SyncActions = {
  signIn: async () => null,
  signOut: async () => {},
  syncNow: async () => {},
  getMore: async () => null,
  resubmit: async () => null,
  exportWork: async () => null,
  discard: async () => null,
};

const css = [
  'src/renderer/src/styles/theme.css',
  'src/renderer/src/styles/app.css',
  'src/renderer/src/features/sync/sync.css',
]
  .map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8'))
  .join('\n');

const body = renderToStaticMarkup(
  h(
    'div',
    { style: { display: 'flex', flexDirection: 'column', gap: '16px', padding: '16px' } },
    ...states.map((s, i) =>
      h(
        'footer',
        { key: i, className: 'statusbar' },
        h(SyncStatusView, { state: s, now }),
        h('span', { className: 'statusbar-spacer' }),
      ),
    ),
    h(
      'div',
      { style: { display: 'flex', gap: '8px' } },
      ...pills.map(([r, st], i) => h(DeliveryPill, { key: `p${i}`, record: r, status: st })),
    ),
    h(
      'div',
      { style: { display: 'flex', gap: '8px' } },
      h(LeaseExpiry, { expiresAt: now + 3 * 3_600_000, now }),
      h(LeaseExpiry, { expiresAt: now - 1, now }),
    ),
    h(
      'div',
      { style: { display: 'flex', gap: '16px', alignItems: 'flex-start' } },
      h(SyncSettingsView, { state: states[0]!, now, actions: noop }),
      h(SyncSettingsView, {
        state: {
          ...states[5]!,
          tokenWarning:
            'The hub token is stored unencrypted in ~/.config/outrigger/hub-token (no OS keyring in this mode).',
        },
        now,
        actions: noop,
        onClose: () => {},
      }),
      h(SyncSettingsView, { state: states[3]!, now, actions: noop }),
    ),
  ),
);

const main = async () => {
  fs.mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1800, height: 1000 } });
  for (const theme of ['light', 'dark']) {
    await page.setContent(
      `<!doctype html><html data-theme="${theme}"><head><style>${css}</style></head><body style="margin:0;background:var(--bg);font-family:var(--font)">${body}</body></html>`,
    );
    const file = path.join(OUT, `sync-ui-${theme}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
  }
  await browser.close();
};
void main();
