import { readFileSync } from 'node:fs';
import yauzl from 'yauzl';

/** Every entry of a zip (its bytes), by name; rejects on a damaged zip. */
export const zipEntries = (zip: Buffer | string): Promise<Map<string, Buffer>> => {
  const buf = typeof zip === 'string' ? readFileSync(zip) : zip;
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, z) => {
      if (err || !z) return reject(err ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      z.on('entry', (e: yauzl.Entry) => {
        z.openReadStream(e, (err2, s) => {
          if (err2 || !s) return reject(err2 ?? new Error('no entry stream'));
          const parts: Buffer[] = [];
          s.on('data', (c: Buffer) => parts.push(c));
          s.on('error', reject);
          s.on('end', () => {
            out.set(e.fileName, Buffer.concat(parts));
            z.readEntry();
          });
        });
      });
      z.on('end', () => resolve(out));
      z.on('error', reject);
      z.readEntry();
    }),
  );
};
