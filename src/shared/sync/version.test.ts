import { describe, expect, it } from 'vitest';
import {
  isCompatibleVersion,
  PROTOCOL_VERSION,
  protocolMajor,
  REVIEW_SINCE,
  unsupportedMutationKind,
} from './version';

describe('protocol version', () => {
  it('is compatible within a major version only', () => {
    expect(protocolMajor(PROTOCOL_VERSION)).toBe(1);
    expect(isCompatibleVersion('1.0')).toBe(true);
    expect(isCompatibleVersion('1.9')).toBe(true);
    expect(isCompatibleVersion('2.0')).toBe(false);
    expect(isCompatibleVersion('0.9')).toBe(false);
    expect(isCompatibleVersion('one')).toBe(false);
  });

  it('tells a client that an older hub cannot take verdicts, and lets the 1.0 kinds through', () => {
    expect(unsupportedMutationKind('1.0', 'review.accept')).toBe(
      `the hub speaks protocol 1.0; "review.accept" needs ${REVIEW_SINCE} or newer — update the hub`,
    );
    expect(unsupportedMutationKind('1.0', 'review.reject')).toBeDefined();
    expect(unsupportedMutationKind('1.0', 'submit')).toBeUndefined();
    expect(unsupportedMutationKind(REVIEW_SINCE, 'review.fix')).toBeUndefined();
    expect(unsupportedMutationKind(PROTOCOL_VERSION, 'review.fix')).toBeUndefined();
    expect(unsupportedMutationKind('2.0', 'submit')).toBeDefined();
    expect(unsupportedMutationKind('x', 'submit')).toMatch(/unreadable/);
    expect(unsupportedMutationKind(REVIEW_SINCE, 'review.maybe')).toMatch(/not a mutation kind/);
  });
});
