import type { Annotation } from '../../../../shared/model';
import { HistoryPanel } from './HistoryPanel';
import { PinnedComments } from './ReviewComments';
import type { Rework } from './use-rework';
import './review.css';

/**
 * In the annotator's editor: why the reviewer sent the task back (reason, note, the comments
 * numbered as on the canvas and in the text), and the task's history. Nothing when the task was
 * never reviewed.
 */
export function ReworkPanel({ rework, opened }: { rework: Rework; opened: Annotation }) {
  const f = rework.feedback;
  return (
    <>
      {f && rework.inRework && rework.marks && (
        <section
          className="panel-section rework"
          data-testid="rework-feedback"
          aria-label="Sent back by the reviewer"
        >
          <h3 className="panel-title">Sent back for rework</h3>
          <p className="rework-reason">
            <strong data-testid="rework-reason">{f.reason}</strong>
            <span className="muted"> · {f.reviewerName ?? 'reviewer'}</span>
          </p>
          {f.note && <p className="timeline-note">{f.note}</p>}
        </section>
      )}
      {f && rework.inRework && rework.marks && (
        <PinnedComments
          title="Reviewer’s comments"
          pins={rework.marks.pins}
          results={opened.results}
          active={rework.activePin}
          onPick={rework.setActivePin}
        />
      )}
    </>
  );
}

/** The task's versions and verdicts, under the editor's panel (nothing before a first submission). */
export function ReworkHistory({ rework }: { rework: Rework }) {
  const history = rework.history;
  return history && history.versions.length > 0 ? (
    <HistoryPanel versions={history.versions} verdicts={history.verdicts} source={history.source} />
  ) : null;
}
