import type { OutriggerBridge } from '../../../shared/contract/bridge';
import type { Transport } from '../../../shared/contract/client';

/** The Electron transport: the preload's bridge already speaks the contract's shape. */
export const createIpcTransport = (bridge: OutriggerBridge): Transport => ({
  invoke: (method, input) => bridge.invoke(method, input ?? {}),
  subscribe: (handler) => bridge.onEvent(handler),
});
