/**
 * Decode worker: holds the image file (a Blob) and answers decode requests with transferred
 * ImageBitmaps. Messages are checked by shape; a failed decode answers with its message.
 */
import { decodeImage, decodeRegion } from './decode';
import type { Rect } from './detail-plan';

export type DecodeRequest =
  | { id: number; kind: 'open'; blob: Blob; natural: { width: number; height: number }; longSide: number }
  | { id: number; kind: 'region'; rect: Rect; res: number };

export type DecodeReply =
  | { id: number; ok: true; full: ImageBitmap | null; reduced: ImageBitmap | null; reducedRes: number }
  | { id: number; ok: true; region: ImageBitmap }
  | { id: number; ok: false; error: string };

interface WorkerScope {
  onmessage: ((e: MessageEvent<DecodeRequest>) => void) | null;
  postMessage(message: DecodeReply, transfer: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

let file: Blob | null = null;

scope.onmessage = (e) => {
  const m = e.data;
  void (async () => {
    try {
      if (m.kind === 'open') {
        file = m.blob;
        const d = await decodeImage(m.blob, m.natural, m.longSide);
        const t = [d.full, d.reduced].filter((b): b is ImageBitmap => !!b);
        scope.postMessage({ id: m.id, ok: true, ...d }, t);
      } else if (m.kind === 'region') {
        if (!file) throw new Error('no image is open');
        const region = await decodeRegion(file, m.rect, m.res);
        scope.postMessage({ id: m.id, ok: true, region }, [region]);
      }
    } catch (err) {
      scope.postMessage({ id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) }, []);
    }
  })();
};
