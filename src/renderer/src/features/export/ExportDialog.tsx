import { useMemo, useState, type FormEvent } from 'react';
import type { ExportJob } from '../../../../shared/contract';
import { matchCombo } from '../../editor/core/keymap';
import { useConnection } from '../../hooks/api-context';
import { ModalDialog } from '../modal/ModalDialog';
import { initialForm, toRequest, type ExportForm } from './export-form';
import { ExportOptionsForm } from './ExportOptionsForm';
import { ExportPreviewTable } from './ExportPreviewTable';
import { useExportPreview, useExportSources, type useExportJob } from './use-export';
import './export.css';

type JobHandle = ReturnType<typeof useExportJob>;

const megabytes = (n: number): string =>
  n < 1e3 ? `${n} bytes` : n < 1e6 ? `${Math.round(n / 1e3)} KB` : `${(n / 1e6).toFixed(1)} MB`;

/** A running export in words: records written here, or what the hub is doing. */
const runningWords = (job: ExportJob): string => {
  if (job.source === 'hub')
    return job.bytes === null
      ? 'The hub is starting the export…'
      : `Receiving the zip as the hub writes it… ${megabytes(job.bytes)}`;
  return `Exporting… ${job.records.toLocaleString()}${job.total !== null ? ` of ${job.total.toLocaleString()}` : ''}`;
};

/**
 * The export screen, as a modal over the queue (the queue's "Export…" button or Ctrl+Shift+E):
 * options on the left, the live preview of counts per split and label on the right, then a
 * progress bar with Cancel, and "Open folder" (or the path, in web mode) when it is done.
 * Closing it does not stop a running export; reopening shows it.
 */
export function ExportDialog({ onClose, exports }: { onClose(): void; exports: JobHandle }) {
  const { api } = useConnection();
  const { sources, error } = useExportSources();
  const [edited, setForm] = useState<ExportForm | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<string | null>(null);
  const form = useMemo(() => {
    if (edited || !sources) return edited;
    const first = sources.projects.find((p) => p.submitted > 0) ?? sources.projects[0];
    return initialForm(first, sources.defaultDir);
  }, [edited, sources]);

  const check = useMemo(() => (form ? toRequest(form) : null), [form]);
  const preview = useExportPreview(check?.ok ? check.request : null);
  const { job } = exports;
  const running = job?.state === 'running';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form || !check?.ok || running) return;
    setRevealed(null);
    setMessage(await exports.start({ ...check.request, outDir: form.outDir }));
  };
  const openFolder = async () => {
    if (!job) return;
    const r = await api.call('export.openFolder', { exportId: job.exportId });
    if (r.ok) setRevealed(r.value.opened ? null : r.value.path);
    else setMessage(r.error.message);
  };

  const pct = job?.total ? Math.min(100, Math.round((job.records / job.total) * 100)) : null;

  return (
    <ModalDialog
      onClose={onClose}
      closes={(e) => matchCombo('ctrl+shift+e', e)}
      className="wide-dialog export-dialog"
      name={{ labelledBy: 'export-title' }}
      testId="export-dialog"
      // The first field, once, when the form first appears (not on every edit).
      focusFirst={{ selector: 'select', ready: form !== null }}
    >
      <header className="export-head">
        <h2 id="export-title">Export a dataset</h2>
        <button type="button" className="button ghost" onClick={onClose} aria-label="Close export">
          <kbd>Esc</kbd>
        </button>
      </header>
      {error && (
        <p className="export-error" role="alert">
          {error}
        </p>
      )}
      {!sources || !form ? (
        !error && <p className="muted">Loading…</p>
      ) : sources.projects.length === 0 ? (
        <p className="muted">This workspace has no projects to export.</p>
      ) : (
        <form className="export-body" onSubmit={(e) => void submit(e)}>
          <ExportOptionsForm
            sources={sources}
            form={form}
            onChange={setForm}
            disabled={running}
            invalid={check && !check.ok ? check.field : null}
          />
          <div className="export-side">
            <ExportPreviewTable state={preview} split={form.split} />
            {check && !check.ok && (
              <p className="export-error" role="alert" data-testid="export-invalid">
                {check.message}
              </p>
            )}
            <div className="export-actions">
              {running ? (
                <button type="button" className="button" onClick={() => void exports.cancel()}>
                  Cancel export
                </button>
              ) : (
                <button
                  type="submit"
                  className="button primary"
                  data-testid="export-start"
                  disabled={!check?.ok}
                >
                  Export
                </button>
              )}
            </div>
            {job && (
              <div className="export-job" data-testid="export-job" data-state={job.state}>
                <label className="export-progress">
                  <span>
                    {job.state === 'running'
                      ? runningWords(job)
                      : job.state === 'finished'
                        ? `Done: ${job.records.toLocaleString()} task versions written${job.source === 'hub' && job.bytes !== null ? ` (${megabytes(job.bytes)} from the hub)` : ''}`
                        : job.state === 'cancelled'
                          ? 'Cancelled: nothing was written'
                          : 'Failed: nothing was written'}
                  </span>
                  <progress
                    max={100}
                    value={job.state === 'finished' ? 100 : (pct ?? undefined)}
                    aria-valuetext={pct !== null ? `${pct}%` : undefined}
                  />
                </label>
                <p className="sr-only" role="status">
                  {job.state === 'running' ? '' : `Export ${job.state}`}
                </p>
                {job.state === 'failed' && <p className="export-error">{job.message}</p>}
                {job.state === 'finished' && (
                  <>
                    {job.message && <p className="muted">{job.message}</p>}
                    <div className="export-done">
                      <button
                        type="button"
                        className="button primary"
                        data-testid="export-open-folder"
                        onClick={() => void openFolder()}
                      >
                        Open folder
                      </button>
                      <code className="export-path" data-testid="export-path">
                        {job.path}
                      </code>
                    </div>
                    {revealed && (
                      <p className="muted" role="status">
                        This window cannot open folders; the export is at the path above.
                      </p>
                    )}
                  </>
                )}
              </div>
            )}
            {message && (
              <p className="export-error" role="alert">
                {message}
              </p>
            )}
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
