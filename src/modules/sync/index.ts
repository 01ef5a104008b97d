export { AppliedVersions } from './applied-versions';
export { PendingChanges } from './pending-changes';
