import { timeline, type VerdictLike, type VersionLike } from '../../../../shared/review';
import { formatDuration } from '../status-bar/format';

const verdictWords = { accepted: 'Accepted', fixed: 'Fixed & accepted', rejected: 'Rejected' } as const;

const when = (at: number): string =>
  new Date(at).toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

/**
 * A task's history in both roles: every version and every verdict, oldest first — who, when,
 * the verdict (with its reason and how many comments), active time. Read from the records the
 * hub (or, offline, this workbench) keeps; a verdict not yet delivered says so.
 */
export function HistoryPanel({
  versions,
  verdicts,
  current,
  source,
}: {
  versions: readonly VersionLike[];
  verdicts: readonly (VerdictLike & { delivery?: string })[];
  /** The version on screen, marked in the list. */
  current?: string | undefined;
  /** Where the history was read from; `local` says it may be behind the hub. */
  source?: 'hub' | 'local' | undefined;
}) {
  const entries = timeline(versions, verdicts);
  const delivery = new Map(verdicts.map((v) => [v.id, v.delivery]));
  const nVersions = entries.filter((e) => e.kind === 'version').length;
  const nVerdicts = entries.length - nVersions;
  return (
    <section
      className="panel-section review-history"
      data-testid="history-panel"
      aria-labelledby="history-title"
    >
      <h3 className="panel-title" id="history-title">
        History{' '}
        <span className="panel-hint" data-testid="history-counts">
          {nVersions} version{nVersions === 1 ? '' : 's'} · {nVerdicts} verdict{nVerdicts === 1 ? '' : 's'}
        </span>
      </h3>
      {source === 'local' && <p className="muted review-note">Offline: as kept on this computer.</p>}
      <ol className="timeline">
        {entries.map((e) =>
          e.kind === 'version' ? (
            <li
              key={e.id}
              className={`timeline-item is-version${e.id === current ? ' is-current' : ''}`}
              data-testid="history-version"
            >
              <span className="timeline-dot" aria-hidden="true" />
              <div>
                <strong>
                  Version {e.n}
                  {e.source === 'fix' ? ' · fix' : e.resubmission ? ' · resubmitted' : ''}
                </strong>
                {e.id === current && <span className="pill pill-current">shown</span>}
                {e.conflict && <span className="pill pill-warn">late</span>}
                <div className="muted">
                  {e.who} · {when(e.at)} · {formatDuration(e.activeMs)} active
                </div>
              </div>
            </li>
          ) : (
            <li
              key={e.id}
              className={`timeline-item is-${e.verdict}`}
              data-testid="history-verdict"
              data-verdict={e.verdict}
            >
              <span className="timeline-dot" aria-hidden="true" />
              <div>
                <strong>{verdictWords[e.verdict]}</strong>
                {e.on !== null && <span className="muted"> version {e.on}</span>}
                {e.flag && (
                  <span className="pill pill-warn" title="Kept by the hub but not applied">
                    {e.flag === 'stale' ? 'on a replaced version' : 'another verdict came first'}
                  </span>
                )}
                {delivery.get(e.id) === 'waiting' && <span className="pill">waiting to send</span>}
                {delivery.get(e.id) === 'refused' && (
                  <span className="pill pill-danger">refused by the hub</span>
                )}
                <div className="muted">
                  {e.who} · {when(e.at)} · {formatDuration(e.activeMs)} active
                </div>
                {e.reason && <div className="timeline-reason">{e.reason}</div>}
                {e.note && <div className="timeline-note">{e.note}</div>}
                {e.comments > 0 && (
                  <div className="muted">
                    {e.comments} comment{e.comments === 1 ? '' : 's'}
                  </div>
                )}
              </div>
            </li>
          ),
        )}
      </ol>
    </section>
  );
}
