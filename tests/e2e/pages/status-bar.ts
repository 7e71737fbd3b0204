import { type Locator, type Page } from '@playwright/test';

export class StatusBar {
  readonly root: Locator;
  readonly submittedToday: Locator;
  readonly themeToggle: Locator;
  readonly syncState: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('status-bar');
    this.submittedToday = this.root.getByTestId('submitted-today');
    this.themeToggle = this.root.getByTestId('theme-toggle');
    this.syncState = this.root.getByTestId('sync-state');
  }
}
