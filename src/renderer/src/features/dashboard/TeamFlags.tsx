import { useEffect, useRef, useState } from 'react';
import { callErrorWords, type MethodOutput, type PlainError } from '../../../../shared/contract';
import type { ActivityFlag } from '../../../../shared/sync';
import { useConnection } from '../../hooks/api-context';
import { ProblemText } from '../toast/ProblemText';

type Flags = MethodOutput<'metrics.flags'>;
type State =
  { state: 'loading' } | { state: 'ready'; value: Flags } | { state: 'error'; problem: PlainError };

/** Each flag kind in words a lead reads (the hub's checks: src/hub/storage/activity.ts). */
export const FLAG_KIND_WORDS: Record<ActivityFlag['kind'], string> = {
  chain: 'Activity log broken: an event edited, removed or reordered',
  'active-over-wall': 'Active time over wall time',
  'outside-lease': 'Submission outside its lease',
};

const time = (t: number): string => new Date(t).toLocaleString();

/**
 * The activity flags the hub raised on a project's work (issue 13.3), for the lead: when, what
 * failed in words, the task and the hub's detail. Read live from the hub when the lead asks
 * (the table's flag count or "Show flags"); offline it says so and lists nothing. `userId`
 * narrows the list to one annotator; `focusKey` changes when the lead asks again, so focus
 * moves to the list's heading (keyboard users land on what they opened).
 */
export function TeamFlags({
  projectId,
  range,
  user,
  focusKey,
  onShowAll,
}: {
  projectId: string;
  /** The team table's date range: flags the hub raised in it. */
  range: { from: number; to: number; label: string };
  user: { id: string; name: string } | null;
  focusKey: number;
  onShowAll: () => void;
}) {
  const { api } = useConnection();
  const [reload, setReload] = useState(0);
  const [answer, setAnswer] = useState<{ key: string; state: State } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const { from, to } = range;
  const key = `${projectId}:${from}:${to}:${reload}:${focusKey}`;
  const state: State = answer?.key === key ? answer.state : { state: 'loading' };

  useEffect(() => {
    let live = true;
    void api.call('metrics.flags', { projectId, from, to }).then((r) => {
      if (!live) return;
      setAnswer({
        key,
        state: r.ok
          ? { state: 'ready', value: r.value }
          : { state: 'error', problem: callErrorWords('metrics.flags', r.error) },
      });
    });
    return () => {
      live = false;
    };
  }, [api, projectId, from, to, key]);

  useEffect(() => {
    heading.current?.focus();
  }, [focusKey]);

  const flags =
    state.state === 'ready' ? state.value.flags.filter((f) => user === null || f.userId === user.id) : [];

  return (
    <section className="team-flags" data-testid="team-flags" data-state={state.state}>
      <h3 ref={heading} tabIndex={-1}>
        {user ? `Activity flags: ${user.name}` : 'Activity flags: everyone'}
      </h3>
      {state.state === 'loading' && <p className="muted">Reading the flags from the hub…</p>}
      {state.state === 'error' && (
        <div data-testid="team-flags-error">
          <ProblemText words={state.problem.words} detail={state.problem.detail} />
          <p className="muted">The flags live on the hub; none are shown until it answers.</p>
          <button type="button" className="button" onClick={() => setReload((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {state.state === 'ready' && (
        <>
          <p className="team-fetched muted" data-testid="team-flags-fetched">
            Raised {range.label}; from the hub, fetched {time(state.value.fetchedAt)}.
            <button type="button" className="linkish" onClick={() => setReload((n) => n + 1)}>
              Refresh flags
            </button>
            {user && (
              <button type="button" className="linkish" onClick={onShowAll}>
                Show everyone's
              </button>
            )}
          </p>
          {flags.length === 0 ? (
            <p className="muted" data-testid="team-flags-empty">
              {user
                ? `No activity of ${user.name}'s failed the hub's checks ${range.label}.`
                : `No activity in this project failed the hub's checks ${range.label}.`}
            </p>
          ) : (
            <table className="team-table team-flags-table" data-testid="team-flags-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  {!user && <th scope="col">Annotator</th>}
                  <th scope="col">What failed</th>
                  <th scope="col">Task</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {flags.map((f) => (
                  <tr key={`${f.chainId}:${f.seq}:${f.kind}`} data-testid="team-flag">
                    <td>{time(f.at)}</td>
                    {!user && <td>{f.userName}</td>}
                    <td>{FLAG_KIND_WORDS[f.kind]}</td>
                    <td title={f.taskId ?? undefined}>{f.taskTitle ?? f.taskId ?? '—'}</td>
                    <td className="team-flag-detail">{f.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
