import { describe, expect, it } from 'vitest';
import { describeDelivery, type DeliveryRecord } from './delivery';

const rec = (over: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  fromHub: true,
  waiting: null,
  answer: null,
  ...over,
});
const answer = (
  kind: 'conflict' | 'rejected',
  mutationKind: 'submit' | 'skip' | 'release' = 'submit',
  resolution: 'discarded' | 'resubmitted' | null = null,
) => ({
  mutationId: 'm',
  kind,
  mutationKind,
  reason: kind === 'rejected' ? 'NOT_FOUND' : null,
  at: 1,
  resolution,
});

describe('describeDelivery (issue 16.2)', () => {
  it('maps each record to one state', () => {
    expect(describeDelivery(rec({ waiting: 'submit' }), 'submitted').state).toBe('waiting');
    expect(describeDelivery(rec(), 'submitted').state).toBe('delivered');
    expect(describeDelivery(rec({ answer: answer('conflict') }), 'submitted').state).toBe('flagged');
    expect(describeDelivery(rec({ answer: answer('rejected') }), 'submitted').state).toBe('refused');
    expect(
      describeDelivery(rec({ answer: answer('rejected', 'submit', 'discarded') }), 'submitted').state,
    ).toBe('discarded');
    expect(
      describeDelivery(rec({ answer: answer('rejected', 'submit', 'resubmitted') }), 'submitted').state,
    ).toBe('delivered');
    expect(describeDelivery(rec({ fromHub: false }), 'submitted').state).toBe('local');
    // A local task's outbox row is a filler, never a delivery: not "waiting to send".
    expect(describeDelivery(rec({ fromHub: false, waiting: 'submit' }), 'submitted')).toMatchObject({
      state: 'local',
      label: 'Submitted here',
    });
    expect(describeDelivery(rec(), 'in_progress').state).toBe('open');
  });
  it('a waiting mutation wins over an older answer; a refusal wins over "delivered"', () => {
    expect(describeDelivery(rec({ waiting: 'submit', answer: answer('rejected') }), 'submitted').state).toBe(
      'waiting',
    );
    // A refused skip on a reopened task is never shown as skipped fine.
    expect(describeDelivery(rec({ answer: answer('rejected', 'skip') }), 'skipped')).toMatchObject({
      state: 'refused',
      label: 'Skip refused',
      tone: 'danger',
    });
  });
  it('says why in plain words and what the person can do, never "nothing was thrown away"', () => {
    const d = describeDelivery(rec({ answer: answer('rejected') }), 'submitted');
    expect(d.detail).toContain('The hub no longer has this task');
    expect(d.detail).toContain('resubmit it under a new lease, export it to a file, or discard it');
    expect(d.detail).not.toContain('nothing was thrown away');
    expect(d.detail).not.toContain('NOT_FOUND');
  });
});
