import type { Annotation, AnnotationResult } from '../../../shared/model';
import type { TaskView } from '../../../shared/contract';
import type { EditorSelection, ReviewMarks } from './review-marks';

/**
 * What outlives one task's editor, kept by the host for the window (never module state): the
 * clipboard, and the task the person left last for "copy from the previous task".
 */
export interface EditorCarry {
  /** The annotation of the task this window showed before this one, or null. */
  previous(): Annotation | null;
  /** Copied results (the image editor's Ctrl+C; replaced in place); pasting works in the next task too. */
  readonly clipboard: AnnotationResult[];
  /** The label last picked for new regions in this project (null: none yet); optional for hosts. */
  lastLabel?(): string | null;
  /** The editor picked `name` for new regions: the next task of the project starts with it. */
  labelPicked?(name: string): void;
}

/**
 * What the task screen hands to an editor. The host owns loading, autosave (debounced) and
 * submit; the editor owns its canvas and tools.
 *
 * Keyboard rule: one key handler (`features/keyboard/key-router.ts`). An editor registers its
 * action table with `useKeyScope` at priority 20, above the task screen's (Enter submit,
 * Esc/Backspace skip, arrows history); an action that does not apply returns false so the key
 * falls through. Focused fields and open popovers keep their keys (the router's rule).
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
  /** Clipboard and previous task, from the host; standalone pages may leave it out. */
  carry?: EditorCarry;
  /**
   * Show the annotation as it is, changing nothing (a version under review): the document store
   * refuses every edit and the drawing tools are hidden. Selection, zoom and pan still work.
   */
  readOnly?: boolean;
  /** Review overlay: the diff to the previous version and the reviewer's pinned comments. */
  review?: ReviewMarks;
  /** Told the single selected region or span (null: none), so a review comment can point at it. */
  onSelectionChange?(selection: EditorSelection | null): void;
}

/** A carry for a host with no previous task (standalone pages, tests). */
export const emptyCarry = (): EditorCarry => ({ previous: () => null, clipboard: [] });
