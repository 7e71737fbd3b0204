import type { Annotation } from '../../../shared/model';
import type { TaskView } from '../../../shared/contract';

/**
 * What the task screen hands to an editor. The host owns loading, autosave (debounced) and
 * submit; the editor owns its canvas and tools.
 *
 * Keyboard rule: the host listens for Enter (submit), Esc/Backspace (skip) and arrows (history)
 * on `window` in the bubble phase and ignores events whose `defaultPrevented` is set. An editor
 * that consumes a key (Esc ending a gesture, Backspace deleting a region, typing in a field)
 * calls `preventDefault()`.
 */
export interface EditorProps {
  view: TaskView;
  /** The annotation to restore: the draft, else the submitted one, else empty. */
  initial: Annotation;
  /** Called on every document change (the host debounces autosave ~300 ms). */
  onChange(annotation: Annotation): void;
  /** Ask the host to submit now (e.g. from a toolbar button). */
  onSubmit(): void;
  /** URL the renderer can load an asset from (transport-specific). */
  assetUrl(sha256: string): string;
  /**
   * Calls `listener` when the asset arrives (sync downloads a leased task's image in the
   * background); returns the unsubscribe. An editor whose asset was not there yet retries then.
   */
  onAssetReady?(sha256: string, listener: () => void): () => void;
}
