import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHub, hashToken, type HubStorage } from '../../src/hub';
import { defaultDecodeThreads } from '../../src/hub/push/decoder';
import type { SqlStorage } from '../../src/hub/storage/sql-storage';
import type { Role } from '../../src/shared/sync';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src/shared/sync';
import { LabelConfig, Task } from '../../src/shared/model';

/** What the hub benches (hub.ts, review.ts) share: the seed, the users, the hub over loopback. */

export const DECODE_THREADS = Number(process.env.BENCH_DECODE_THREADS ?? defaultDecodeThreads());

export const benchConfig = LabelConfig.parse({
  tools: ['bbox'],
  labels: [{ name: 'car', color: '#ff0000' }],
});

/** `n` short text tasks of a project (ten boxes each are pushed on them: the payload, not the kind, is timed). */
export const benchTasks = (projectId: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    task: Task.parse({
      id: `${projectId}:${i}`,
      projectId,
      data: { kind: 'text', text: `Task ${i}: a sentence to label, with a few words in it.` },
    }),
  }));

export const benchToken = (user: string): string => `bench-token-${user}-0123456789`;

/** A user with its bench token, granted `role` on `projectId`. */
export const addBenchUser = async (
  s: HubStorage,
  user: string,
  projectId: string,
  role: Role,
  now: number,
): Promise<void> => {
  await s.addUser({ id: user, name: user, tokenHash: hashToken(benchToken(user)) }, now);
  await s.grantRole(user, projectId, role);
};

/** The hub on `storage` over loopback, as `npm run hub -- serve` runs it (push bodies decoded beside the main thread). */
export const startBenchHub = async (storage: SqlStorage) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-assets-'));
  const hub = await createHub({ storage, dataDir, decodeThreads: DECODE_THREADS });
  const url = await hub.listen({ port: 0 });
  return {
    url,
    /** Request headers with `token`'s bearer and the protocol version. */
    headers: (token: string, extra: Record<string, string> = {}) => ({
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      [PROTOCOL_HEADER]: PROTOCOL_VERSION,
      ...extra,
    }),
    close: async () => {
      await hub.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
