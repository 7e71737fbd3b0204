import { createContext, useContext, type ReactNode } from 'react';
import {
  callErrorWords,
  type ApiClient,
  type Connection,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '../../../shared/contract';
import { showToast } from '../features/toast/toast-store';

const ConnectionContext = createContext<Connection | null>(null);

export function ConnectionProvider({ value, children }: { value: Connection; children: ReactNode }) {
  return <ConnectionContext.Provider value={value}>{children}</ConnectionContext.Provider>;
}

export const useConnection = (): Connection => {
  const c = useContext(ConnectionContext);
  if (!c) throw new Error('useConnection outside ConnectionProvider');
  return c;
};

/**
 * Calls a method and shows its error in a toast: the value on success, `undefined` on failure.
 * For callers that only need to know it failed; those that branch on the code use `api.call`.
 */
export const callOrToast = async <M extends MethodName>(
  api: ApiClient,
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M> | undefined> => {
  const r = await api.call(method, input);
  if (r.ok) return r.value;
  const { words, detail } = callErrorWords(method, r.error);
  showToast(words, 'error', detail ?? undefined);
  return undefined;
};
