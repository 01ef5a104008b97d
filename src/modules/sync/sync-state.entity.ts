import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export type PeerSyncOutcome = 'applied' | 'failed';

/**
 * The last version of a peer the sync job carried to a node (a cluster peer has one row per member). A peer
 * whose projection version is higher is pending there, so a command needs no write here; `failed` means the
 * agent refused that version.
 */
@Entity({ tableName: 'peer_sync_state' })
export class PeerSyncStateEntity {
  @PrimaryKey({ type: 'uuid' })
  peerId!: string;

  @PrimaryKey({ type: 'uuid', index: true })
  nodeId!: string;

  @Property({ type: 'integer' })
  appliedVersion!: number;

  @Property({ type: 'text' })
  status!: PeerSyncOutcome;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** The last node version (overrides, listen port) the sync job carried to the node. */
@Entity({ tableName: 'node_sync_state' })
export class NodeSyncStateEntity {
  @PrimaryKey({ type: 'uuid' })
  nodeId!: string;

  @Property({ type: 'integer' })
  appliedVersion!: number;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * A key that must leave its node (its peer was deleted, or its key replaced). Written by a projection in the
 * command's own transaction, so it exists exactly when the change does; the sync job deletes it once applied.
 */
@Entity({ tableName: 'pending_removals' })
export class PendingRemovalEntity {
  @PrimaryKey({ type: 'uuid' })
  nodeId!: string;

  @PrimaryKey({ type: 'text' })
  publicKey!: string;

  @Property({ type: 'uuid' })
  peerId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;
}
