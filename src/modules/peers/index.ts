export { DesiredStateReader } from './desired-state.reader';
export type { DesiredSnapshot, NodePeersState } from './desired-state.reader';
export type { NodeHoldings } from './peers.store';
export { PEER_VIEW_EXTENSIONS, PeerView, PeerViewExtensions, PeerViewExtras } from './peer-view';
export { PeerEntity } from './peer.entity';
export type { SuspendedReason } from './domain/peer-lifecycle';
export { PEER_CREATED, PEER_DELETED, PEER_RESUMED, PEER_SUSPENDED, PEER_UPDATED } from './peer.events';
export type {
  Allocation,
  PeerCreated,
  PeerCreatedPayload,
  PeerDeleted,
  PeerEvent,
  PeerResumed,
  PeerSuspended,
  PeerUpdated,
} from './peer.events';
export { peerColumns } from './peer.projection';
export { PeersService } from './peers.service';
export { clientQr } from './client-qr';
export { CreatePeerDto, QrQuery } from './peers.dto';
export { PresharedKeyReader } from './preshared-key.reader';
export { LIFECYCLE_SETTINGS_CHANGED } from './lifecycle-settings-changes';
export { PUBLISHED_PEERS } from './published-peers';
