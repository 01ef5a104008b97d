export { PeerUsageStore } from './peer-usage.store';
