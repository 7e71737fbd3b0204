import { useState, type FormEvent } from 'react';
import {
  callErrorWords,
  type AppErrorShape,
  type MethodName,
  type PlainError,
  type SyncConflict,
  type SyncState,
} from '../../../../shared/contract';
import { describeDelivery, type DeliveryRecord } from '../../../../shared/model';
import { useConnection } from '../../hooks/api-context';
import { formatAgo } from '../status-bar/format';
import { ProblemText } from '../toast/ProblemText';
import { describeSync, syncProblemText } from './sync-format';
import { useNow, useSyncState } from './use-sync-state';
import { saveTextFile } from '../../hooks/save-file';

/** A failed action in words, with its technical line apart (`callErrorWords`). */
type Failure = PlainError | null;

export type SyncActions = {
  signIn(hubUrl: string, token: string): Promise<Failure>;
  signOut(): Promise<void>;
  syncNow(): Promise<void>;
  getMore(count: number): Promise<Failure>;
  /** Refused work (issue 16.2): each answers the failure or null. */
  resubmit(taskId: string): Promise<Failure>;
  exportWork(taskId: string): Promise<Failure>;
  discard(taskId: string): Promise<Failure>;
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
  const [message, setMessage] = useState<{ text: string; detail: string | null; error: boolean } | null>(
    null,
  );
  const d = describeSync(state, now);
  const problem = syncProblemText(state);
  const signedIn = state.status !== 'signed-out';

  const run = async (fn: () => Promise<Failure | void>, ok: string) => {
    setBusy(true);
    setMessage(null);
    const failure = await fn();
    setBusy(false);
    setMessage(
      failure
        ? { text: failure.words, detail: failure.detail, error: true }
        : { text: ok, detail: null, error: false },
    );
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
          {problem && <ProblemText className="sync-error" words={problem.words} detail={problem.detail} />}
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
        <div className={message.error ? 'sync-error' : 'muted'} role="status" data-testid="sync-message">
          {message.error ? <ProblemText words={message.text} detail={message.detail} /> : message.text}
        </div>
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
  const err = (method: MethodName, r: { ok: true } | { ok: false; error: AppErrorShape }): Failure =>
    r.ok ? null : callErrorWords(method, r.error);
  const actions: SyncActions = {
    signIn: async (hubUrl, token) => err('sync.signIn', await api.call('sync.signIn', { hubUrl, token })),
    signOut: async () => void (await api.call('sync.signOut', {})),
    syncNow: async () => void (await api.call('sync.now', {})),
    getMore: async (count) => err('tasks.getMore', await api.call('tasks.getMore', { count })),
    resubmit: async (taskId) =>
      err('tasks.resubmitRefused', await api.call('tasks.resubmitRefused', { taskId })),
    exportWork: async (taskId) => {
      const r = await api.call('tasks.exportSubmission', { taskId });
      if (r.ok) saveTextFile(r.value.fileName, r.value.json);
      return err('tasks.exportSubmission', r);
    },
    discard: async (taskId) =>
      err('tasks.discardRefused', await api.call('tasks.discardRefused', { taskId })),
  };
  return <SyncSettingsView state={state} now={now} actions={actions} {...(onClose ? { onClose } : {})} />;
}
