/** How deep an annotation may nest: a real one is about 6 levels (results → value → points → point). */
export const MAX_ANNOTATION_DEPTH = 32;
/** The most JSON text one annotation may store (a 5,000-box image is about 1 MB). */
export const MAX_ANNOTATION_CHARS = 8 * 1024 * 1024;

/**
 * The path of the first value nested deeper than `maxDepth` (objects and arrays count a level
 * each), or undefined. Walks with its own stack: a 100,000-deep value must not overflow ours,
 * which is what storing one used to do later, when the hub serialized it for a reviewer.
 */
export const tooDeepAt = (value: unknown, maxDepth: number): (string | number)[] | undefined => {
  interface Item {
    v: unknown;
    key: string | number;
    depth: number;
    parent: Item | undefined;
  }
  const stack: Item[] = [{ v: value, key: '', depth: 0, parent: undefined }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { v, depth } = item;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) {
      const path: (string | number)[] = [];
      for (let at: Item | undefined = item; at?.parent; at = at.parent) path.unshift(at.key);
      return path;
    }
    const parent = item;
    if (Array.isArray(v))
      v.forEach((c: unknown, i) => stack.push({ v: c, key: i, depth: depth + 1, parent }));
    else
      for (const k in v)
        stack.push({ v: (v as Record<string, unknown>)[k], key: k, depth: depth + 1, parent });
  }
  return undefined;
};
