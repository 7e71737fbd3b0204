import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract';
import { useConnection } from '../../hooks/api-context';

type Progress = MethodOutput<'review.progress'>;

/**
 * Progress per batch for a lead (the hub's progress route): pending, accepted, fixed, rejected,
 * in rework. It needs the hub; offline it says so instead of showing old figures as current.
 */
export function BatchProgressPanel({ projects }: { projects: readonly { id: string; name: string }[] }) {
  const { api } = useConnection();
  const [state, setState] = useState<Record<string, Progress | { error: string }>>({});
  useEffect(() => {
    let live = true;
    const load = () => {
      for (const p of projects)
        void api.call('review.progress', { projectId: p.id }).then((r) => {
          if (live) setState((s) => ({ ...s, [p.id]: r.ok ? r.value : { error: r.error.message } }));
        });
    };
    load();
    const off = api.on('review.changed', load);
    return () => {
      live = false;
      off();
    };
  }, [api, projects]);

  if (projects.length === 0) return null;
  return (
    <section className="batch-progress" data-testid="batch-progress" aria-labelledby="batch-progress-title">
      <h2 className="panel-title" id="batch-progress-title">
        Progress per batch <span className="panel-hint">projects you lead</span>
      </h2>
      {projects.map((p) => {
        const s = state[p.id];
        return (
          <div key={p.id} className="batch-progress-project">
            <h3 className="batch-progress-name">{p.name}</h3>
            {!s ? (
              <p className="muted">Loading…</p>
            ) : 'error' in s ? (
              <p className="muted" role="status">
                Progress comes from the hub: {s.error}
              </p>
            ) : (
              <table className="progress-table">
                <thead>
                  <tr>
                    <th scope="col">Batch</th>
                    <th scope="col">Tasks</th>
                    <th scope="col">Done</th>
                    <th scope="col">Pending</th>
                    <th scope="col">Accepted</th>
                    <th scope="col">Fixed</th>
                    <th scope="col">Rejected</th>
                    <th scope="col">In rework</th>
                  </tr>
                </thead>
                <tbody>
                  {s.batches.map((b) => (
                    <tr key={b.batch} data-testid="progress-row" data-batch={b.batch}>
                      <th scope="row">{b.batch}</th>
                      <td>{b.tasks}</td>
                      <td>
                        {b.done}
                        <span className="progress-bar" aria-hidden="true">
                          <span style={{ width: `${b.tasks ? (100 * b.done) / b.tasks : 0}%` }} />
                        </span>
                      </td>
                      <td>{b.pending}</td>
                      <td>{b.accepted}</td>
                      <td>{b.fixed}</td>
                      <td>{b.rejected}</td>
                      <td>{b.inRework}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        );
      })}
    </section>
  );
}
