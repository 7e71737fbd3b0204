import { useState } from 'react';
import type { SortDir } from './team-data';

export interface SortState<K extends string> {
  key: K;
  dir: SortDir;
}

/**
 * A table's sort: a click on the sorted column flips it; a new column starts ascending when it
 * is the text column (names, labels) and descending otherwise (the biggest figure first).
 */
export const useSort = <K extends string>(
  initial: SortState<K>,
  textColumn: K,
): [SortState<K>, (key: K) => void] => {
  const [sort, setSort] = useState<SortState<K>>(initial);
  const sortBy = (key: K) =>
    setSort((s) => ({
      key,
      dir:
        s.key === key
          ? s.dir === 'ascending'
            ? 'descending'
            : 'ascending'
          : key === textColumn
            ? 'ascending'
            : 'descending',
    }));
  return [sort, sortBy];
};

/** The header row of a sortable table: each column a button, its state in `aria-sort`. */
export function SortableHeaders<K extends string>({
  columns,
  sort,
  sortBy,
  heading = (c) => c.label,
}: {
  columns: readonly { key: K; label: string }[];
  sort: SortState<K>;
  sortBy(key: K): void;
  heading?: (c: { key: K; label: string }) => string;
}) {
  return (
    <tr>
      {columns.map((c) => (
        <th key={c.key} aria-sort={sort.key === c.key ? sort.dir : 'none'} scope="col">
          <button type="button" onClick={() => sortBy(c.key)}>
            {heading(c)}
            <span aria-hidden="true">
              {sort.key === c.key ? (sort.dir === 'ascending' ? ' ▲' : ' ▼') : ''}
            </span>
          </button>
        </th>
      ))}
    </tr>
  );
}
