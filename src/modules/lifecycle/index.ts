export { PeerActivityStore } from './peer-activity.store';
export type { ObservedManagedPeer, PeerActivityRow } from './peer-activity.store';
