import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileTokenStore, safeStorageTokenStore, type SafeStorageLike } from './token-store';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'token-store-'));
const fakeSafe = (backend: string, available = true): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => Buffer.from(s.split('').reverse().join('') + '#enc'),
  decryptString: (b) => b.toString().replace(/#enc$/, '').split('').reverse().join(''),
  getSelectedStorageBackend: () => backend,
});

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

  it('safeStorage store keeps only ciphertext on disk when a keyring is there', async () => {
    const dir = tmp();
    const s = safeStorageTokenStore(dir, fakeSafe('gnome_libsecret'));
    expect(s.warning).toBeNull();
    await s.save('secret-token');
    expect(fs.readFileSync(path.join(dir, 'hub-token.enc'), 'utf8')).not.toContain('secret-token');
    expect(await s.load()).toBe('secret-token');
  });

  it('warns and falls back to the plain file without a keyring (basic_text)', async () => {
    const s = safeStorageTokenStore(tmp(), fakeSafe('basic_text'));
    expect(s.warning).toMatch(/No OS keyring/);
    const t = safeStorageTokenStore(tmp(), fakeSafe('kwallet', false));
    expect(t.warning).toMatch(/No OS keyring/);
  });
});
