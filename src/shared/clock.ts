/**
 * Milliseconds since the epoch. Time enters the services (queue, sync, hub) only through a value
 * of this type, so tests and benches run them on a fake or skewed clock; only composition roots
 * pass `Date.now`.
 */
export type Clock = () => number;
