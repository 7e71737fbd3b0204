import fs from 'node:fs';
import path from 'node:path';

/**
 * Where the hub token lives. The Electron shell backs this with `safeStorage`
 * (`safeStorageTokenStore` in src/main/electron/secrets.ts, which keeps core free of electron);
 * web and test modes use a file in the data folder and say so (`warning`).
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
