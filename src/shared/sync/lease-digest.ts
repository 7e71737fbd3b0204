/**
 * A short fingerprint of a set of leases (task id + epoch), the same whatever the order, so a
 * delta pull can check that the client's leases are the hub's without sending the list. Two
 * independent 32-bit FNV-1a variants combined by sum and xor, plus the count: a collision
 * needs two different sets agreeing on all three.
 */
export const leaseSetDigest = (leases: Iterable<{ taskId: string; epoch: number }>): string => {
  let n = 0;
  let sum = 0;
  let xor = 0;
  for (const l of leases) {
    const key = `${l.epoch}:${l.taskId}`;
    sum = (sum + fnv1a(key, 0x811c9dc5)) >>> 0;
    xor = (xor ^ fnv1a(key, 0x01000193)) >>> 0;
    n++;
  }
  return `${n}-${sum.toString(16).padStart(8, '0')}${xor.toString(16).padStart(8, '0')}`;
};

const fnv1a = (s: string, seed: number): number => {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A final avalanche so near-identical keys (t1, t2…) spread over all bits.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
};
