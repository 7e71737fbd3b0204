import { z } from 'zod';

/** Closed set of hub error codes, each with one HTTP status (see HUB_ERROR_STATUS). */
export const HubErrorCode = z.enum([
  'INVALID_INPUT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_ENCODING',
  'RANGE_NOT_SATISFIABLE',
  'VERSION_MISMATCH',
  'RATE_LIMITED',
  'INTERNAL',
]);
export type HubErrorCode = z.infer<typeof HubErrorCode>;

export const HUB_ERROR_STATUS: Record<HubErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_ENCODING: 415,
  RANGE_NOT_SATISFIABLE: 416,
  VERSION_MISMATCH: 400,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

/** Body of every non-2xx JSON answer. */
export const HubErrorBody = z.object({
  error: z.object({
    code: HubErrorCode,
    message: z.string(),
    /** For INVALID_INPUT: where the first problem is, e.g. "body.mutations.3.taskId". */
    field: z.string().optional(),
  }),
});
export type HubErrorBody = z.infer<typeof HubErrorBody>;
