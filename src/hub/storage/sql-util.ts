/** `(?, ?, ?)` for an IN list of n values. */
export const placeholders = (n: number): string => `(${new Array<string>(n).fill('?').join(', ')})`;

/** `(?, ?), (?, ?)` for a multi-row VALUES list of `rows` rows of `cols` columns. */
export const valuesRows = (rows: number, cols: number): string => new Array<string>(rows).fill(placeholders(cols)).join(', ');

/** Splits into chunks small enough for both engines' bound-parameter limits. */
export const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export const HOUR_MS = 3_600_000;
