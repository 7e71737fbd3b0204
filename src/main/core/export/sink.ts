import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, symlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import {
  imagePath,
  type ExportContext,
  type ExportRecord,
  type ExportSink,
  type ImagesMode,
  type SinkChunk,
} from '../../../shared/export';

/**
 * The workbench's side of an export: the writers' pieces into a (temporary) folder, images from
 * the workspace's asset store copied, linked, or listed for the zip made at the end. (The hub
 * has its own sink over its store; the two sides may not share Node code.)
 */
export class WorkspaceSink implements ExportSink {
  private readonly files = new Map<string, FileHandle>();
  private readonly images = new Map<string, string>();

  constructor(
    readonly root: string,
    private readonly ctx: ExportContext,
    private readonly mode: ImagesMode,
    private readonly assetPath: (sha256: string) => string | null,
  ) {
    if (mode !== 'none') this.image = (r) => this.takeImage(r);
  }

  readonly image?: (r: ExportRecord) => Promise<void>;

  private inside(file: string): string {
    const p = resolve(this.root, file);
    if (!p.startsWith(this.root + sep)) throw new Error(`export file ${file} is outside the export folder`);
    return p;
  }

  async write(c: SinkChunk): Promise<void> {
    const path = this.inside(c.file);
    let fh = this.files.get(path);
    if (!fh) {
      await mkdir(dirname(path), { recursive: true });
      fh = await open(path, 'w', 0o600);
      this.files.set(path, fh);
    }
    if (typeof c.text === 'string') await fh.write(c.text);
    else await fh.write(c.text);
    if (c.last) {
      this.files.delete(path);
      await fh.close();
    }
  }

  private async takeImage(r: ExportRecord): Promise<void> {
    if (r.data.kind !== 'image') return;
    const rel = imagePath(r, this.ctx);
    if (this.images.has(rel)) return;
    const src = this.assetPath(r.data.image.sha256);
    if (!src)
      throw new Error(`the image of task ${r.taskId} is not in this workspace (${r.data.image.sha256})`);
    this.images.set(rel, src);
    if (this.mode === 'zip') return;
    const dest = this.inside(rel);
    await mkdir(dirname(dest), { recursive: true });
    if (this.mode === 'copy') await copyFile(src, dest);
    else await symlink(src, dest);
  }

  /** Closes what is still open (after a failure or a cancel). */
  async close(): Promise<void> {
    const open = [...this.files.values()];
    this.files.clear();
    await Promise.all(open.map((f) => f.close().catch(() => undefined)));
  }

  /** Writes the folder and (zip mode) the listed images into one zip file. */
  async zipTo(file: string, signal?: AbortSignal): Promise<void> {
    const zip = new ZipFile();
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else zip.addFile(p, relative(this.root, p).split(sep).join('/'));
      }
    };
    await walk(this.root);
    for (const [rel, src] of this.images) if (this.mode === 'zip') zip.addFile(src, rel, { compress: false });
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(file, { mode: 0o600 }), { signal });
  }
}
