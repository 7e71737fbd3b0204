import { leaseWarning } from './sync-format';

/** A small flag on a queue row or task header when its lease is close to its end (or past it). */
export function LeaseExpiry({ expiresAt, now }: { expiresAt: number | null; now: number }) {
  const w = leaseWarning(expiresAt, now);
  if (!w) return null;
  return (
    <span
      className={`lease-expiry${w.expired ? ' expired' : ''}`}
      data-testid="lease-expiry"
      title={
        w.expired
          ? 'The hub may give this task to someone else; work submitted now is kept as a flagged conflict.'
          : 'Submit before the lease ends, or the hub may give the task to someone else.'
      }
    >
      {w.text}
    </span>
  );
}
