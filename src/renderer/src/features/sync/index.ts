import './sync.css';

export { SyncStatus, SyncStatusView } from './SyncStatus';
export { SyncSettings, SyncSettingsView, type SyncActions } from './SyncSettings';
export { LeaseExpiry } from './LeaseExpiry';
export { describeSync, leaseWarning, LEASE_WARNING_MS } from './sync-format';
export { useSyncState } from './use-sync-state';
