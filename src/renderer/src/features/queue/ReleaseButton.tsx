import { useState, type MouseEvent, type KeyboardEvent } from 'react';
import { useKeyLayer } from '../keyboard/keyboard-context';
import { callOrToast, useConnection } from '../../hooks/api-context';
import { useRefreshCounts } from '../../hooks/queue-counts';
import { showToast } from '../toast/toast-store';
import './release.css';

/**
 * Gives a hub-leased task back (`tasks.release`) after a confirm step: the first click asks,
 * the second releases. Clicks and keys stay here, so a queue row does not open the task too.
 */
interface Props {
  taskId: string;
  /** Runs first (the task screen flushes its draft); anything but 'done' stops the release. */
  beforeRelease?: () => Promise<string>;
  onReleased?: () => void;
  compact?: boolean;
}

export function ReleaseButton({ taskId, beforeRelease, onReleased, compact }: Props) {
  const { api } = useConnection();
  const refreshCounts = useRefreshCounts();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const stop = (e: MouseEvent | KeyboardEvent) => e.stopPropagation();
  // The confirm step is an open thing: Esc cancels it (and does not skip the task).
  useKeyLayer(confirming, () => setConfirming(false), false);

  const release = async () => {
    setBusy(true);
    const ready = beforeRelease ? (await beforeRelease()) === 'done' : true;
    const r = ready ? await callOrToast(api, 'tasks.release', { taskId }) : undefined;
    setBusy(false);
    setConfirming(false);
    if (!r) return;
    showToast('Task released: the hub can give it to someone else');
    refreshCounts();
    onReleased?.();
  };

  const size = compact ? ' button-small' : '';
  return (
    <span className="release" onClick={stop} onKeyDown={stop} data-testid="release">
      {confirming ? (
        <>
          <span className="muted">Give back?</span>
          <button
            type="button"
            className={`button danger${size}`}
            disabled={busy}
            data-testid="release-confirm"
            onClick={() => void release()}
          >
            Release
          </button>
          <button
            type="button"
            className={`button ghost${size}`}
            disabled={busy}
            onClick={() => setConfirming(false)}
          >
            Cancel
          </button>
        </>
      ) : (
        <button
          type="button"
          className={`button ghost${size}`}
          title="Give this task back to the hub so someone else can label it"
          data-testid="release-start"
          onClick={() => setConfirming(true)}
        >
          Release
        </button>
      )}
    </span>
  );
}
