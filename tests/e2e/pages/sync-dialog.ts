import { expect, type Locator, type Page } from '@playwright/test';

/** The sync settings dialog (status bar sync item, or Ctrl+,). */
export class SyncDialog {
  readonly root: Locator;
  readonly message: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('sync-dialog');
    this.message = this.root.getByTestId('sync-message');
  }

  /** Fills the sign-in form and submits it. */
  async signIn(hubUrl: string, token: string): Promise<void> {
    await this.root.getByLabel('Hub address').fill(hubUrl);
    await this.root.getByLabel('Access token').fill(token);
    await this.root.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Signs in and waits for the hub to accept. */
  async signInOk(hubUrl: string, token: string): Promise<void> {
    await this.signIn(hubUrl, token);
    await expect(this.message).toHaveText('Signed in.');
  }
}
