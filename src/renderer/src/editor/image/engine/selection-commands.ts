import type { ImageEditorEngine } from './engine';

/** Selection commands the keyboard (and buttons) use; kept out of the engine's core. */

/** Ctrl+A: every visible, unlocked region. */
export const selectAll = (engine: ImageEditorEngine): void => {
  const locked = engine.session.get().locked;
  engine.select(
    engine
      .regions()
      .filter((r) => engine.isVisible(r) && !locked.has(r.id))
      .map((r) => r.id),
  );
};

/**
 * `.` / `,`: select the next / previous visible region (in drawing order) and bring it into view
 * when it is off screen. False when there is no region (the key is not used).
 */
export const cycleRegion = (engine: ImageEditorEngine, step: 1 | -1): boolean => {
  const list = engine.regions().filter((r) => engine.isVisible(r));
  if (!list.length) return false;
  const current = [...engine.session.get().selected][0];
  const at = list.findIndex((r) => r.id === current);
  const next = at < 0 ? (step === 1 ? 0 : list.length - 1) : (at + step + list.length) % list.length;
  const id = list[next]!.id;
  engine.select([id]);
  engine.reveal(id);
  return true;
};
