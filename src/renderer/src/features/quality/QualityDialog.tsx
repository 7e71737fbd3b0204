import { useEffect, useId, useState } from 'react';
import { callErrorWords, type MethodOutput, type PlainError } from '../../../../shared/contract';
import { useConnection } from '../../hooks/api-context';
import { ModalDialog } from '../modal/ModalDialog';
import { ProblemText } from '../toast/ProblemText';
import { LotMaker } from './LotMaker';
import { QualityTables } from './QualityTables';
import './quality.css';

const REFRESH_MS = 20_000;

export type LeadProject = { id: string; name: string };
type Report = MethodOutput<'quality.report'>;

type State =
  { state: 'loading' } | { state: 'ready'; value: Report } | { state: 'error'; problem: PlainError };
/** An answer, with the request it answers (an older request's answer shows as loading). */
type Answer = { key: string; projectId: string; state: State };

/**
 * The lead's quality screen, a modal over the queue: the hub's report of one project (lots,
 * agreement heatmap, per-label table, gold accuracy per annotator), read live from the hub.
 * Signed out or not a lead, the hub's refusal is shown in words.
 */
export function QualityDialog({ projects, onClose }: { projects: LeadProject[]; onClose(): void }) {
  const { api } = useConnection();
  const [projectId, setProjectId] = useState(projects[0]?.id ?? '');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [reload, setReload] = useState(0);
  const key = `${projectId}:${reload}`;
  const state: State = answer?.key === key ? answer.state : { state: 'loading' };
  // While a newer answer is on its way, the last report stays on screen (no flicker).
  const shown =
    state.state === 'loading' && answer?.projectId === projectId && answer.state.state === 'ready'
      ? answer.state
      : state;
  // Audits move while the screen is open: read the report again every 20 s.
  useEffect(() => {
    const t = setInterval(() => setReload((n) => n + 1), REFRESH_MS);
    return () => clearInterval(t);
  }, []);
  const pickerId = useId();
  useEffect(() => {
    let live = true;
    void api.call('quality.report', { projectId }).then((r) => {
      if (!live) return;
      setAnswer({
        key,
        projectId,
        state: r.ok
          ? { state: 'ready', value: r.value }
          : { state: 'error', problem: callErrorWords('quality.report', r.error) },
      });
    });
    return () => {
      live = false;
    };
  }, [api, projectId, key]);

  return (
    <ModalDialog
      onClose={onClose}
      className="wide-dialog quality-dialog"
      name={{ labelledBy: 'quality-title' }}
      testId="quality-dialog"
      state={state.state}
    >
      <header className="quality-head">
        <h2 id="quality-title">Quality</h2>
        {projects.length > 1 ? (
          <label htmlFor={pickerId} className="quality-project">
            Project
            <select
              id={pickerId}
              className="control"
              value={projectId}
              onChange={(e) => setProjectId(e.target.value)}
            >
              {projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="muted">{projects[0]?.name}</span>
        )}
        <span className="quality-spacer" />
        <button type="button" className="button" onClick={() => setReload((n) => n + 1)}>
          Refresh
        </button>
        <button type="button" className="button ghost" onClick={onClose} aria-label="Close quality">
          <kbd>Esc</kbd>
        </button>
      </header>
      {shown.state === 'loading' && <p className="muted">Reading the report from the hub…</p>}
      {shown.state === 'error' && (
        <div className="quality-error" role="alert">
          <ProblemText words={shown.problem.words} detail={shown.problem.detail} />
        </div>
      )}
      {shown.state === 'ready' && (
        <QualityTables
          report={shown.value.report}
          fetchedAt={shown.value.fetchedAt}
          lotMaker={
            <LotMaker
              key={projectId}
              projectId={projectId}
              batches={shown.value.report.batches}
              onMade={() => setReload((n) => n + 1)}
            />
          }
        />
      )}
    </ModalDialog>
  );
}
