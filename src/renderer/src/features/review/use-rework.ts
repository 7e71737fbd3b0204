import { useEffect, useMemo, useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract';
import type { Annotation } from '../../../../shared/model';
import { pinsFor } from '../../../../shared/review';
import type { ReviewMarks } from '../../editor/review-marks';
import { useConnection } from '../../hooks/api-context';

type Feedback = MethodOutput<'tasks.reviewFeedback'>;
type History = MethodOutput<'review.history'>;

export interface Rework {
  /** The rejection being reworked (newest), or null. */
  feedback: Feedback['feedback'][number] | null;
  inRework: boolean;
  /** The reviewer's comments pinned to the regions/spans of the annotation opened. */
  marks: ReviewMarks | null;
  activePin: number | null;
  setActivePin(n: number | null): void;
  history: History | null;
}

/**
 * The annotator's side of review for one task: the reviewer's rejection (reason, note, pinned
 * comments) when it came back for rework, and its history of versions and verdicts. Read from
 * the records (`tasks.reviewFeedback`, `review.history`), again when a rejection arrives.
 */
export const useRework = (taskId: string, fromHub: boolean, opened: Annotation): Rework => {
  const { api } = useConnection();
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [history, setHistory] = useState<History | null>(null);
  const [activePin, setActivePin] = useState<number | null>(null);
  useEffect(() => {
    if (!fromHub) return;
    let live = true;
    const load = () => {
      void api.call('tasks.reviewFeedback', { taskId }).then((r) => live && r.ok && setFeedback(r.value));
      void api.call('review.history', { taskId }).then((r) => live && r.ok && setHistory(r.value));
    };
    load();
    const off = api.on('review.rework', (e) => e.taskId === taskId && load());
    return () => {
      live = false;
      off();
    };
  }, [api, taskId, fromHub]);

  const latest = feedback?.feedback[0] ?? null;
  const marks = useMemo<ReviewMarks | null>(
    () =>
      latest && feedback?.inRework
        ? { diff: null, showDiff: false, pins: pinsFor(latest.comments, opened.results), activePin }
        : null,
    [latest, feedback?.inRework, opened, activePin],
  );
  return { feedback: latest, inRework: feedback?.inRework ?? false, marks, activePin, setActivePin, history };
};
