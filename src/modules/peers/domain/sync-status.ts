/** Whether a peer's latest change has reached its node (`sync_status` of the peer's view). */
export const SYNC_STATUSES = ['pending', 'applied', 'failed'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];
