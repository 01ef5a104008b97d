export {
  AllowedIpsMismatchView,
  EndpointMismatchView,
  KeepaliveMismatchView,
  PEER_FIELD_MISMATCH_SCHEMA,
  PresharedKeyMismatchView,
} from './drift-report-view';
export type { NodeScanRow } from './drift.store';
export { FINISHED_REPAIRS } from './finished-repairs';
export type { FinishedRepairsSource } from './finished-repairs';
export { LatestScansReader } from './latest-scans.reader';
export { PENDING_PEERS } from './pending-peers';
export type { PendingPeersSource } from './pending-peers';
export { SCAN_FINISHED, SCAN_STORED } from './scan-listeners';
export type { ScanListener, ScanTrigger, StoredScan } from './scan-listeners';
