/**
 * Web mode's session: ended once the host refuses this tab's token (the host restarted with a
 * new one, or was stopped and started again). From then on every call fails the same way, so
 * the app shows one page instead of screens of empty counts and a toast per call.
 */
type Listener = () => void;

export type EndedSession = { detail: string };

let ended: EndedSession | null = null;
const listeners = new Set<Listener>();

export const sessionStore = {
  subscribe(l: Listener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  snapshot: (): EndedSession | null => ended,
};

/** The host no longer accepts this tab (first call wins; later ones say the same). */
export const endSession = (detail: string): void => {
  if (ended) return;
  ended = { detail };
  for (const l of [...listeners]) l();
};
