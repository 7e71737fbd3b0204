import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileTokenStore, memoryTokenStore } from './token-store';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'token-store-'));

describe('token stores', () => {
  it('file store: owner-only file, round trip, clear, and a warning', async () => {
    const dir = tmp();
    const s = fileTokenStore(dir);
    expect(await s.load()).toBeNull();
    await s.save('tok-123');
    expect(await s.load()).toBe('tok-123');
    expect(fs.statSync(path.join(dir, 'hub-token')).mode & 0o777).toBe(0o600);
    expect(s.warning).toMatch(/unencrypted/);
    await s.clear();
    expect(await s.load()).toBeNull();
  });

  it('memory store: round trip and clear, nothing on disk', async () => {
    const s = memoryTokenStore();
    await s.save('tok');
    expect(await s.load()).toBe('tok');
    await s.clear();
    expect(await s.load()).toBeNull();
    expect(s.warning).toBeNull();
  });
});
