import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Every public key the panel has ever managed on a node: what tells an orphaned peer from an unknown one. */
@Entity({ tableName: 'node_managed_keys' })
export class ManagedKeyEntity {
  @PrimaryKey({ type: 'uuid' })
  nodeId!: string;

  @PrimaryKey({ type: 'text' })
  publicKey!: string;

  @Property({ type: 'uuid' })
  peerId!: string;

  @Property({ type: 'text' })
  name!: string;
}
