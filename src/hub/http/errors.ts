import type { z } from 'zod';
import { HUB_ERROR_STATUS, type HubErrorBody, type HubErrorCode } from '../../shared/sync';

/** An error the hub answers with: a code from the closed set, a message, and maybe a field. */
export class HubError extends Error {
  constructor(
    readonly code: HubErrorCode,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HubError';
  }

  get status(): number {
    return HUB_ERROR_STATUS[this.code];
  }

  body(): HubErrorBody {
    return {
      error:
        this.field === undefined
          ? { code: this.code, message: this.message }
          : { code: this.code, message: this.message, field: this.field },
    };
  }
}

/** Parses outside input; the first problem becomes INVALID_INPUT naming its field. */
export const parseInput = <S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'params',
): z.infer<S> => {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = [where, ...(issue?.path ?? []).map(String)].join('.');
  throw new HubError('INVALID_INPUT', `${field}: ${issue?.message ?? 'invalid'}`, field);
};
