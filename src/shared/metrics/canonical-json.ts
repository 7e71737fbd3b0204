/**
 * Canonical JSON for hashing: the JSON Canonicalization Scheme (RFC 8785), which is what
 * ECMAScript's JSON.stringify already does for strings and numbers, with object keys sorted by
 * UTF-16 code units and no whitespace. Values JSON cannot say exactly (undefined inside arrays,
 * NaN, Infinity, bigint, functions, class instances such as Date) are refused rather than
 * silently turned into something else, so that two parties can never hash different bytes for
 * what they believe is the same record.
 */

export const canonicalJson = (value: unknown): string => {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value))
        return `[${value
          .map((v: unknown) => {
            if (v === undefined) throw new TypeError('canonical JSON has no undefined array element');
            return canonicalJson(v);
          })
          .join(',')}]`;
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null)
        throw new TypeError('canonical JSON takes plain objects only');
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON has no ${typeof value}`);
  }
};
