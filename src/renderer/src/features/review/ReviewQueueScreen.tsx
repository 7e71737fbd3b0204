import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { MethodOutput, ReviewItemStatus, ReviewRoles } from '../../../../shared/contract';
import { callOrToast, useConnection } from '../../hooks/api-context';
import { useKeyScope } from '../keyboard/keyboard-context';
import { formatAgo, formatDuration } from '../status-bar/format';
import { showToast } from '../toast/toast-store';
import { useNow } from '../sync/use-sync-state';
import { BatchProgressPanel } from './BatchProgressPanel';
import { reviewQueueKeys } from './review-keys';
import { deliveryWords, statusWords } from './review-model';
import { batchKey, listInput, noFilters, statusCounts, type QueueFilters } from './review-queue-model';
import './review.css';

type List = MethodOutput<'review.list'>;

const statusChips: { key: ReviewItemStatus | 'all'; label: string }[] = [
  { key: 'pending', label: 'Waiting' },
  { key: 'accepted', label: 'Accepted' },
  { key: 'fixed', label: 'Fixed' },
  { key: 'rejected', label: 'Rejected' },
  { key: 'all', label: 'All' },
];

/**
 * The review queue: the items leased here, by project and batch, filtered by annotator, status
 * and day, with counts; "Get items to review" leases more from the hub, Enter opens the next
 * one waiting. Leads see progress per batch below.
 */
export function ReviewQueueScreen({
  roles,
  modeSwitch,
  onOpen,
  onStart,
  navigating,
}: {
  roles: ReviewRoles | null;
  modeSwitch: ReactNode;
  onOpen(submissionId: string): void;
  onStart(scope: { projectId?: string; batch?: string }): void;
  navigating: boolean;
}) {
  const { api } = useConnection();
  const [filters, setFilters] = useState<QueueFilters>(noFilters);
  const [list, setList] = useState<List | null>(null);
  const [leasing, setLeasing] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow();

  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    const fetch = () =>
      void api.call('review.list', listInput(filters)).then((r) => {
        if (!live) return;
        if (r.ok) setList(r.value);
        else showToast(`review.list: ${r.error.message}`, 'error');
      });
    fetch();
    const off = api.on('review.changed', fetch);
    return () => {
      live = false;
      off();
    };
  }, [api, filters, tick]);

  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const x of roles?.memberships ?? []) if (x.projectName) m.set(x.projectId, x.projectName);
    for (const it of list?.items ?? []) m.set(it.projectId, it.projectName);
    return m;
  }, [roles, list]);
  const scope = useMemo(() => {
    const slash = filters.batch.indexOf('/');
    return slash > 0
      ? { projectId: filters.batch.slice(0, slash), batch: filters.batch.slice(slash + 1) }
      : {};
  }, [filters.batch]);
  const counts = statusCounts(list?.batches ?? [], filters.batch);

  const getMore = async () => {
    const projects = scope.projectId ? [scope.projectId] : (roles?.reviews ?? []);
    if (projects.length === 0) {
      showToast('You review no project on this hub', 'error');
      return;
    }
    setLeasing(true);
    try {
      let leased = 0;
      for (const projectId of projects) {
        const r = await callOrToast(api, 'review.lease', {
          projectId,
          ...(scope.batch ? { batch: scope.batch } : {}),
          count: 50,
        });
        leased += r?.leased ?? 0;
      }
      showToast(
        leased ? `${leased} item${leased === 1 ? '' : 's'} to review` : 'Nothing is waiting for review',
      );
      reload();
    } finally {
      setLeasing(false);
    }
  };

  const focusRow = (step: 1 | -1) => {
    const rows = [...(scrollRef.current?.querySelectorAll<HTMLElement>('[data-testid="review-row"]') ?? [])];
    if (rows.length === 0) return;
    const i = rows.indexOf(document.activeElement as HTMLElement);
    rows[Math.max(0, Math.min(rows.length - 1, i < 0 ? 0 : i + step))]!.focus();
  };
  useKeyScope({
    id: 'review-queue',
    priority: 10,
    title: 'Review queue',
    table: reviewQueueKeys,
    ctx: () => ({ start: () => onStart(scope), focusRow, busy: navigating }),
  });

  const set = (patch: Partial<QueueFilters>) => setFilters((f) => ({ ...f, ...patch }));
  // Stable while the ids and names stay the same: the progress panel fetches again only then.
  const leadsKey = JSON.stringify((roles?.leads ?? []).map((id) => [id, names.get(id) ?? id]));
  const leads = useMemo(
    () => (JSON.parse(leadsKey) as [string, string][]).map(([id, name]) => ({ id, name })),
    [leadsKey],
  );

  return (
    <div
      className="queue-screen review-queue"
      data-testid="review-queue"
      data-state={list ? 'ready' : 'loading'}
    >
      <header className="topbar">
        <span className="wordmark">Outrigger</span>
        <span className="topbar-divider" />
        <h1 className="topbar-title">Review</h1>
        {modeSwitch}
        <span className="topbar-spacer" />
        <span className="muted" data-testid="pending-count">
          {counts.pending === 0 ? 'Nothing waiting' : `${counts.pending} waiting for a verdict`}
        </span>
        {roles?.signedIn && (
          <button
            type="button"
            className="button"
            onClick={() => void getMore()}
            disabled={leasing}
            data-testid="review-get-more"
          >
            {leasing ? 'Getting…' : 'Get items to review'}
          </button>
        )}
        <button
          type="button"
          className="button primary"
          data-testid="start-review"
          disabled={navigating || counts.pending === 0}
          onClick={() => onStart(scope)}
        >
          Start reviewing <kbd>Enter</kbd>
        </button>
      </header>
      <main className="queue-main review-queue-main">
        <div className="queue-toolbar review-filters">
          <label className="review-filter">
            <span>Batch</span>
            <select
              value={filters.batch}
              onChange={(e) => set({ batch: e.target.value })}
              data-testid="filter-batch"
            >
              <option value="">Every batch</option>
              {(list?.batches ?? []).map((b) => (
                <option key={batchKey(b)} value={batchKey(b)}>
                  {names.get(b.projectId) ?? b.projectId} · {b.batch} ({b.pending} waiting)
                </option>
              ))}
            </select>
          </label>
          <label className="review-filter">
            <span>Annotator</span>
            <select
              value={filters.annotatorId}
              onChange={(e) => set({ annotatorId: e.target.value })}
              data-testid="filter-annotator"
            >
              <option value="">Anyone</option>
              {(list?.annotators ?? []).map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <label className="review-filter">
            <span>Submitted from</span>
            <input type="date" value={filters.from} onChange={(e) => set({ from: e.target.value })} />
          </label>
          <label className="review-filter">
            <span>to</span>
            <input type="date" value={filters.to} onChange={(e) => set({ to: e.target.value })} />
          </label>
          <div className="chips" role="toolbar" aria-label="Filter by verdict">
            {statusChips.map((c) => (
              <button
                key={c.key}
                type="button"
                className="chip"
                aria-pressed={filters.status === c.key}
                data-testid={`review-filter-${c.key}`}
                onClick={() => set({ status: c.key })}
              >
                {c.label}
                <span className="chip-count">{list ? counts[c.key] : '–'}</span>
              </button>
            ))}
          </div>
        </div>
        <div className="task-table review-table" role="table" aria-label="Review items">
          <div className="task-row task-row-head review-row" role="row">
            <span role="columnheader">Verdict</span>
            <span role="columnheader">Task</span>
            <span role="columnheader">Annotator</span>
            <span role="columnheader">Version</span>
            <span role="columnheader">Active</span>
            <span role="columnheader">Submitted</span>
          </div>
          <div className="task-scroll" ref={scrollRef} data-testid="review-list">
            {list?.items.length === 0 && (
              <p className="empty">
                {roles?.signedIn
                  ? 'No items here. "Get items to review" leases the next ones from the hub.'
                  : 'Sign in to a hub (Ctrl+,) to review your team’s work.'}
              </p>
            )}
            {list?.items.map((it) => (
              <div
                key={it.submissionId}
                role="row"
                className="task-row review-row"
                tabIndex={0}
                data-testid="review-row"
                data-submission-id={it.submissionId}
                data-status={it.status}
                onClick={() => onOpen(it.submissionId)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && e.target === e.currentTarget) {
                    e.preventDefault();
                    onOpen(it.submissionId);
                  }
                }}
              >
                <span role="cell" className={`status review-status-${it.status}`}>
                  <span className="dot" aria-hidden="true" />
                  {statusWords[it.status]}
                  {it.delivery && it.delivery !== 'delivered' && (
                    <span className="badge">{deliveryWords[it.delivery]}</span>
                  )}
                </span>
                <span role="cell" className="row-title-cell">
                  <span className="row-title">{it.title}</span>
                  <span className="muted">
                    {it.projectName} · {it.batch}
                  </span>
                  {it.hasDraft && <span className="badge">draft</span>}
                  {!it.assetsReady && <span className="badge">image downloading</span>}
                </span>
                <span role="cell">{it.annotatorName}</span>
                <span role="cell" className="muted">
                  v{it.version}
                </span>
                <span role="cell" className="muted">
                  {formatDuration(it.activeMs)}
                </span>
                <span role="cell" className="muted">
                  {formatAgo(it.submittedAt, now)}
                </span>
              </div>
            ))}
          </div>
        </div>
        <BatchProgressPanel projects={leads} />
      </main>
    </div>
  );
}
