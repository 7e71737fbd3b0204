import type { ExportPreviewResult } from '../../../../shared/contract';
import type { PreviewState } from './use-export';

const COLUMNS = [
  { key: 'train', title: 'Train' },
  { key: 'val', title: 'Validation' },
  { key: 'test', title: 'Test' },
] as const;

const fmt = (n: number): string => n.toLocaleString();

/** Records and labels per split of what the export would write, as the core counted them. */
export function ExportPreviewTable({ state, split }: { state: PreviewState; split: boolean }) {
  const preview: ExportPreviewResult | null =
    state.state === 'ready' ? state.preview : state.state === 'loading' ? state.last : null;
  return (
    <section
      className="export-preview"
      aria-labelledby="export-preview-title"
      aria-busy={state.state === 'loading'}
    >
      <h3 id="export-preview-title">
        Preview {state.state === 'loading' && <span className="muted">(counting…)</span>}
      </h3>
      {state.state === 'error' && (
        <p className="export-error" role="alert">
          {state.message}
        </p>
      )}
      {preview && (
        <>
          <p data-testid="export-preview-summary">
            <strong>{fmt(preview.records)}</strong> {preview.records === 1 ? 'task version' : 'task versions'}
            , <strong>{fmt(preview.results)}</strong> {preview.results === 1 ? 'result' : 'results'}
          </p>
          {preview.records > 0 && (
            <table className="export-table" data-testid="export-preview-table">
              <thead>
                <tr>
                  <th scope="col">Label</th>
                  <th scope="col">All</th>
                  {split &&
                    COLUMNS.map((c) => (
                      <th key={c.key} scope="col">
                        {c.title}
                      </th>
                    ))}
                </tr>
              </thead>
              <tbody>
                <tr className="export-table-total">
                  <th scope="row">Tasks</th>
                  <td>{fmt(preview.perSplit.all.records)}</td>
                  {split && COLUMNS.map((c) => <td key={c.key}>{fmt(preview.perSplit[c.key].records)}</td>)}
                </tr>
                {Object.entries(preview.perSplit.all.labels)
                  .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
                  .map(([label, n]) => (
                    <tr key={label}>
                      <th scope="row">{label}</th>
                      <td>{fmt(n)}</td>
                      {split &&
                        COLUMNS.map((c) => (
                          <td key={c.key}>{fmt(preview.perSplit[c.key].labels[label] ?? 0)}</td>
                        ))}
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
          {preview.records === 0 && <p className="muted">Nothing matches these options yet.</p>}
        </>
      )}
    </section>
  );
}
