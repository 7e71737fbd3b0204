import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { copyFile, link, symlink } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { ExportContext, ExportRecord, ExportSink, ImagesMode, OutChunk } from '../../shared/export';
import { imagePath } from '../../shared/export';

/**
 * Writes an export's pieces into a (temporary) folder. Writes are synchronous: pieces are
 * 64 KiB or one small whole file (a YOLO label), where an async call per file costs more than
 * the write. Images are copied or linked from the content-addressed store, or only listed for
 * the zip (`zipImages`), which then reads them straight from the store.
 */
export class FolderSink implements ExportSink {
  private readonly open = new Map<string, number>();
  private readonly dirs = new Set<string>();
  private readonly seenImages = new Set<string>();
  /** In zip mode: [store path, path in the archive]. */
  readonly zipImages: [string, string][] = [];

  constructor(
    readonly root: string,
    private readonly ctx: ExportContext,
    private readonly images: ImagesMode,
    private readonly assetFile: (sha256: string) => string,
  ) {}

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

  async write(c: OutChunk): Promise<void> {
    const path = this.pathOf(c.file);
    let fd = this.open.get(path);
    if (fd === undefined && c.last) {
      this.ensureDir(dirname(path));
      writeFileSync(path, c.text);
      return;
    }
    if (fd === undefined) {
      this.ensureDir(dirname(path));
      fd = openSync(path, 'w');
      this.open.set(path, fd);
    }
    writeSync(fd, c.text);
    if (c.last) {
      closeSync(fd);
      this.open.delete(path);
    }
  }

  async image(r: ExportRecord): Promise<void> {
    if (this.images === 'none' || r.data.kind !== 'image') return;
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

  /** Closes files left open (after an error or a cancel; a finished writer closes its own). */
  closeAll(): void {
    for (const fd of this.open.values()) closeSync(fd);
    this.open.clear();
  }
}
