import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract';
import { callOrToast, useConnection } from '../../hooks/api-context';
import { useRefreshCounts } from '../../hooks/queue-counts';
import { showToast } from '../toast/toast-store';
import { getMoreMessage } from './get-more-message';

const BATCH = 20;
type HubProject = MethodOutput<'tasks.hubProjects'>['projects'][number];

/**
 * Leases more tasks from the hub (`tasks.getMore`). With several projects, a picker offers each
 * one (default: the first that has work); the toast says which project the tasks came from.
 * Errors become a toast through `callOrToast`.
 */
export function GetMoreButton() {
  const { api } = useConnection();
  const refreshCounts = useRefreshCounts();
  const [busy, setBusy] = useState(false);
  const [projects, setProjects] = useState<HubProject[]>([]);
  const [chosen, setChosen] = useState('');
  useEffect(() => {
    let live = true;
    void api.call('tasks.hubProjects', {}).then((r) => {
      if (live && r.ok) setProjects(r.value.projects);
    });
    return () => {
      live = false;
    };
  }, [api]);

  const getMore = async () => {
    setBusy(true);
    try {
      const r = await callOrToast(api, 'tasks.getMore', {
        count: BATCH,
        ...(chosen ? { projectId: chosen } : {}),
      });
      if (!r) return;
      showToast(getMoreMessage(r, projects.find((p) => p.id === chosen)?.name ?? null));
      refreshCounts();
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="get-more">
      {projects.length > 1 && (
        <select
          className="get-more-project"
          aria-label="Project to get tasks from"
          data-testid="get-more-project"
          value={chosen}
          onChange={(e) => setChosen(e.target.value)}
        >
          <option value="">Any project with work</option>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      )}
      <button
        type="button"
        className="button"
        data-testid="get-more"
        disabled={busy}
        onClick={() => void getMore()}
      >
        {busy ? 'Getting tasks…' : 'Get more tasks'}
      </button>
    </span>
  );
}
