import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportOptions, type ExportRecord, type ExportSink, type SinkChunk } from '../../src/shared/export';
import { chunkText } from '../../src/shared/export/test-helpers';
import { exportContext, exportPagesOf } from '../../src/hub/export/export';
import { formatThreadSource, writeRecordsInThread } from '../../src/hub/export/format-thread';
import { storagePages } from '../../src/hub/export/records';
import { type RecordsRun, writeRecords } from '../../src/hub/export/write-records';
import { box, catDogConfig, hubWith, imageTask } from './fixture';

/** Everything a writer sent, in order: file pieces and the images it listed. */
class MemorySink implements ExportSink {
  readonly events: string[] = [];
  async write(c: SinkChunk): Promise<void> {
    this.events.push(`${c.file}${c.last ? ' (last)' : ''}\n${chunkText(c)}`);
  }
  async image(r: ExportRecord): Promise<void> {
    this.events.push(`image ${r.sourceId} ${r.split ?? ''}`);
  }
}

describe('export format thread', () => {
  let hub: Awaited<ReturnType<typeof hubWith>>;
  beforeAll(async () => {
    hub = await hubWith({
      kind: 'image',
      labelConfig: catDogConfig,
      tasks: [
        {
          ...imageTask('a.png', 100, 50),
          submissions: [{ results: [box('1', 'cat')] }, { annotator: 'bob', results: [box('2', 'dog', 9)] }],
        },
        imageTask('b.png', 10, 10, [
          {
            type: 'polygon',
            id: 'p',
            label: 'dog',
            points: [
              [1, 1],
              [5, 1],
              [3, 4],
            ],
            attributes: { a: 'x' },
          },
        ]),
        imageTask('c.png', 10, 10),
        ...Array.from({ length: 700 }, (_, i) =>
          imageTask(`n${i}.png`, 20, 20, [
            box(`x${i}`, i % 4 ? 'cat' : 'dog', (i % 7) + 0.25),
            box(`y${i}`, 'dog'),
          ]),
        ),
      ],
    });
  });
  afterAll(() => hub.remove());

  const recordsRun = async (
    options: unknown,
    sink: ExportSink,
    signal?: AbortSignal,
  ): Promise<RecordsRun> => {
    const o = ExportOptions.parse(options);
    return {
      pages: storagePages(hub.storage, hub.projectId, 50),
      options: o,
      ctx: await exportContext(hub.storage, hub.projectId, o, 0),
      sink,
      signal,
      total: 703,
    };
  };

  it('is built from the TypeScript source when the hub runs from it', () => {
    expect(formatThreadSource()).toContain('writeRecords');
  });

  it('sends the same pieces and images, in the same order, as the exporting thread', async () => {
    const source = formatThreadSource()!;
    let events = 0;
    for (const options of [
      { format: 'coco', images: 'copy', split: [0.6, 0.2, 0.2], seed: 2 },
      { format: 'yolo-detect' },
      { format: 'yolo-segment', version: 'submitted', labels: ['dog'] },
      { format: 'voc', annotators: ['bob'] },
      { format: 'jsonl', version: 'consensus' },
    ]) {
      const inline = new MemorySink();
      const a = await writeRecords(await recordsRun(options, inline));
      const threaded = new MemorySink();
      const progress: number[] = [];
      const run = await recordsRun(options, threaded);
      const b = await writeRecordsInThread({ ...run, onProgress: (p) => progress.push(p.records) }, source);
      expect(b).toEqual(a);
      expect(threaded.events).toEqual(inline.events);
      expect(progress.at(-1)).toBe(a.records);
      events += threaded.events.length;
    }
    expect(events).toBeGreaterThan(1400);
  });

  it('names the task of a stored row that fails, and stops its thread', async () => {
    await hub.storage.db.run(
      "INSERT INTO submissions (id, task_id, project_id, user_id, lease_epoch, annotation, conflict, superseded, received_at) VALUES ('bad', 'proj:c.png', 'proj', 'u-ann', 0, ?, 0, 0, ?)",
      ['{"results":[{"type":"nope"}]}', Date.now()],
    );
    try {
      const run = await recordsRun({ format: 'coco' }, new MemorySink());
      await expect(writeRecordsInThread(run, formatThreadSource()!)).rejects.toThrow(
        /task proj:c\.png, submission by ann: stored annotation: value: results must be a list/,
      );
    } finally {
      await hub.storage.db.run("DELETE FROM submissions WHERE id = 'bad'");
    }
  });

  it('passes on a failure to read the pages', async () => {
    const run = await recordsRun({ format: 'coco' }, new MemorySink());
    const failing: RecordsRun['pages'] = () => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('disk on fire')) }),
    });
    await expect(writeRecordsInThread({ ...run, pages: failing }, formatThreadSource()!)).rejects.toThrow(
      'disk on fire',
    );
  });

  it('stops with ExportCancelled when the export is cancelled midway', async () => {
    const ctl = new AbortController();
    const sink = new MemorySink();
    const write = sink.write.bind(sink);
    sink.write = async (c) => {
      await write(c);
      ctl.abort();
    };
    const run = await recordsRun({ format: 'yolo-detect' }, sink, ctl.signal);
    await expect(writeRecordsInThread(run, formatThreadSource()!)).rejects.toThrow(/cancelled/);
    expect(sink.events.length).toBeLessThan(700);
  });

  it('reads through the export page source the hub picks', () => {
    expect(exportPagesOf(hub.storage, hub.dataDir, hub.projectId)).toBeTypeOf('function');
  });
});
