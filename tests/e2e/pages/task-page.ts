import { expect, type Locator, type Page } from '@playwright/test';

/** The task screen: header, editor area, side panel with the class palette. */
export class TaskPage {
  readonly root: Locator;
  /** Where the task's editor draws (whichever editor the registry picks). */
  readonly editorArea: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('task-screen');
    this.editorArea = this.root.getByTestId('editor-area');
  }

  async taskId(): Promise<string> {
    const id = await this.root.getAttribute('data-task-id');
    if (!id) throw new Error('no task is open');
    return id;
  }

  /** Waits for an open, idle task screen (optionally a task other than `notId`) and returns its id. */
  async waitOpen(opts: { notId?: string; id?: string } = {}): Promise<string> {
    await expect(this.root).toBeVisible();
    if (opts.notId) await expect(this.root).not.toHaveAttribute('data-task-id', opts.notId);
    if (opts.id) await expect(this.root).toHaveAttribute('data-task-id', opts.id);
    await expect(this.root).toHaveAttribute('data-state', 'ready');
    return this.taskId();
  }

  /** Waits until the image is on screen (decoded), so screenshots and hotkeys see the real thing. */
  async waitImageLoaded(): Promise<void> {
    await expect(this.root.locator('.image-stage')).toHaveAttribute('data-state', 'loaded');
  }

  classOption(label: string): Locator {
    return this.root.locator(`[data-testid="class-option"][data-label="${label}"]`);
  }

  /**
   * The labels whose option is pressed in the side panel, once the panel is in (a cold image open
   * mounts it a few frames after the image: canvas-settle.ts).
   */
  async chosenClasses(): Promise<string[]> {
    await expect(this.root.getByTestId('class-option').first()).toBeVisible();
    return this.root
      .locator('[data-testid="class-option"][aria-pressed="true"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-label') ?? ''));
  }

  status(): Locator {
    return this.root.getByTestId('task-status');
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** Presses a key that moves to another task and waits for it; returns the new task id. */
  async pressAndMove(key: string): Promise<string> {
    const from = await this.taskId();
    await this.page.keyboard.press(key);
    return this.waitOpen({ notId: from });
  }
}
