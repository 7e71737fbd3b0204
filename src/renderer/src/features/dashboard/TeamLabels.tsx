import { useMemo, useState } from 'react';
import type { TeamMetrics } from '../../../../shared/sync';
import { LABEL_COLUMNS, labelRows, type LabelColumn } from './label-data';
import type { SortDir } from './team-data';

const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);

/**
 * Per-label counts (issue 13.4) under the team table: how many results of each label the team
 * gave over its submissions in the range, and beside them the annotator picked in the table.
 * Sortable by any column; the hub sums them (no annotation is loaded to count).
 */
export function TeamLabels({
  team,
  who,
}: {
  team: Pick<TeamMetrics, 'labels'>;
  who: { userId: string; name: string } | null;
}) {
  const [sort, setSort] = useState<{ key: LabelColumn; dir: SortDir }>({ key: 'team', dir: 'descending' });
  const rows = useMemo(() => labelRows(team, who?.userId ?? null, sort.key, sort.dir), [team, who, sort]);
  const columns = LABEL_COLUMNS.filter((c) => who || (c.key !== 'member' && c.key !== 'memberShare'));
  const heading = (key: LabelColumn, label: string): string =>
    who && key === 'member' ? who.name : who && key === 'memberShare' ? `${who.name}: share` : label;
  const sortBy = (k: LabelColumn) =>
    setSort((s) => ({
      key: k,
      dir:
        s.key === k
          ? s.dir === 'ascending'
            ? 'descending'
            : 'ascending'
          : k === 'label'
            ? 'ascending'
            : 'descending',
    }));

  return (
    <section className="team-labels" data-testid="team-labels">
      <h3>Results per label{who ? `: team and ${who.name}` : ': team'}</h3>
      {rows.length === 0 ? (
        <p className="muted" data-testid="team-labels-empty">
          No labelled results were submitted in this range.
        </p>
      ) : (
        <div className="team-table-wrap">
          <table className="team-table team-labels-table" data-testid="team-labels-table">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.key} aria-sort={sort.key === c.key ? sort.dir : 'none'} scope="col">
                    <button type="button" onClick={() => sortBy(c.key)}>
                      {heading(c.key, c.label)}
                      <span aria-hidden="true">
                        {sort.key === c.key ? (sort.dir === 'ascending' ? ' ▲' : ' ▼') : ''}
                      </span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.label} data-testid="team-label-row">
                  <th scope="row">{r.label}</th>
                  <td>{r.team}</td>
                  <td>{pct(r.teamShare)}</td>
                  {who && <td>{r.member ?? 0}</td>}
                  {who && <td>{pct(r.memberShare)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!who && rows.length > 0 && (
        <p className="muted">Pick an annotator's name in the table to see their counts beside the team's.</p>
      )}
    </section>
  );
}
