import { deflateSync } from 'node:zlib';

/**
 * A large PNG written without an image library, for the 100-megapixel tests and bench: coloured
 * 1000 px tiles (visible at any zoom) crossed by 1 px grid lines every 50 px and a 2 px line every
 * 500 px (only sharp when the editor decodes the region at full resolution). Rows repeat, so they
 * are stored with PNG's "Up" filter as zeros and deflate to a few MB in about a second.
 */
export const GRID = 50;
const TILE = 1000;

const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

const crc32 = (buf: Uint8Array): number => {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = crcTable[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

const chunk = (type: string, data: Uint8Array): Buffer => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};

/** The colour of a pixel before grid lines: a hue per 1000 px tile. */
const tileColour = (tx: number, ty: number): [number, number, number] => [
  60 + ((tx * 53 + ty * 17) % 160),
  60 + ((tx * 29 + ty * 71) % 160),
  60 + ((tx * 89 + ty * 41) % 160),
];

const isLine = (v: number): boolean => v % GRID === 0 || v % 500 === 1;

/** The pixel value at (x, y), so tests can check what the editor drew. */
export const pixelAt = (x: number, y: number): [number, number, number] =>
  isLine(x) || isLine(y) ? [20, 20, 20] : tileColour(Math.floor(x / TILE), Math.floor(y / TILE));

/** An RGB PNG of width × height (10000 × 10000 = 100 MP in ~1–2 s). */
export const makeBigPng = (width: number, height: number): Buffer => {
  const stride = 1 + width * 3;
  const raw = Buffer.alloc(stride * height); // zeros: an "Up" row equal to the row above
  const rowFor = (y: number): Buffer => {
    const row = Buffer.alloc(width * 3);
    for (let x = 0; x < width; x++) row.set(pixelAt(x, y), x * 3);
    return row;
  };
  let prevKey = '';
  for (let y = 0; y < height; y++) {
    const key = isLine(y) ? 'line' : `t${Math.floor(y / TILE)}`;
    const off = y * stride;
    if (key === prevKey) raw[off] = 2;
    else {
      raw[off] = 0;
      rowFor(y).copy(raw, off + 1);
    }
    prevKey = key;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 1 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
};
