import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import type { TokenStore } from '../core/sync/token-store';

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

/**
 * The sync engine's token store in Electron: the token sealed by safeStorage in a file of the
 * data folder. Where the OS offers no encryption the token is kept in memory only (signed in
 * for this session), never written in plain text.
 */
export const safeStorageTokenStore = (box: SecretBox, dataDir: string): TokenStore => {
  const file = join(dataDir, 'hub-token.sealed');
  let memory: string | null = null;
  return {
    get warning() {
      return box.status().warning;
    },
    async load() {
      if (memory !== null) return memory;
      try {
        const sealed = readFileSync(file, 'utf8').trim();
        return sealed ? box.open(sealed) : null;
      } catch {
        return null; // missing, or sealed by another OS account/keyring: sign in again
      }
    },
    async save(token) {
      const sealed = box.seal(token);
      if (sealed === null) {
        memory = token;
        return;
      }
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(`${file}.tmp`, sealed, { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    },
    async clear() {
      memory = null;
      rmSync(file, { force: true });
    },
  };
};
