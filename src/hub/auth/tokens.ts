import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A bearer token: 32 random bytes, base64url, with a prefix secret scanners can spot. */
export const generateToken = (): string => `otr_${randomBytes(32).toString('base64url')}`;

/** Tokens are stored only as their sha256 (hex): a leaked database leaks no usable token. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Constant-time comparison of two hex hashes of equal length. */
export const hashesMatch = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
};
