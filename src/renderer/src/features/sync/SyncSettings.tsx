import { useState, type FormEvent } from 'react';
import type { SyncConflict, SyncState } from '../../../../shared/contract';
import { describeDelivery, type DeliveryRecord } from '../../../../shared/model';
import { useConnection } from '../../hooks/api-context';
import { formatAgo } from '../status-bar/format';
import { describeSync } from './sync-format';
import { useNow, useSyncState } from './use-sync-state';

export type SyncActions = {
  signIn(hubUrl: string, token: string): Promise<string | null>;
  signOut(): Promise<void>;
  syncNow(): Promise<void>;
  getMore(count: number): Promise<string | null>;
  /** Refused work (issue 16.2): each answers an error message or null. */
  resubmit(taskId: string): Promise<string | null>;
  exportWork(taskId: string): Promise<string | null>;
  discard(taskId: string): Promise<string | null>;
};

/** A dialog row as the delivery record it is (one answer, nothing waiting). */
const conflictRecord = (c: SyncConflict): DeliveryRecord => ({
  fromHub: true,
  waiting: null,
  answer: {
    mutationId: c.mutationId,
    kind: c.kind,
    mutationKind: c.mutationKind,
    reason: c.reason,
    at: c.at,
    resolution: null,
  },
});

/** Hands a file to the browser's (or Electron's) download. */
const saveFile = (fileName: string, text: string): void => {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

/** Presentational: the settings panel for one state; actions answer an error message or null. */
export function SyncSettingsView({
  state,
  now,
  actions,
  onClose,
}: {
  state: SyncState;
  now: number;
  actions: SyncActions;
  onClose?: () => void;
}) {
  const [hubUrl, setHubUrl] = useState(state.hubUrl ?? '');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const d = describeSync(state, now);
  const signedIn = state.status !== 'signed-out';

  const run = async (fn: () => Promise<string | null | void>, ok: string) => {
    setBusy(true);
    setMessage(null);
    const error = await fn();
    setBusy(false);
    setMessage(error ? { text: error, error: true } : { text: ok, error: false });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const err = await actions.signIn(hubUrl.trim(), token.trim());
      if (!err) setToken('');
      return err;
    }, 'Signed in.');
  };

  return (
    <section className="sync-settings" data-testid="sync-settings" aria-label="Sync settings">
      <header className="sync-settings-head">
        <h2>Sync</h2>
        {onClose && (
          <button type="button" className="button ghost" onClick={onClose} aria-label="Close sync settings">
            Close <kbd>Esc</kbd>
          </button>
        )}
      </header>

      <div className={`sync-summary sync-${d.tone}`}>
        <span className="dot sync-dot" aria-hidden="true" />
        <div>
          <strong>{d.label}</strong>
          <div className="muted">
            {signedIn
              ? `${state.userName ?? ''} on ${state.hubUrl ?? ''}`
              : 'Work stays on this computer until you sign in to a hub.'}
          </div>
          <div className="muted">
            {state.lastSyncAt ? `Last good sync ${formatAgo(state.lastSyncAt, now)}` : 'Not synced yet'}
            {state.unsynced > 0 ? ` · ${state.unsynced} waiting to be sent` : ''}
          </div>
          {state.lastError && state.status !== 'online' && (
            <div className="sync-error">{state.lastError}</div>
          )}
        </div>
      </div>

      {state.tokenWarning && signedIn && (
        <p className="sync-warning" role="note">
          {state.tokenWarning}
        </p>
      )}

      {state.conflicts.length > 0 && (
        <div className="sync-conflicts" data-testid="sync-conflict-list">
          <h3>Needs your attention</h3>
          <ul>
            {state.conflicts.map((c) => {
              const d = describeDelivery(
                conflictRecord(c),
                c.mutationKind === 'submit' ? 'submitted' : 'skipped',
              );
              return (
                <li
                  key={c.mutationId}
                  className="sync-refusal"
                  data-testid="sync-conflict"
                  data-state={d.state}
                >
                  <div>
                    <span className={`pill delivery delivery-${d.tone}`}>{d.label}</span>{' '}
                    <span className="sync-conflict-title">{c.title}</span>{' '}
                    <span className="muted">{formatAgo(c.at, now)}</span>
                  </div>
                  <p className="muted">{d.detail}</p>
                  {d.state === 'refused' && (
                    <div className="sync-refusal-actions">
                      {c.mutationKind === 'submit' && (
                        <>
                          <button
                            type="button"
                            className="button primary"
                            disabled={busy}
                            onClick={() =>
                              void run(
                                () => actions.resubmit(c.taskId),
                                'Sent again under your current lease.',
                              )
                            }
                          >
                            Resubmit under a new lease
                          </button>
                          <button
                            type="button"
                            className="button"
                            disabled={busy}
                            onClick={() => void run(() => actions.exportWork(c.taskId), 'Saved to a file.')}
                          >
                            Export to a file
                          </button>
                        </>
                      )}
                      <button
                        type="button"
                        className="button ghost"
                        disabled={busy}
                        onClick={() => {
                          const sure = window.confirm(
                            c.mutationKind === 'submit'
                              ? `Discard the refused work on "${c.title}"? It is on no hub; it stays only in this computer's history.`
                              : `Dismiss the hub's refusal of this ${c.mutationKind}?`,
                          );
                          if (sure) void run(() => actions.discard(c.taskId), 'Discarded.');
                        }}
                      >
                        Discard
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}

      {signedIn ? (
        <div className="sync-actions">
          <button
            type="button"
            className="button primary"
            disabled={busy}
            onClick={() => void run(actions.syncNow, 'Synced.')}
          >
            Sync now
          </button>
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void run(() => actions.getMore(20), 'Got more tasks.')}
          >
            Get 20 more tasks
          </button>
          <span className="statusbar-spacer" />
          <button
            type="button"
            className="button ghost"
            disabled={busy}
            onClick={() => void run(actions.signOut, 'Signed out. Unsynced work stays here.')}
          >
            Sign out
          </button>
        </div>
      ) : null}

      <form className="sync-form" onSubmit={submit}>
        <h3>{signedIn ? 'Switch to another hub' : 'Sign in to a hub'}</h3>
        <label>
          Hub address
          <input
            type="url"
            required
            placeholder="https://hub.example.com"
            value={hubUrl}
            onChange={(e) => setHubUrl(e.target.value)}
          />
        </label>
        <label>
          Access token
          <input
            type="password"
            required
            autoComplete="off"
            placeholder="from your team lead"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        </label>
        <button type="submit" className="button primary" disabled={busy || !hubUrl || !token}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>

      {message && (
        <p className={message.error ? 'sync-error' : 'muted'} role="status" data-testid="sync-message">
          {message.text}
        </p>
      )}
    </section>
  );
}

/** The sync settings screen wired to the core: sign in to a real hub, sign out, sync, get tasks. */
export function SyncSettings({ onClose }: { onClose?: () => void }) {
  const { api } = useConnection();
  const state = useSyncState();
  const now = useNow(10_000);
  if (!state) return <section className="sync-settings" data-testid="sync-settings" data-state="loading" />;
  const err = (r: { ok: boolean; error?: { message: string } }) =>
    r.ok ? null : (r.error?.message ?? 'failed');
  const actions: SyncActions = {
    signIn: async (hubUrl, token) => err(await api.call('sync.signIn', { hubUrl, token })),
    signOut: async () => void (await api.call('sync.signOut', {})),
    syncNow: async () => void (await api.call('sync.now', {})),
    getMore: async (count) => err(await api.call('tasks.getMore', { count })),
    resubmit: async (taskId) => err(await api.call('tasks.resubmitRefused', { taskId })),
    exportWork: async (taskId) => {
      const r = await api.call('tasks.exportSubmission', { taskId });
      if (r.ok) saveFile(r.value.fileName, r.value.json);
      return err(r);
    },
    discard: async (taskId) => err(await api.call('tasks.discardRefused', { taskId })),
  };
  return <SyncSettingsView state={state} now={now} actions={actions} {...(onClose ? { onClose } : {})} />;
}
