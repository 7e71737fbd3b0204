export { HubSwitcher } from './HubSwitcher';
export { useWorkspaces } from './use-workspaces';
