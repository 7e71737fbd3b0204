import { describe, expect, it } from 'vitest';
import { MIN_LEASE_MS } from '../../shared/sync';
import { InputError } from '../admin/errors';
import { renewableLeaseHours } from './commands';

describe('hub CLI: lease times the workbench can renew (issue 16.6)', () => {
  it('refuses a lease shorter than the renewal interval, saying why and what to use', () => {
    expect(() => renewableLeaseHours(0.01)).toThrow(InputError);
    expect(() => renewableLeaseHours(0.01)).toThrow(
      /36 s \(0\.01 h\) is shorter than the lease renewal interval.*--lease-hours 0\.025 or more/,
    );
  });
  it('accepts the minimum and anything longer; no value means the config default', () => {
    expect(MIN_LEASE_MS).toBe(90_000);
    expect(renewableLeaseHours(0.025)).toBe(0.025);
    expect(renewableLeaseHours(72)).toBe(72);
    expect(renewableLeaseHours(undefined)).toBeUndefined();
  });
});
