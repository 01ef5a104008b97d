export { PeerActivityStore } from './peer-activity.store';
export type { PeerActivityRow } from './peer-activity.store';
