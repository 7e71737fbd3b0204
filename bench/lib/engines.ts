import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStorage } from '../../src/hub';
import type { SqlStorage } from '../../src/hub/storage/sql-storage';
import { yardstick } from './measure';

type Run<R> = (storage: SqlStorage, engine: string) => Promise<R>;

/** Runs a hub bench on a fresh SQLite file (removed afterwards). */
export const onSqlite = async <R>(run: Run<R>): Promise<R> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-sqlite-'));
  const s = await openStorage({ dataDir: dir });
  try {
    return await run(s, 'SQLite (WAL, synchronous=FULL)');
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

/** Runs a hub bench on a fresh schema of the server at OUTRIGGER_PG_URL, else on PGlite. */
export const onPostgres = async <R>(run: Run<R>): Promise<R> => {
  const url = process.env.OUTRIGGER_PG_URL;
  if (!url) {
    const pg = await openStorage({ pglite: true });
    try {
      return await run(pg, 'PGlite in-process (no OUTRIGGER_PG_URL; not a real server)');
    } finally {
      await pg.close();
    }
  }
  const schema = `bench_${Date.now()}`;
  const pg = await openStorage({ pgUrl: url, schema });
  try {
    return await run(pg, 'PostgreSQL server (synchronous_commit=on)');
  } finally {
    await pg.db.exec(`DROP SCHEMA ${schema} CASCADE`);
    await pg.close();
  }
};

const load = (): number[] => os.loadavg().map((l) => Math.round(l * 10) / 10);

/** The machine as a bench found it: call at the start, and `.end(extra)` when done. */
export const machineAtStart = () => {
  const before = yardstick();
  const loadAtStart = load();
  return {
    end: (extra: Record<string, unknown>) => ({
      cores: os.cpus().length,
      node: process.version,
      loadAverageAtStart: loadAtStart,
      yardstickJsonParse10MBMs: { before, after: yardstick() },
      loadAverageAtEnd: load(),
      ...extra,
    }),
  };
};
