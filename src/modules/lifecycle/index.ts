export { PeerActivityStore } from './peer-activity.store';
export type { ObservedManagedPeer } from './peer-activity.store';
