import { expect, type Locator, type Page } from '@playwright/test';
import { TaskPage } from './task-page';

export type StatusFilter = 'all' | 'queued' | 'in_progress' | 'submitted' | 'skipped';

/** The queue screen: filter chips, the virtualized task list, "Start labeling". */
export class QueuePage {
  readonly root: Locator;
  readonly rows: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('queue-screen');
    this.rows = this.root.getByTestId('task-row');
  }

  async waitReady(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-state', 'ready');
  }

  filter(key: StatusFilter): Locator {
    return this.root.getByTestId(`filter-${key}`);
  }

  async showOnly(key: StatusFilter): Promise<void> {
    await this.filter(key).click();
    await expect(this.filter(key)).toHaveAttribute('aria-pressed', 'true');
    await this.waitReady();
  }

  row(taskId: string): Locator {
    return this.root.locator(`[data-testid="task-row"][data-task-id="${taskId}"]`);
  }

  /** Opens a task from its row and waits until its task screen is ready. */
  async open(taskId: string, task: TaskPage): Promise<void> {
    await this.row(taskId).click();
    await task.waitOpen({ id: taskId });
  }

  /** The task ids the list shows, top to bottom (all fit on screen for the demo). */
  async visibleTaskIds(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-task-id') ?? ''));
  }
}

/** The queue screen once it is ready, and the task screen it opens tasks into. */
export const queueScreen = async (page: Page): Promise<{ queue: QueuePage; task: TaskPage }> => {
  const queue = new QueuePage(page);
  await queue.waitReady();
  return { queue, task: new TaskPage(page) };
};
