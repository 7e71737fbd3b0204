import type { Annotation } from '../../../../shared/model';
import type { EditorCarry } from '../../editor/types';

/**
 * The window's carry between tasks (one per App): the clipboard, and the last annotation of the
 * task the person left, which "copy from the previous task" reads in the next one.
 */
export class WindowCarry {
  private last: { taskId: string; annotation: Annotation } | null = null;
  private readonly shared: EditorCarry['clipboard'] = [];

  /** The task screen calls this when it closes a task. */
  left(taskId: string, annotation: Annotation): void {
    this.last = { taskId, annotation };
  }

  /** The carry one task's editor gets: "previous" never means the task itself. */
  forTask(taskId: string): EditorCarry {
    return {
      previous: () => (this.last && this.last.taskId !== taskId ? this.last.annotation : null),
      clipboard: this.shared,
    };
  }
}
