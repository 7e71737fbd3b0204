export * from './active-time';
export * from './canonical-json';
export * from './hash-chain';
export * from './throughput';
export * from './activity-log';
export * from './team-csv';
