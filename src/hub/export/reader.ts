import { Worker } from 'node:worker_threads';
import {
  assembleExportPage,
  EXPORT_PAGE_TASKS,
  exportPagePlan,
  type ExportFilter,
  type ExportTaskRow,
} from '../storage/exporting';
import { ReaderReply, type ReaderStart } from './reader-messages';

/** Where an export's pages come from: the storage's own connection, or a reader thread. */
export type ExportPages = (filter: ExportFilter) => AsyncIterable<ExportTaskRow[]>;

/**
 * The reader thread: plain JavaScript that walks the plan's two statements (see
 * exportPagePlan) on its own read-only connection and posts each page's raw rows, at most
 * `ahead` pages before the exporting thread asks for more. Plain, so the thread loads only
 * better-sqlite3: under tsx a TypeScript entry loads the compiler again (about 100 MB).
 */
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
const { file, ahead, plan } = workerData.start;
let credit = ahead;
let wake;
parentPort.on('message', () => { credit++; if (wake) wake(); });
let db;
(async () => {
  db = new Database(file, { readonly: true, fileMustExist: true });
  const tasksStmt = db.prepare(plan.tasksSql);
  const subsStmt = db.prepare(plan.subsSql);
  const batches = plan.batches ? new Set(plan.batches) : undefined;
  let after = plan.firstAfter;
  for (;;) {
    while (credit <= 0) await new Promise((r) => (wake = r));
    const tasks = tasksStmt.all(after, ...plan.tasksTail);
    if (tasks.length === 0) break;
    after = String(tasks[tasks.length - 1].id);
    const ids = tasks.filter((t) => !batches || batches.has(String(t.batch))).map((t) => String(t.id));
    const subs = ids.length ? subsStmt.all(JSON.stringify(ids), ...plan.subsTail) : [];
    credit--;
    parentPort.postMessage({ type: 'page', tasks, subs });
  }
})().then(
  () => { db.close(); parentPort.postMessage({ type: 'end' }); parentPort.close(); },
  (e) => { if (db) db.close(); parentPort.postMessage({ type: 'error', message: String(e && e.message || e) }); parentPort.close(); },
);
`;

/**
 * Export pages read from a SQLite hub file on another thread: reading a million boxes' rows is
 * about a quarter of an export's work, and on its own connection it runs beside the parsing and
 * writing instead of before each page of it. The reader stays at most `ahead` pages in front,
 * so memory stays a few pages. The statements are the storage's own (exportPagePlan): one
 * owner of the export's SQL.
 */
export const readerPages =
  (file: string, projectId: string, pageSize = EXPORT_PAGE_TASKS, ahead = 4): ExportPages =>
  (filter) => ({
    async *[Symbol.asyncIterator]() {
      const start: ReaderStart = { file, ahead, plan: exportPagePlan('sqlite', projectId, pageSize, filter) };
      const worker = new Worker(READER, {
        eval: true,
        workerData: { start, sqlitePath: require.resolve('better-sqlite3') },
      });
      const inbox: ReaderReply[] = [];
      let wake: (() => void) | undefined;
      const deliver = (m: ReaderReply): void => {
        inbox.push(m);
        wake?.();
      };
      worker.on('message', (raw: unknown) => {
        const m = ReaderReply.safeParse(raw);
        deliver(m.success ? m.data : { type: 'error', message: 'unreadable message from the export reader' });
      });
      worker.on('error', (e: unknown) =>
        deliver({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
      );
      worker.on('exit', () => deliver({ type: 'error', message: 'the export reader stopped' }));
      try {
        for (;;) {
          while (inbox.length === 0) await new Promise<void>((r) => (wake = r));
          const m = inbox.shift()!;
          if (m.type === 'end') return;
          if (m.type === 'error') throw new Error(`reading the export: ${m.message}`);
          worker.postMessage('more');
          yield assembleExportPage(m.tasks, m.subs);
        }
      } finally {
        await worker.terminate();
      }
    },
  });
