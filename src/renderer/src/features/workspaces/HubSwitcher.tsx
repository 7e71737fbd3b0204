import { useState } from 'react';
import type { WorkspaceSummary } from '../../../../shared/contract';
import { useNow } from '../sync/use-sync-state';
import { describeWorkspaceSync } from './workspace-format';
import { useWorkspaces } from './use-workspaces';
import { WorkspacesDialog } from './WorkspacesDialog';
import './workspaces.css';

/**
 * The queue's hub switcher: the workspace in use (its name and sync state) as a button that
 * opens the list of every workspace, where the person switches hubs or signs out of one.
 */
export function HubSwitcher() {
  const list = useWorkspaces();
  const now = useNow();
  const [open, setOpen] = useState(false);
  const active: WorkspaceSummary | undefined = list?.workspaces.find((w) => w.active);
  if (!list || !active) return null;
  const d = describeWorkspaceSync(active, now);
  const others = list.workspaces.length - 1;
  return (
    <>
      <button
        type="button"
        className={`button ghost hub-switcher sync-${d.tone}`}
        data-testid="hub-switcher"
        data-workspace-id={active.id}
        aria-haspopup="dialog"
        aria-expanded={open}
        title={`${active.name}: ${d.label}. ${others > 0 ? `${others} other workspace${others === 1 ? '' : 's'}` : 'No other workspace'}; open to switch or sign out.`}
        onClick={() => setOpen(true)}
      >
        <span className="dot sync-dot" aria-hidden="true" />
        <span className="hub-switcher-name">{active.name}</span>
        <span className="muted hub-switcher-state">{d.label}</span>
        <span aria-hidden="true">▾</span>
      </button>
      {open && <WorkspacesDialog list={list} onClose={() => setOpen(false)} />}
    </>
  );
}
