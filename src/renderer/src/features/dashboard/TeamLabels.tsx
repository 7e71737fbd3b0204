import { useMemo } from 'react';
import type { TeamMetrics } from '../../../../shared/sync';
import { LABEL_COLUMNS, labelRows, type LabelColumn } from './label-data';
import { SortableHeaders, useSort } from './sortable-headers';

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
  const [sort, sortBy] = useSort<LabelColumn>({ key: 'team', dir: 'descending' }, 'label');
  const rows = useMemo(() => labelRows(team, who?.userId ?? null, sort.key, sort.dir), [team, who, sort]);
  const columns = LABEL_COLUMNS.filter((c) => who || (c.key !== 'member' && c.key !== 'memberShare'));
  const heading = (key: LabelColumn, label: string): string =>
    who && key === 'member' ? who.name : who && key === 'memberShare' ? `${who.name}: share` : label;

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
              <SortableHeaders
                columns={columns}
                sort={sort}
                sortBy={sortBy}
                heading={(c) => heading(c.key, c.label)}
              />
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
