import type { DomainEvent } from '../events';
import type { QuotaPeriod, SuspendedReason } from './domain/peer-lifecycle';

/** An address of a node's pool held by a peer, recorded in the event so replays allocate the same way. */
export interface Allocation {
  family: 4 | 6;
  host_index: number;
  address: string;
}

/** `adopted`: imported from a node as it was (the client holds its private key; the panel may hold only the hash of its preshared key). */
export const PEER_ORIGINS = ['created', 'adopted'] as const;
export type PeerOrigin = (typeof PEER_ORIGINS)[number];

export interface PeerState {
  /**
   * Whose pool the peer's addresses come from and within which its key is unique: its node, or for a cluster
   * peer its cluster (the id equals `cluster_id`), whose every member carries it.
   */
  node_id: string;
  name: string;
  public_key: string;
  allowed_ips: string[];
  dns: string[] | null;
  mtu: number | null;
  persistent_keepalive: number | null;
  endpoint_allowed_ips: string[] | null;
  enabled: boolean;
  private_key_sealed: string | null;
  preshared_key_sealed: string | null;
  preshared_key_sha256: string | null;
  /** Absent in events written before peers could be adopted: `created`. */
  origin?: PeerOrigin;
  /** ISO 8601; absent in events written before peers could expire (= null). */
  expires_at?: string | null;
  /** Absent in events written before quotas (= null). */
  quota_bytes?: number | null;
  /** Absent in events written before quotas (= month). */
  quota_period?: QuotaPeriod;
  /** Networks outside the node's pool the peer routes; absent in events written before site-to-site peers (= []). */
  routed_ips?: string[];
  /** "host:port" the node sends to; absent in events written before site-to-site peers (= null). */
  endpoint?: string | null;
  /** Set for a cluster peer; absent in events written before clusters (= null). */
  cluster_id?: string | null;
  /** The user whose device it is; absent in events written before peers had owners (= null). */
  owner?: string | null;
}

export const PEER_CREATED = 'peer.created';
export const PEER_UPDATED = 'peer.updated';
export const PEER_DELETED = 'peer.deleted';
/** The panel took the peer off its node (past its expiry, over its quota); its settings are kept. */
export const PEER_SUSPENDED = 'peer.suspended';
/** The reason of a suspension no longer holds (a new period, a later expiry, a raised quota). */
export const PEER_RESUMED = 'peer.resumed';

export interface PeerCreatedPayload extends PeerState {
  allocations: Allocation[];
}

export interface PeerUpdatedPayload {
  node_id: string;
  changes: Partial<Omit<PeerState, 'node_id'>>;
  /** The full new set when allowed_ips changed. */
  allocations?: Allocation[];
}

export interface PeerDeletedPayload {
  node_id: string;
  public_key: string;
  name: string;
}

export interface PeerSuspendedPayload {
  node_id: string;
  reason: SuspendedReason;
}

export interface PeerResumedPayload {
  node_id: string;
  /** The reason that was lifted. */
  reason: SuspendedReason;
}

export type PeerCreated = DomainEvent<'peer', typeof PEER_CREATED, PeerCreatedPayload>;
export type PeerUpdated = DomainEvent<'peer', typeof PEER_UPDATED, PeerUpdatedPayload>;
export type PeerDeleted = DomainEvent<'peer', typeof PEER_DELETED, PeerDeletedPayload>;
export type PeerSuspended = DomainEvent<'peer', typeof PEER_SUSPENDED, PeerSuspendedPayload>;
export type PeerResumed = DomainEvent<'peer', typeof PEER_RESUMED, PeerResumedPayload>;

/** Every event of a peer's stream. */
export type PeerEvent = PeerCreated | PeerUpdated | PeerDeleted | PeerSuspended | PeerResumed;
