import { type z } from 'zod';
import {
  AppError,
  isMethodName,
  methods,
  type EventName,
  type EventPayload,
  type MethodName,
  type MethodOutput,
  type MethodParsedInput,
  type Result,
} from '../../shared/contract';

/** One function per contract method; services never see a transport. */
export type Handlers = {
  [M in MethodName]: (input: MethodParsedInput<M>) => Promise<MethodOutput<M>>;
};

/** The methods one workspace answers; `workspaces.*` belong to the manager above them. */
export type WorkspaceMethodName = Extract<MethodName, `workspaces.${string}`>;
export type WorkspaceHandlers = Omit<Handlers, WorkspaceMethodName>;

export type Dispatch = (method: string, input: unknown) => Promise<Result<unknown>>;

const formatZodPath = (error: z.ZodError): string =>
  error.issues.map((i) => i.path.map(String).join('.') || '(root)').join(', ');

export const formatZodError = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');

/**
 * The one dispatcher: looks the method up, parses its input with the contract's schema, calls the
 * service and wraps the answer in the Result envelope. Nothing thrown escapes.
 */
export const createDispatcher = (
  handlers: Handlers | WorkspaceHandlers,
  options: { onInternalError?: (method: string, error: unknown) => void } = {},
): Dispatch => {
  return async (method, input) => {
    if (!isMethodName(method)) {
      return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `unknown method "${method}"` } };
    }
    const parsed = methods[method].input.safeParse(input ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: formatZodError(parsed.error),
          path: formatZodPath(parsed.error),
        },
      };
    }
    const handler = (handlers as Partial<Handlers>)[method] as ((i: unknown) => Promise<unknown>) | undefined;
    if (!handler) {
      return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `"${method}" is not served here` } };
    }
    try {
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (e) {
      if (e instanceof AppError) {
        return {
          ok: false,
          error: {
            code: e.code,
            message: e.message,
            ...(e.path ? { path: e.path } : {}),
            ...(e.detail ? { detail: e.detail } : {}),
          },
        };
      }
      options.onInternalError?.(method, e);
      return { ok: false, error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } };
    }
  };
};

/** Events from services to every connected transport. */
export class EventBus {
  private readonly listeners = new Set<(event: string, payload: unknown) => void>();
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) l(event, payload);
  }
  subscribe(listener: (event: string, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
