import { afterEach } from 'vitest';
import type { SqlDriver } from '../../src/hub/storage/driver';
import type { OpenUnmigrated } from './helpers';

/**
 * For an upgrade test's describe block: `const db = await fresh(open)` opens an unmigrated
 * database for the test, closed and dropped after it. Apart from helpers.ts, which Playwright
 * fixtures import too (vitest cannot load there).
 */
export const freshDatabases = (): ((open: OpenUnmigrated) => Promise<SqlDriver>) => {
  let opened: Awaited<ReturnType<OpenUnmigrated>> | undefined;
  afterEach(async () => {
    await opened?.db.close();
    await opened?.drop();
    opened = undefined;
  });
  return async (open) => {
    opened = await open();
    return opened.db;
  };
};
