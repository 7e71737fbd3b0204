import { useState } from 'react';
import { callOrToast, useConnection } from '../../hooks/api-context';
import { useRefreshCounts } from '../../hooks/queue-counts';
import { showToast } from '../toast/toast-store';

const BATCH = 20;

/** Leases more tasks from the hub (`tasks.getMore`); errors become a toast through `callOrToast`. */
export function GetMoreButton() {
  const { api } = useConnection();
  const refreshCounts = useRefreshCounts();
  const [busy, setBusy] = useState(false);
  const getMore = async () => {
    setBusy(true);
    try {
      const r = await callOrToast(api, 'tasks.getMore', { count: BATCH });
      if (!r) return;
      showToast(
        r.leased === 0
          ? 'The hub has no more tasks for you right now'
          : `Got ${r.leased} more ${r.leased === 1 ? 'task' : 'tasks'} from the hub`,
      );
      refreshCounts();
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="button"
      data-testid="get-more"
      disabled={busy}
      onClick={() => void getMore()}
    >
      {busy ? 'Getting tasks…' : 'Get more tasks'}
    </button>
  );
}
