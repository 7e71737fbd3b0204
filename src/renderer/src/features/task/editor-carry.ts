import type { Annotation } from '../../../../shared/model';
import type { EditorCarry } from '../../editor/types';

/**
 * The window's carry between tasks (one per App): the clipboard, the last annotation of the
 * task the person left, which "copy from the previous task" reads in the next one, and the label
 * last picked in each project, which the next task of that project starts with.
 */
export class WindowCarry {
  private last: { taskId: string; annotation: Annotation } | null = null;
  private readonly shared: EditorCarry['clipboard'] = [];
  /** The label last picked, per project: one extra key per task saved (issue 16.4). */
  private readonly labels = new Map<string, string>();

  /** The task screen calls this when it closes a task. */
  left(taskId: string, annotation: Annotation): void {
    this.last = { taskId, annotation };
  }

  /** The carry one task's editor gets: "previous" never means the task itself. */
  forTask(taskId: string, projectId: string): EditorCarry {
    return {
      previous: () => (this.last && this.last.taskId !== taskId ? this.last.annotation : null),
      clipboard: this.shared,
      lastLabel: () => this.labels.get(projectId) ?? null,
      labelPicked: (name) => void this.labels.set(projectId, name),
    };
  }
}
