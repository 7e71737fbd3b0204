import { useEffect, useState } from 'react';
import type { WorkspaceList } from '../../../../shared/contract';
import { useConnection } from '../../hooks/api-context';

/** The workspace list, fetched once and kept current by `workspaces.changed`; null while loading. */
export const useWorkspaces = (): WorkspaceList | null => {
  const { api } = useConnection();
  const [list, setList] = useState<WorkspaceList | null>(null);
  useEffect(() => {
    let live = true;
    const off = api.on('workspaces.changed', (l) => {
      if (live) setList(l);
    });
    void api.call('workspaces.list', {}).then((r) => {
      if (live && r.ok) setList((prev) => prev ?? r.value);
    });
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return list;
};
