import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { copyFile, link, symlink, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { ExportContext, ExportRecord, ExportSink, ImagesMode, SinkChunk } from '../../shared/export';
import { imagePath } from '../../shared/export';
import { FileThreads } from './file-thread';

/** Whole small files written at once through libuv (no file threads), at most this many in flight. */
const FILES_IN_FLIGHT = 4;
/** Whole files written straight away before the file threads start (a small export needs none). */
const FILES_BEFORE_THREADS = 64;

/**
 * Writes an export's pieces into a (temporary) folder. Pieces of a long file (64 KiB each) are
 * written synchronously. Whole small files (a YOLO label: 100,000 of them in a big export) go
 * to `fileThreads` threads in batches (file-thread.ts: creating a file is kernel work that then
 * runs beside this thread's formatting), the first few written at once; with no file threads,
 * through libuv, up to FILES_IN_FLIGHT at once. `settle()` waits for them (and throws the first
 * failure).
 * Images are copied or linked from the content-addressed store, or only listed for the zip
 * (`zipImages`), which then reads them straight from the store.
 */
export class FolderSink implements ExportSink {
  private readonly open = new Map<string, number>();
  private readonly dirs = new Set<string>();
  private readonly seenImages = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private failure: unknown;
  private readonly threads: FileThreads | undefined;
  private wholeFiles = 0;
  /** In zip mode: [store path, path in the archive]. */
  readonly zipImages: [string, string][] = [];

  constructor(
    readonly root: string,
    private readonly ctx: ExportContext,
    private readonly images: ImagesMode,
    private readonly assetFile: (sha256: string) => string,
    fileThreads = 1,
  ) {
    this.threads = fileThreads > 0 ? new FileThreads(fileThreads) : undefined;
    if (images !== 'none') this.image = (r) => this.takeImage(r);
  }

  readonly image?: (r: ExportRecord) => Promise<void>;

  private pathOf(file: string): string {
    const p = resolve(this.root, file);
    if (!p.startsWith(this.root + sep)) throw new Error(`export file ${file} is outside the export folder`);
    return p;
  }

  private ensureDir(dir: string): void {
    if (this.dirs.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.dirs.add(dir);
  }

  async write(c: SinkChunk): Promise<void> {
    const path = this.pathOf(c.file);
    let fd = this.open.get(path);
    if (this.failure !== undefined) throw this.failure;
    if (fd === undefined && c.last) {
      this.ensureDir(dirname(path));
      if (this.threads && this.wholeFiles++ >= FILES_BEFORE_THREADS) return this.threads.add(path, c.text);
      if (this.threads) return writeFileSync(path, c.text);
      const p: Promise<void> = writeFile(path, c.text).then(
        () => void this.pending.delete(p),
        (e: unknown) => {
          this.pending.delete(p);
          this.failure ??= e;
        },
      );
      this.pending.add(p);
      if (this.pending.size >= FILES_IN_FLIGHT) await Promise.race(this.pending);
      return;
    }
    if (fd === undefined) {
      this.ensureDir(dirname(path));
      fd = openSync(path, 'w');
      this.open.set(path, fd);
    }
    if (typeof c.text === 'string') writeSync(fd, c.text);
    else writeSync(fd, c.text);
    if (c.last) {
      closeSync(fd);
      this.open.delete(path);
    }
  }

  private async takeImage(r: ExportRecord): Promise<void> {
    if (r.data.kind !== 'image') return;
    const rel = imagePath(r, this.ctx);
    if (this.seenImages.has(rel)) return;
    this.seenImages.add(rel);
    const src = this.assetFile(r.data.image.sha256);
    if (this.images === 'zip') {
      this.zipImages.push([src, rel]);
      return;
    }
    const dest = this.pathOf(rel);
    this.ensureDir(dirname(dest));
    if (this.images === 'copy') await copyFile(src, dest);
    else {
      // A symbolic link where allowed; Windows without the privilege gets a hard link.
      await symlink(src, dest).catch(async (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPERM') throw e;
        await link(src, dest);
      });
    }
  }

  /** Waits for the whole-file writes in flight; throws the first that failed. */
  async settle(): Promise<void> {
    await this.threads?.settle();
    while (this.pending.size) await Promise.all(this.pending);
    if (this.failure !== undefined) throw this.failure;
  }

  /**
   * Closes files left open and lets writes in flight land (after an error or a cancel, before
   * the folder is removed: a write landing later would leave a file behind).
   */
  async closeAll(): Promise<void> {
    for (const fd of this.open.values()) closeSync(fd);
    this.open.clear();
    await this.threads?.close();
    await this.settle().catch(() => undefined);
  }
}
