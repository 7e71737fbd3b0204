import type { Transport } from '../../shared/contract/client';
import type { Dispatch, EventBus } from './dispatch';

/**
 * The in-process transport for tests and tools. Every value crosses a structured clone, as it
 * would over Electron IPC, so a test catches a non-serializable input or answer (a function, a
 * class with private state) before the shell does.
 */
export const createInProcessTransport = (core: {
  dispatch: Dispatch;
  events: Pick<EventBus, 'subscribe'>;
}): Transport => ({
  async invoke(method, input) {
    const result = await core.dispatch(method, structuredClone(input));
    return structuredClone(result);
  },
  subscribe(handler) {
    return core.events.subscribe((event, payload) => handler(event, structuredClone(payload)));
  },
});
