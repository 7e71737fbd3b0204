import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileThreads } from '../../src/hub/export/file-thread';
import { FolderSink } from '../../src/hub/export/folder-sink';
import { exportThreads, formatThreadFor } from '../../src/hub/export/knobs';
import { ctxOf } from '../../src/shared/export/test-helpers';

const root = mkdtempSync(join(tmpdir(), 'file-thread-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('export file threads', () => {
  it('writes every file of many batches, on one or two threads', async () => {
    for (const threads of [1, 2]) {
      const dir = join(root, `ok-${threads}`);
      mkdirSync(dir);
      const t = new FileThreads(threads);
      for (let i = 0; i < 1500; i++) await t.add(join(dir, `${i}.txt`), `file ${i}\n`);
      await t.settle();
      await t.close();
      expect(readdirSync(dir).length).toBe(1500);
      expect(readFileSync(join(dir, '1499.txt'), 'utf8')).toBe('file 1499\n');
    }
  });

  it('names a failed write, and close() still stops the thread', async () => {
    const t = new FileThreads(1);
    await t.add(join(root, 'missing', 'a.txt'), 'x');
    await expect(t.settle()).rejects.toThrow(/writing the export's files: .*ENOENT.*missing/);
    await t.close();
  });

  it('a folder sink puts whole files past the first few on its threads, all of them', async () => {
    const dir = join(root, 'sink');
    mkdirSync(dir);
    const sink = new FolderSink(dir, ctxOf('image', { tools: ['bbox'], labels: [] }), 'none', () => '', 1);
    for (let i = 0; i < 700; i++) await sink.write({ file: `labels/${i}.txt`, text: `${i}\n`, last: true });
    await sink.settle();
    await sink.closeAll();
    expect(readdirSync(join(dir, 'labels')).length).toBe(700);
    expect(readFileSync(join(dir, 'labels', '650.txt'), 'utf8')).toBe('650\n');
  });
});

describe('export thread knobs', () => {
  const quiet = () => ({ cores: 2, load1: 0.4 });
  const busy = () => ({ cores: 2, load1: 1.6 });
  it('default to no reader thread and one file thread; a bad value is named', () => {
    expect(exportThreads({}, quiet)).toEqual({
      readerThread: false,
      formatThreadMode: 'auto',
      formatThread: true,
      fileThreads: 1,
    });
    expect(
      exportThreads({ OUTRIGGER_EXPORT_READER: 'thread', OUTRIGGER_EXPORT_FILE_THREADS: '0' }, quiet),
    ).toMatchObject({ readerThread: true, fileThreads: 0 });
    expect(() => exportThreads({ OUTRIGGER_EXPORT_FILE_THREADS: 'many' })).toThrow(
      /OUTRIGGER_EXPORT_FILE_THREADS/,
    );
    expect(() => exportThreads({ OUTRIGGER_EXPORT_READER: 'yes' })).toThrow(/OUTRIGGER_EXPORT_READER/);
    expect(() => exportThreads({ OUTRIGGER_EXPORT_FORMAT_THREAD: 'yes' })).toThrow(
      /OUTRIGGER_EXPORT_FORMAT_THREAD/,
    );
  });

  it('starts the format thread on auto only when a core looks free; on and off are obeyed', () => {
    expect(exportThreads({}, busy).formatThread).toBe(false);
    expect(exportThreads({}, () => ({ cores: 2, load1: 1.2 })).formatThread).toBe(true);
    expect(exportThreads({}, () => ({ cores: 1, load1: 0 })).formatThread).toBe(false);
    expect(exportThreads({}, () => ({ cores: 8, load1: 5 })).formatThread).toBe(true);
    expect(exportThreads({ OUTRIGGER_EXPORT_FORMAT_THREAD: 'on' }, busy).formatThread).toBe(true);
    expect(exportThreads({ OUTRIGGER_EXPORT_FORMAT_THREAD: 'off' }, quiet).formatThread).toBe(false);
  });

  it('keeps a file-per-image format on one thread on auto, unless the thread is asked for', () => {
    const auto = exportThreads({}, quiet);
    expect(formatThreadFor(auto, 'coco')).toBe(true);
    expect(formatThreadFor(auto, 'conll')).toBe(true);
    for (const f of ['yolo-detect', 'yolo-segment', 'yolo-pose', 'yolo-obb', 'voc'] as const)
      expect(formatThreadFor(auto, f)).toBe(false);
    expect(
      formatThreadFor(exportThreads({ OUTRIGGER_EXPORT_FORMAT_THREAD: 'on' }, quiet), 'yolo-detect'),
    ).toBe(true);
    expect(formatThreadFor(exportThreads({}, busy), 'coco')).toBe(false);
  });
});
