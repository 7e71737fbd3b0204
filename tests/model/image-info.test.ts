import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withOrientation } from '../db/helpers';
import { readImageInfo } from '../../src/shared/model/image-info';

const HUBBLE = path.resolve(__dirname, '../../resources/demo/images/hubble_deep_field.jpg');

describe('readImageInfo', () => {
  const bytes = fs.readFileSync(HUBBLE);

  it('reads size and type', () => {
    expect(readImageInfo(bytes, 'hubble')).toEqual({ width: 1000, height: 872, mime: 'image/jpeg' });
    const png = fs.readFileSync(path.join(path.dirname(HUBBLE), 'chelsea.png'));
    expect(readImageInfo(png, 'chelsea')).toEqual({ width: 451, height: 300, mime: 'image/png' });
  });

  it('swaps width and height for EXIF orientations 5–8 (browsers display them turned)', () => {
    for (const o of [5, 6, 7, 8]) {
      expect(readImageInfo(withOrientation(bytes, o), `o${o}`), `orientation ${o}`).toEqual({
        width: 872,
        height: 1000,
        mime: 'image/jpeg',
      });
    }
    for (const o of [1, 2, 3, 4]) {
      expect(readImageInfo(withOrientation(bytes, o), `o${o}`)).toMatchObject({ width: 1000, height: 872 });
    }
  });

  it('names the file when the bytes are not an image', () => {
    expect(() => readImageInfo(Buffer.from('not an image at all'), 'notes.txt')).toThrow(/notes\.txt/);
  });
});
