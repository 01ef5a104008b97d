export { PeerUsageStore, USAGE_ROLLOVER } from './peer-usage.store';
