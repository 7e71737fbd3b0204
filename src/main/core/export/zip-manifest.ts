import { z } from 'zod';
import yauzl from 'yauzl';
import { MANIFEST_FILE } from '../../../shared/export';

const Manifest = z.object({ records: z.number().int().nonnegative() });

/** The manifest is small; anything bigger is not ours. */
const MAX_MANIFEST_BYTES = 1 << 20;

/**
 * The number of task versions an export zip's `outrigger-export.json` names, read with yauzl
 * (its central directory, so a zip cut short does not open). Rejects when the zip or the
 * manifest is missing or malformed.
 */
export const zipManifestRecords = (file: string): Promise<number> =>
  new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error(`${file}: not a zip`));
      const fail = (e: Error) => {
        zip.close();
        reject(e);
      };
      zip.on('error', fail);
      zip.on('end', () => reject(new Error(`${file}: no ${MANIFEST_FILE} in the zip`)));
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName !== MANIFEST_FILE) return zip.readEntry();
        if (e.uncompressedSize > MAX_MANIFEST_BYTES)
          return fail(new Error(`${file}: ${MANIFEST_FILE} is too large`));
        zip.openReadStream(e, (err2, s) => {
          if (err2 || !s) return fail(err2 ?? new Error(`${file}: ${MANIFEST_FILE} cannot be read`));
          const parts: Buffer[] = [];
          s.on('data', (c: Buffer) => parts.push(c));
          s.on('error', fail);
          s.on('end', () => {
            zip.close();
            try {
              resolve(Manifest.parse(JSON.parse(Buffer.concat(parts).toString('utf8'))).records);
            } catch (e3) {
              reject(new Error(`${file}: ${MANIFEST_FILE}: ${(e3 as Error).message}`));
            }
          });
        });
      });
      zip.readEntry();
    });
  });
