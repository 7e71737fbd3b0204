import { describe, expect, it } from 'vitest';
import { createSecretBox, type SafeStorageLike } from './secrets';

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
