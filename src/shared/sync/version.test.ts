import { describe, expect, it } from 'vitest';
import { isCompatibleVersion, PROTOCOL_VERSION, protocolMajor } from './version';

describe('protocol version', () => {
  it('is compatible within a major version only', () => {
    expect(protocolMajor(PROTOCOL_VERSION)).toBe(1);
    expect(isCompatibleVersion('1.0')).toBe(true);
    expect(isCompatibleVersion('1.9')).toBe(true);
    expect(isCompatibleVersion('2.0')).toBe(false);
    expect(isCompatibleVersion('0.9')).toBe(false);
    expect(isCompatibleVersion('one')).toBe(false);
  });
});
