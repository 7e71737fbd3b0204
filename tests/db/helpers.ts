import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/main/core/db';
import { QueueService } from '../../src/main/core/queue';
import type { NewTask } from '../../src/main/core/queue';
import type { Project } from '../../src/shared/model';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const RESOURCES_DIR = path.join(REPO_ROOT, 'resources');

/** A fresh temp folder, removed by the returned cleanup. */
export const tempDir = (prefix = 'outrigger-db-'): { dir: string; cleanup: () => void } => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
};

/** A clock the test moves by hand. */
export const manualClock = (start = Date.UTC(2026, 10, 28, 9, 0, 0)) => {
  let now = start;
  const clock = () => now;
  clock.set = (t: number) => (now = t);
  clock.advance = (ms: number) => (now += ms);
  return clock;
};

export const textProject = (id = 'p-text'): Project => ({
  id,
  name: `Project ${id}`,
  kind: 'text',
  labelConfig: {
    version: 1,
    tools: ['span', 'doc-class'],
    labels: [{ name: 'PER', color: '#ff0000', attributes: [] }],
    classes: [],
    relations: [],
    allowRotation: false,
    allowOverlappingSpans: true,
    rubric: [],
  },
  leaseHours: 72,
  overlap: 1,
});

export const textTask = (id: string, projectId = 'p-text', text = `Text of ${id}`): NewTask => ({
  task: { id, projectId, data: { kind: 'text', text, title: `Title ${id}` }, predictions: [], meta: {} },
  title: `Title ${id}`,
});

/** A database with one text project and `n` queued tasks t1..tn. */
export const openQueue = (
  file: string,
  n: number,
  clock: () => number = manualClock(),
): { db: Db; queue: QueueService } => {
  const db = openDatabase(file);
  const queue = new QueueService(db, { clock, startOfDay: (t) => t - (t % 86_400_000) });
  if (n > 0) {
    queue.addProjectsAndTasks(
      [textProject()],
      Array.from({ length: n }, (_, i) => textTask(`t${i + 1}`)),
    );
  }
  return { db, queue };
};

export const annotation = (activeMs = 0, label = 'PER') => ({
  results: [{ type: 'doc-class' as const, id: 'r1', group: 'g', labels: [label] }],
  activeMs,
});

/** A copy of the JPEG with its EXIF Orientation (tag 0x0112, SHORT, count 1) set to `value`. */
export const withOrientation = (bytes: Buffer, value: number): Buffer => {
  const copy = Buffer.from(bytes);
  const entry = Buffer.from([0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00]); // little-endian IFD entry
  const at = copy.subarray(0, 4096).indexOf(entry);
  if (at < 0) throw new Error('no little-endian Orientation entry in the first 4 KiB');
  copy.writeUInt16LE(value, at + 8);
  return copy;
};
