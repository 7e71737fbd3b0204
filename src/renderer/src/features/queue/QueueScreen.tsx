import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { TaskSummary } from '../../../../shared/contract';
import { useQueueCounts } from '../../hooks/queue-counts';
import { useKeyScope } from '../keyboard/keyboard-context';
import { queueKeys } from '../keyboard/screen-keys';
import { LeaseExpiry, useSyncState } from '../sync';
import { DeliveryPill } from '../sync/DeliveryPill';
import { describeDelivery } from '../../../../shared/model';
import { formatAgo } from '../status-bar/format';
import { filterCount, filters, filterStatuses, type FilterKey } from './status-filter';
import { HubSwitcher } from '../workspaces';
import { GetMoreButton } from './GetMoreButton';
import { ReleaseButton } from './ReleaseButton';
import { useTaskList } from './use-task-list';

const ROW_HEIGHT = 36;

/** A refused finished task is not "Submitted"/"Skipped" in green: its status says refused. */
const rowStatus = (t: TaskSummary): TaskSummary['status'] | 'refused' =>
  describeDelivery(t.delivery, t.status).state === 'refused' ? 'refused' : t.status;

const statusText: Record<TaskSummary['status'], string> = {
  queued: 'Queued',
  in_progress: 'In progress',
  submitted: 'Submitted',
  skipped: 'Skipped',
};

interface Props {
  /** The Annotate / Review switch, for a person whose roles offer both. */
  modeSwitch?: ReactNode;
  onStart(): void;
  onOpen(taskId: string): void;
  /** Opens the export screen. */
  onExport(): void;
  navigating: boolean;
}

/** The time for "updated 5 min ago" and lease flags, refreshed every minute. */
const useMinuteClock = (): number => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  return now;
};

export function QueueScreen({ onStart, onOpen, onExport, navigating, modeSwitch }: Props) {
  const counts = useQueueCounts();
  const [filter, setFilter] = useState<FilterKey>('all');
  const [search, setSearch] = useState('');
  const list = useTaskList(filterStatuses(filter), search.trim());
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useMinuteClock();
  const sync = useSyncState();
  const signedIn = sync !== null && sync.status !== 'signed-out';

  const virtualizer = useVirtualizer({
    count: list.total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensure } = list;
  useEffect(() => {
    ensure(first, last);
  }, [ensure, first, last]);
  // Braces matter: newer Chromium's scrollTo returns a promise, which React would take for a cleanup.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [filter, search]);

  /** Focuses row `index` (scrolled into view first; the row exists once the list re-renders). */
  const focusRow = (index: number) => {
    const total = list.total ?? 0;
    if (total === 0) return;
    const i = Math.max(0, Math.min(index, total - 1));
    virtualizer.scrollToIndex(i);
    const tryFocus = (attempts: number) => {
      const row = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${i}"]`);
      if (row) row.focus();
      else if (attempts > 0) requestAnimationFrame(() => tryFocus(attempts - 1));
    };
    tryFocus(5);
  };

  useKeyScope({
    id: 'queue',
    priority: 10,
    title: 'Queue',
    table: queueKeys,
    ctx: () => ({
      start: onStart,
      busy: navigating,
      focusRow: (step: 1 | -1) => {
        const focused =
          document.activeElement instanceof HTMLElement ? document.activeElement.dataset.index : undefined;
        focusRow((focused === undefined ? -1 : Number(focused)) + step);
      },
    }),
  });

  const left = counts ? counts.queued + counts.inProgress : null;

  return (
    <div
      className="queue-screen"
      data-testid="queue-screen"
      data-state={list.total === null ? 'loading' : 'ready'}
    >
      <header className="topbar">
        <span className="wordmark">Outrigger</span>
        <span className="topbar-divider" />
        <h1 className="topbar-title">Queue</h1>
        {modeSwitch}
        <HubSwitcher />
        <span className="topbar-spacer" />
        {left !== null && (
          <span className="muted" data-testid="left-count">
            {left === 0 ? 'Nothing left to label' : `${left} to label`}
          </span>
        )}
        {signedIn && <GetMoreButton />}
        <button type="button" className="button" data-testid="open-export" onClick={onExport}>
          Export…
        </button>
        <button
          type="button"
          className="button primary"
          data-testid="start-labeling"
          disabled={navigating || left === 0}
          onClick={onStart}
        >
          Start labeling <kbd>Enter</kbd>
        </button>
      </header>
      <main className="queue-main">
        <div className="queue-toolbar">
          <div className="chips" role="toolbar" aria-label="Filter by status">
            {filters.map((f) => (
              <button
                key={f.key}
                type="button"
                className="chip"
                aria-pressed={filter === f.key}
                data-testid={`filter-${f.key}`}
                onClick={() => setFilter(f.key)}
              >
                {f.label}
                <span className="chip-count">{counts ? filterCount(counts, f.key) : '–'}</span>
              </button>
            ))}
          </div>
          <input
            className="search"
            type="search"
            placeholder="Search tasks"
            aria-label="Search tasks"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <div className="task-table" role="table" aria-label="Tasks">
          <div className="task-row task-row-head" role="row">
            <span role="columnheader">Status</span>
            <span role="columnheader">Task</span>
            <span role="columnheader">Kind</span>
            <span role="columnheader">Updated</span>
          </div>
          <div className="task-scroll" ref={scrollRef} data-testid="task-list">
            {list.total === 0 && (
              <p className="empty">
                No tasks {filter === 'all' ? 'here' : `are ${statusText[filter].toLowerCase()}`}.
              </p>
            )}
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((item) => {
                const t = list.row(item.index);
                return (
                  <div
                    key={item.key}
                    role="row"
                    className="task-row"
                    data-testid={t ? 'task-row' : 'task-row-loading'}
                    data-index={item.index}
                    data-task-id={t?.id}
                    data-status={t?.status}
                    tabIndex={t ? 0 : -1}
                    style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                    onClick={() => t && onOpen(t.id)}
                    onKeyDown={(e) => {
                      if (t && e.key === 'Enter' && e.target === e.currentTarget) {
                        e.preventDefault();
                        onOpen(t.id);
                      }
                    }}
                  >
                    {t ? (
                      <>
                        <span role="cell" className={`status status-${rowStatus(t)}`}>
                          <span className="dot" aria-hidden="true" />
                          {rowStatus(t) === 'refused' ? 'Refused' : statusText[t.status]}
                        </span>
                        <span role="cell" className="row-title-cell">
                          <span className="row-title">{t.title}</span>
                          {t.hasDraft && <span className="badge">draft</span>}
                          <DeliveryPill record={t.delivery} status={t.status} />
                          {(t.status === 'queued' || t.status === 'in_progress') && (
                            <>
                              <LeaseExpiry expiresAt={t.leaseExpiresAt} now={now} />
                              {t.leaseExpiresAt !== null && <ReleaseButton taskId={t.id} compact />}
                            </>
                          )}
                        </span>
                        <span role="cell" className="muted">
                          {t.kind}
                        </span>
                        <span role="cell" className="muted">
                          {formatAgo(t.updatedAt, now)}
                        </span>
                      </>
                    ) : (
                      <span className="muted">…</span>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      </main>
    </div>
  );
}
