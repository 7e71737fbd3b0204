import fs from 'node:fs';
import path from 'node:path';

/**
 * Where the hub token lives. The Electron shell backs this with `safeStorage`; web and test
 * modes use a file in the data folder and say so (`warning`).
 */
export interface TokenStore {
  load(): Promise<string | null>;
  save(token: string): Promise<void>;
  clear(): Promise<void>;
  /** Non-null when the token is not protected by an OS keyring. */
  readonly warning: string | null;
}

export const memoryTokenStore = (warning: string | null = null): TokenStore => {
  let token: string | null = null;
  return {
    warning,
    load: async () => token,
    save: async (t) => {
      token = t;
    },
    clear: async () => {
      token = null;
    },
  };
};

/** A file readable by the owner only; plain text, hence the warning. */
export const fileTokenStore = (dataDir: string): TokenStore => {
  const file = path.join(dataDir, 'hub-token');
  return {
    warning: `The hub token is stored unencrypted in ${file} (no OS keyring in this mode).`,
    async load() {
      try {
        const t = fs.readFileSync(file, 'utf8').trim();
        return t || null;
      } catch {
        return null;
      }
    },
    async save(token) {
      fs.mkdirSync(dataDir, { recursive: true });
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, token, { mode: 0o600 });
      fs.renameSync(tmp, file);
    },
    async clear() {
      fs.rmSync(file, { force: true });
    },
  };
};

/** The part of Electron's `safeStorage` we use (passed in by the shell; core never imports electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no keyring, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

/**
 * The token encrypted with the OS keyring through Electron's `safeStorage`. Where the OS offers
 * none (Linux without a keyring: backend 'basic_text', or encryption unavailable) it falls back
 * to the plain file and says so in `warning`.
 */
export const safeStorageTokenStore = (dataDir: string, safe: SafeStorageLike): TokenStore => {
  const protectedByOs = safe.isEncryptionAvailable() && safe.getSelectedStorageBackend?.() !== 'basic_text';
  if (!protectedByOs) {
    const plain = fileTokenStore(dataDir);
    return { ...plain, warning: `No OS keyring is available: ${plain.warning ?? ''}` };
  }
  const file = path.join(dataDir, 'hub-token.enc');
  return {
    warning: null,
    async load() {
      try {
        return safe.decryptString(fs.readFileSync(file)) || null;
      } catch {
        return null;
      }
    },
    async save(token) {
      fs.mkdirSync(dataDir, { recursive: true });
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, safe.encryptString(token), { mode: 0o600 });
      fs.renameSync(tmp, file);
    },
    async clear() {
      fs.rmSync(file, { force: true });
    },
  };
};
