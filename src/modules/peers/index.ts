export { DesiredStateReader } from './desired-state.reader';
export type { DesiredSnapshot, NodePeersState } from './desired-state.reader';
export { PeerView, PeerViewExtensions, PeerViewExtras } from './peer-view';
export { PeerEntity } from './peer.entity';
export type { SuspendedReason } from './peer.entity';
export { PEER_CREATED, PEER_DELETED, PEER_RESUMED, PEER_SUSPENDED, PEER_UPDATED } from './peer.events';
export type { Allocation, PeerCreatedPayload, PeerDeletedPayload, PeerUpdatedPayload } from './peer.events';
export { peerColumns } from './peer.projection';
export { PeersService } from './peers.service';
