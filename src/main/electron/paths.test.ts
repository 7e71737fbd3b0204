import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronNativeBinding, shellPaths } from './paths';

describe('shell paths', () => {
  it('passes the Electron build of better-sqlite3 only when it exists', () => {
    const p = shellPaths('/app').nativeBinding;
    expect(p).toBe(join('/app', '.native', 'electron', 'better_sqlite3.node'));
    expect(electronNativeBinding('/app', (f) => f === p)).toBe(p);
    expect(electronNativeBinding('/app', () => false)).toBeUndefined();
  });
});
