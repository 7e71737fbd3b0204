import { lstatSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Whether web mode's static server may serve `pathName` (already decoded) under `root`: never a
 * dotfile or dot-folder, and never through a symbolic link (a link in the renderer folder must
 * not lead out of it). Missing files are allowed here and answered 404 by the server.
 */
export const staticPathAllowed = (pathName: string, root: string): boolean => {
  const parts = pathName.split('/').filter((p) => p !== '');
  if (parts.some((p) => p.startsWith('.') || p.includes('\\') || p.includes('\u0000'))) return false;
  let at = root;
  for (const part of parts) {
    at = join(at, part);
    try {
      if (lstatSync(at).isSymbolicLink()) return false;
    } catch {
      return true; // absent: nothing to follow
    }
  }
  return true;
};
