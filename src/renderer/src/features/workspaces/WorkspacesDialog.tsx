import { useEffect, useState } from 'react';
import type { WorkspaceList, WorkspaceSummary } from '../../../../shared/contract';
import { useConnection } from '../../hooks/api-context';
import { ModalDialog } from '../modal/ModalDialog';
import { showToast } from '../toast/toast-store';
import { useNow } from '../sync/use-sync-state';
import {
  describeCounts,
  describeLoss,
  describeWorkspaceSync,
  howToKeep,
  itemsText,
} from './workspace-format';

/**
 * Every workspace with its counts and sync state; Enter (or a click) on one switches to it, and
 * a hub's "Sign out…" asks first, stating how many items of work would be lost.
 */
export function WorkspacesDialog({ list, onClose }: { list: WorkspaceList; onClose(): void }) {
  const [confirm, setConfirm] = useState<string | null>(null);
  const target = confirm ? list.workspaces.find((w) => w.id === confirm) : undefined;
  return (
    <ModalDialog
      onClose={onClose}
      className="workspaces-dialog"
      name={{ labelledBy: 'workspaces-title' }}
      testId="workspaces-dialog"
    >
      {target ? (
        <SignOutConfirm workspace={target} onDone={onClose} onCancel={() => setConfirm(null)} />
      ) : (
        <WorkspaceListView list={list} onClose={onClose} onSignOut={setConfirm} />
      )}
    </ModalDialog>
  );
}

function WorkspaceListView({
  list,
  onClose,
  onSignOut,
}: {
  list: WorkspaceList;
  onClose(): void;
  onSignOut(id: string): void;
}) {
  const { api } = useConnection();
  const now = useNow();
  const [error, setError] = useState<string | null>(null);
  const switchTo = async (w: WorkspaceSummary) => {
    if (w.active) return onClose();
    const r = await api.call('workspaces.switch', { workspaceId: w.id });
    if (!r.ok) return setError(r.error.message);
    showToast(`Now working in ${w.name}`);
    onClose();
  };
  return (
    <>
      <h2 id="workspaces-title" className="workspaces-title">
        Workspaces
      </h2>
      <p className="muted workspaces-hint">
        Each hub keeps its own tasks and work here. To add a hub, sign in to it in Sync settings:{' '}
        <kbd>Ctrl+,</kbd>
      </p>
      <ul className="workspace-list">
        {list.workspaces.map((w) => {
          const d = describeWorkspaceSync(w, now);
          return (
            <li
              key={w.id}
              className="workspace-row"
              data-testid="workspace-row"
              data-workspace-id={w.id}
              data-active={w.active}
            >
              <button
                type="button"
                className="workspace-switch"
                aria-current={w.active ? 'true' : undefined}
                data-testid="workspace-switch"
                onClick={() => void switchTo(w)}
              >
                <span className="workspace-name">
                  {w.name}
                  {w.active && <span className="badge">in use</span>}
                </span>
                <span className="muted workspace-where">
                  {w.kind === 'local'
                    ? 'Tasks on this computer only'
                    : `${w.userName ?? 'signed out'} on ${w.hubUrl ?? ''}`}
                </span>
                <span className="workspace-counts" data-testid="workspace-counts">
                  {describeCounts(w)}
                </span>
                <span
                  className={`workspace-sync sync-${d.tone}`}
                  title={d.title}
                  data-testid="workspace-sync"
                >
                  <span className="dot sync-dot" aria-hidden="true" />
                  {d.label}
                </span>
              </button>
              {w.kind === 'hub' && (
                <button
                  type="button"
                  className="button ghost"
                  data-testid="workspace-sign-out"
                  aria-label={`Sign out of ${w.name}…`}
                  onClick={() => onSignOut(w.id)}
                >
                  Sign out…
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {error && (
        <p className="sync-error" role="alert">
          {error}
        </p>
      )}
      <div className="workspaces-actions">
        <button type="button" className="button" onClick={onClose}>
          Close <kbd>Esc</kbd>
        </button>
      </div>
    </>
  );
}

function SignOutConfirm({
  workspace: w,
  onDone,
  onCancel,
}: {
  workspace: WorkspaceSummary;
  onDone(): void;
  onCancel(): void;
}) {
  const { api } = useConnection();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const lost = w.outstanding.total;
  // Focus the safe choice first: Enter right after opening keeps the work.
  useEffect(() => {
    document.querySelector<HTMLElement>('[data-testid="sign-out-cancel"]')?.focus();
  }, []);
  const signOut = async () => {
    setBusy(true);
    const r = await api.call('workspaces.signOut', {
      workspaceId: w.id,
      ...(lost > 0 ? { discard: { count: lost } } : {}),
    });
    setBusy(false);
    // The count moved since this dialog opened (a sync delivered, a draft was saved): say so.
    if (!r.ok) return setError(r.error.message);
    showToast(
      r.value.lost > 0
        ? `Signed out of ${w.name}; ${itemsText(r.value.lost)} discarded`
        : `Signed out of ${w.name}`,
    );
    onDone();
  };
  return (
    <div data-testid="sign-out-confirm" data-lost={lost}>
      <h2 id="workspaces-title" className="workspaces-title">
        Sign out of {w.name}?
      </h2>
      {lost > 0 ? (
        <p className="workspace-loss" data-testid="sign-out-loss">
          <strong>
            {itemsText(lost)} of your work {lost === 1 ? 'is' : 'are'} on no hub yet
          </strong>
          : {describeLoss(w.outstanding)}. Signing out now deletes {lost === 1 ? 'it' : 'them'} from this
          computer for good. {howToKeep(w.outstanding)}
        </p>
      ) : (
        <p data-testid="sign-out-loss">
          All your work in this workspace is on the hub. Its tasks and images leave this computer, and your
          open tasks go back to the hub for others to take.
        </p>
      )}
      {error && (
        <p className="sync-error" role="alert">
          {error}
        </p>
      )}
      <div className="workspaces-actions">
        <button type="button" className="button" data-testid="sign-out-cancel" onClick={onCancel}>
          Keep {lost > 0 ? 'the work' : 'signed in'}
        </button>
        <button
          type="button"
          className={`button ${lost > 0 ? 'danger' : 'primary'}`}
          data-testid="sign-out-confirm-button"
          disabled={busy}
          onClick={() => void signOut()}
        >
          {lost > 0 ? `Sign out and lose ${itemsText(lost)}` : 'Sign out'}
        </button>
      </div>
    </div>
  );
}
