import { describe, expect, it } from 'vitest';
import { BRIDGE_EVENT_CHANNEL, BRIDGE_INVOKE_CHANNEL } from './bridge';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './api';

describe('bridge channel names', () => {
  it('match the contract', () => {
    expect(BRIDGE_INVOKE_CHANNEL).toBe(IPC_INVOKE_CHANNEL);
    expect(BRIDGE_EVENT_CHANNEL).toBe(IPC_EVENT_CHANNEL);
  });
});
