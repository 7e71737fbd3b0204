import { useEffect, useState } from 'react';
import type { ReviewRoles } from '../../../../shared/contract';
import type { TeamMember } from '../../../../shared/sync';
import { useConnection } from '../../hooks/api-context';
import { dayStart } from './team-data';
import { rangeDays, type Range } from './dashboard-data';

/** First-pass acceptance and rework of one person over several projects (the hub's definitions). */
export interface OwnReview {
  firstVersionsReviewed: number;
  firstPassAcceptance: number | null;
  reviewed: number;
  reworkRate: number | null;
}

/** Sums the hub's per-project figures of one annotator (counts, then the ratios of the sums). */
export const combineOwnReview = (members: readonly TeamMember[]): OwnReview => {
  let fvr = 0;
  let accepted = 0;
  let reviewed = 0;
  let reworked = 0;
  for (const m of members) {
    fvr += m.firstVersionsReviewed;
    accepted += Math.round((m.firstPassAcceptance ?? 0) * m.firstVersionsReviewed);
    reviewed += m.reviewed;
    reworked += Math.round((m.reworkRate ?? 0) * m.reviewed);
  }
  return {
    firstVersionsReviewed: fvr,
    firstPassAcceptance: fvr > 0 ? accepted / fvr : null,
    reviewed,
    reworkRate: reviewed > 0 ? reworked / reviewed : null,
  };
};

export type OwnReviewState =
  | { state: 'none' }
  | { state: 'loading' }
  | { state: 'offline'; words: string }
  | { state: 'ready'; review: OwnReview; fetchedAt: number };

/**
 * The annotator's acceptance and rework over the dashboard's period. Verdicts that accept work
 * never come back to the annotator's workbench (only rejections do, as rework), so these are
 * read from the hub (the metrics route gives an annotator their own figures), with the time
 * they were fetched; offline the dashboard says so instead of guessing from rejections alone.
 */
export const useOwnReview = (
  roles: ReviewRoles | null,
  range: Range,
  tzOffset: number,
  now: number | null,
): OwnReviewState => {
  const { api } = useConnection();
  // A string, so the effect below re-runs when the projects change and not on every new array.
  const projectList =
    roles?.signedIn === true && roles.annotates.length > 0 ? JSON.stringify(roles.annotates) : '';
  const key = `${projectList}:${range}:${tzOffset}:${now ?? ''}`;
  const [answer, setAnswer] = useState<{ key: string; state: OwnReviewState } | null>(null);
  useEffect(() => {
    if (projectList === '' || now === null) return;
    const projects = JSON.parse(projectList) as string[];
    let live = true;
    const days = rangeDays(now, range, tzOffset);
    const from = dayStart(days[0]!, tzOffset);
    const to = dayStart(days[days.length - 1]!, tzOffset) + 86_400_000;
    void Promise.all(
      projects.map((projectId) => api.call('metrics.team', { projectId, from, to, tzOffset })),
    ).then((rs) => {
      if (!live) return;
      const failed = rs.find((r) => !r.ok);
      if (failed && !failed.ok) {
        setAnswer({ key, state: { state: 'offline', words: failed.error.message } });
        return;
      }
      const ok = rs.flatMap((r) => (r.ok ? [r.value] : []));
      setAnswer({
        key,
        state: {
          state: 'ready',
          review: combineOwnReview(ok.flatMap((v) => v.metrics.members)),
          fetchedAt: Math.min(...ok.map((v) => v.fetchedAt)),
        },
      });
    });
    return () => {
      live = false;
    };
  }, [api, key, projectList, range, tzOffset, now]);
  if (projectList === '') return { state: 'none' };
  return answer?.key === key ? answer.state : { state: 'loading' };
};
