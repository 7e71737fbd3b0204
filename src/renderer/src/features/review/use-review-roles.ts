import { useEffect, useState } from 'react';
import type { ReviewRoles } from '../../../../shared/contract';
import { useConnection } from '../../hooks/api-context';

/**
 * The signed-in person's roles (`review.roles`), read again whenever sync signs in or out or
 * comes back online: the workbench offers annotating, reviewing, or both from them.
 */
export const useReviewRoles = (): ReviewRoles | null => {
  const { api } = useConnection();
  const [roles, setRoles] = useState<ReviewRoles | null>(null);
  useEffect(() => {
    let live = true;
    let lastKey = '';
    const load = () =>
      void api.call('review.roles', {}).then((r) => {
        if (live && r.ok) setRoles(r.value);
      });
    load();
    const off = api.on('sync.stateChanged', (s) => {
      const key = `${s.status === 'signed-out' ? 'out' : 'in'}:${s.userName ?? ''}:${s.status === 'online'}`;
      if (key === lastKey) return;
      lastKey = key;
      load();
    });
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return roles;
};

export type WorkMode = 'annotate' | 'review';

/** Which modes the roles offer: annotating always (local work), reviewing for reviewers and leads. */
export const modesOf = (roles: ReviewRoles | null): { annotate: boolean; review: boolean } => ({
  annotate: roles === null || !roles.signedIn || roles.annotates.length > 0 || roles.reviews.length === 0,
  review: roles !== null && (roles.reviews.length > 0 || roles.leads.length > 0),
});
