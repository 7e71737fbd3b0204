import type { SafeStorage } from 'electron';

export type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

export interface SecretStatus {
  /** Whether tokens can be encrypted at all. */
  available: boolean;
  /** Linux: which keyring safeStorage chose; null elsewhere. */
  backend: string | null;
  /** A sentence for the settings screen when the protection is weak or missing; null when fine. */
  warning: string | null;
}

/**
 * Hub tokens at rest, encrypted with the OS keychain through `safeStorage`. On Linux without a
 * keyring Electron falls back to `basic_text` (a hard-coded key): that is obfuscation, not
 * protection, and the user is told so.
 */
export const createSecretBox = (safeStorage: SafeStorageLike, platform: string) => {
  const status = (): SecretStatus => {
    const available = safeStorage.isEncryptionAvailable();
    const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null;
    if (!available) {
      return {
        available,
        backend,
        warning:
          'No OS keychain is available: the hub token cannot be stored encrypted and must be entered each session.',
      };
    }
    if (backend === 'basic_text') {
      return {
        available,
        backend,
        warning:
          'No keyring (GNOME Keyring / KWallet) was found: the hub token is stored with a fixed key and anyone with this account can read it.',
      };
    }
    return { available, backend, warning: null };
  };
  return {
    status,
    /** Base64 ciphertext, or null when encryption is unavailable (never a plaintext fallback). */
    seal(secret: string): string | null {
      if (!safeStorage.isEncryptionAvailable()) return null;
      return safeStorage.encryptString(secret).toString('base64');
    },
    open(sealed: string): string {
      return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    },
  };
};
export type SecretBox = ReturnType<typeof createSecretBox>;
