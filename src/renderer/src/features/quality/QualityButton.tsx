import { useEffect, useState } from 'react';
import { useConnection } from '../../hooks/api-context';
import { QualityDialog, type LeadProject } from './QualityDialog';

/**
 * The queue's "Quality…" button: shown only to a person who leads (or administers) a project on
 * the signed-in hub (`review.roles`), it opens the quality screen of those projects.
 */
export function QualityButton({ signedIn }: { signedIn: boolean }) {
  const { api } = useConnection();
  const [projects, setProjects] = useState<LeadProject[]>([]);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    let live = true;
    if (!signedIn) return;
    void api.call('review.roles', {}).then((r) => {
      if (!live || !r.ok) return;
      const names = new Map(r.value.memberships.map((m) => [m.projectId, m.projectName]));
      setProjects(r.value.leads.map((id) => ({ id, name: names.get(id) ?? id })));
    });
    return () => {
      live = false;
    };
  }, [api, signedIn]);
  // Signed out, the last answer is not shown (a lead of another hub is not a lead here).
  if (!signedIn || projects.length === 0) return null;
  return (
    <>
      <button type="button" className="button" data-testid="open-quality" onClick={() => setOpen(true)}>
        Quality…
      </button>
      {open && <QualityDialog projects={projects} onClose={() => setOpen(false)} />}
    </>
  );
}
