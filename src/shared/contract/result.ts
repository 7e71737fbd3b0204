import { z } from 'zod';

/** The closed set of error codes any call may answer with. */
export const ErrorCode = z.enum([
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'LEASE_EXPIRED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'UNKNOWN_METHOD',
  'OFFLINE',
  'VERSION_MISMATCH',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  /** For INVALID_INPUT: the zod issue paths, e.g. "annotation.results.0.x". */
  path: z.string().optional(),
  /**
   * Set when `message` is already in plain words (see problem-words.ts): the technical line
   * (request, socket error, hub answer) a person can expand.
   */
  detail: z.string().max(2000).optional(),
});
export type AppErrorShape = z.infer<typeof AppErrorShape>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

export const ResultEnvelope = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: AppErrorShape }),
]);

/** Services throw this; the dispatcher turns it into an error envelope. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly path?: string,
    /** The technical line when `message` is in plain words. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = (code: ErrorCode, message: string, path?: string): Result<never> => ({
  ok: false,
  error: path === undefined ? { code, message } : { code, message, path },
});
