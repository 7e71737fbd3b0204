import type { z } from 'zod';
import type { ApiClient, Result } from '../../../../shared/contract';
import type { reviewEvents, reviewMethods } from '../../../../shared/contract';
import { showToast } from '../toast/toast-store';

/**
 * The review methods, typed from their contract table (`methods/review.ts`). The calls go through
 * the connection's one client; this only names their types for the review screens.
 */
type ReviewMethods = typeof reviewMethods;
export type ReviewMethod = keyof ReviewMethods;
export type ReviewInput<M extends ReviewMethod> = z.input<ReviewMethods[M]['input']>;
export type ReviewOutput<M extends ReviewMethod> = z.output<ReviewMethods[M]['output']>;
type ReviewEvent = keyof typeof reviewEvents;

type Untyped = {
  call(method: string, input: unknown): Promise<Result<unknown>>;
  on(event: string, handler: (payload: unknown) => void): () => void;
};

export const reviewCall = <M extends ReviewMethod>(
  api: ApiClient,
  method: M,
  input: ReviewInput<M>,
): Promise<Result<ReviewOutput<M>>> =>
  (api as unknown as Untyped).call(method, input) as Promise<Result<ReviewOutput<M>>>;

/** As `callOrToast`: the value, or `undefined` after the error is shown in a toast. */
export const reviewOrToast = async <M extends ReviewMethod>(
  api: ApiClient,
  method: M,
  input: ReviewInput<M>,
): Promise<ReviewOutput<M> | undefined> => {
  const r = await reviewCall(api, method, input);
  if (r.ok) return r.value;
  showToast(`${method}: ${r.error.message}${r.error.path ? ` (${r.error.path})` : ''}`, 'error');
  return undefined;
};

export const onReview = <E extends ReviewEvent>(
  api: ApiClient,
  event: E,
  handler: (payload: z.output<(typeof reviewEvents)[E]>) => void,
): (() => void) => (api as unknown as Untyped).on(event, handler as (p: unknown) => void);
