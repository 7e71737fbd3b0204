/**
 * Decode worker, one per window and kept warm (decoder.ts): holds the files of the images open or
 * prepared (Blobs, by key) and answers decode requests with transferred ImageBitmaps. `open`
 * replies with the bitmap to show first; the mip and the copy for the fitted view are separate
 * requests made after it, so nothing smaller is ever built before the person sees the image. A failed decode answers with its message.
 */
import { decodeFit, decodeImage, decodeMip, decodeRegion } from './decode';
import type { Rect } from './detail-plan';

type Natural = { width: number; height: number };

export type DecodeRequest =
  | { id: number; kind: 'open'; key: number; blob: Blob; natural: Natural; longSide: number }
  | { id: number; kind: 'fetch'; key: number; url: string; natural: Natural; longSide: number }
  | { id: number; kind: 'mip'; key: number; natural: Natural }
  | { id: number; kind: 'region'; key: number; rect: Rect; res: number }
  | { id: number; kind: 'fit'; key: number; size: Natural }
  | { id: number; kind: 'close'; key: number };

export type DecodeReply =
  | { id: number; ok: true; full: ImageBitmap | null; reduced: ImageBitmap | null; reducedRes: number }
  | { id: number; ok: true; region: ImageBitmap }
  | { id: number; ok: true; closed: true }
  | { id: number; ok: false; error: string; unreachable?: boolean };

interface WorkerScope {
  onmessage: ((e: MessageEvent<DecodeRequest>) => void) | null;
  postMessage(message: DecodeReply, transfer: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

const files = new Map<number, Blob>();
const fileOf = (key: number): Blob => {
  const f = files.get(key);
  if (!f) throw new Error('no image is open');
  return f;
};

scope.onmessage = (e) => {
  const m = e.data;
  void (async () => {
    try {
      if (m.kind === 'open' || m.kind === 'fetch') {
        let blob: Blob;
        if (m.kind === 'fetch') {
          // Fetched here, so the download and the decode both go on while the page mounts.
          let res: Response;
          try {
            res = await fetch(m.url);
          } catch (err) {
            // Not reachable from a worker (a scheme only the page may load): the page fetches it.
            const error = err instanceof Error ? err.message : String(err);
            scope.postMessage({ id: m.id, ok: false, error, unreachable: true }, []);
            return;
          }
          if (!res.ok) throw new Error(`image request failed: HTTP ${res.status}`);
          blob = await res.blob();
        } else blob = m.blob;
        files.set(m.key, blob);
        const d = await decodeImage(blob, m.natural, m.longSide);
        const t = [d.full, d.reduced].filter((b): b is ImageBitmap => !!b);
        scope.postMessage({ id: m.id, ok: true, ...d }, t);
      } else if (m.kind === 'mip') {
        const d = await decodeMip(fileOf(m.key), m.natural);
        scope.postMessage({ id: m.id, ok: true, full: null, ...d }, [d.reduced]);
      } else if (m.kind === 'region') {
        const region = await decodeRegion(fileOf(m.key), m.rect, m.res);
        scope.postMessage({ id: m.id, ok: true, region }, [region]);
      } else if (m.kind === 'fit') {
        const region = await decodeFit(fileOf(m.key), m.size);
        scope.postMessage({ id: m.id, ok: true, region }, [region]);
      } else if (m.kind === 'close') {
        files.delete(m.key);
        scope.postMessage({ id: m.id, ok: true, closed: true }, []);
      }
    } catch (err) {
      scope.postMessage({ id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) }, []);
    }
  })();
};
