import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretBox, safeStorageTokenStore, type SafeStorageLike } from './secrets';

const storage = (
  available: boolean,
  backend: ReturnType<SafeStorageLike['getSelectedStorageBackend']>,
): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => Buffer.from([...s].reverse().join('')),
  decryptString: (b) => [...b.toString()].reverse().join(''),
  getSelectedStorageBackend: () => backend,
});

describe('secret box', () => {
  it('round-trips a token through safeStorage', () => {
    const box = createSecretBox(storage(true, 'gnome_libsecret'), 'linux');
    const sealed = box.seal('hub-token');
    expect(sealed).not.toContain('hub-token');
    expect(box.open(sealed ?? '')).toBe('hub-token');
    expect(box.status()).toEqual({ available: true, backend: 'gnome_libsecret', warning: null });
  });

  it('warns when Linux has no keyring (basic_text)', () => {
    expect(createSecretBox(storage(true, 'basic_text'), 'linux').status().warning).toMatch(/No keyring/);
  });

  it('refuses to store without encryption rather than store plaintext', () => {
    const box = createSecretBox(storage(false, 'unknown'), 'win32');
    expect(box.seal('hub-token')).toBeNull();
    expect(box.status()).toMatchObject({ available: false, backend: null });
    expect(box.status().warning).toBeTruthy();
  });
});

describe('safeStorage token store', () => {
  it('writes only the sealed token, and reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outrigger-token-'));
    const store = safeStorageTokenStore(createSecretBox(storage(true, 'kwallet5'), 'linux'), dir);
    await store.save('hub-token');
    expect(readFileSync(join(dir, 'hub-token.sealed'), 'utf8')).not.toContain('hub-token');
    expect(await safeStorageTokenStore(createSecretBox(storage(true, 'kwallet5'), 'linux'), dir).load()).toBe(
      'hub-token',
    );
    await store.clear();
    expect(await store.load()).toBeNull();
    expect(store.warning).toBeNull();
  });

  it('writes the sealed token but warns when Linux has no keyring (basic_text)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outrigger-token-'));
    const store = safeStorageTokenStore(createSecretBox(storage(true, 'basic_text'), 'linux'), dir);
    await store.save('hub-token');
    expect(readFileSync(join(dir, 'hub-token.sealed'), 'utf8')).not.toContain('hub-token');
    expect(store.warning).toMatch(/fixed key/);
  });

  it('keeps the token in memory only when nothing can encrypt it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outrigger-token-'));
    const store = safeStorageTokenStore(createSecretBox(storage(false, 'unknown'), 'linux'), dir);
    await store.save('hub-token');
    expect(await store.load()).toBe('hub-token');
    expect(() => readFileSync(join(dir, 'hub-token.sealed'))).toThrow();
    expect(store.warning).toBeTruthy();
  });
});
