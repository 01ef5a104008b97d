import { EventRecord } from '../modules/events/event-record.entity';
import { NodeEntity } from '../modules/nodes/node.entity';
import { IpAllocationEntity } from '../modules/peers/ip-allocation.entity';
import { ManagedKeyEntity } from '../modules/peers/managed-key.entity';
import { PeerEntity } from '../modules/peers/peer.entity';
import { ApiTokenEntity } from '../modules/tokens/api-token.entity';

/** Every entity of the panel; each module adds its own here. */
export const ENTITIES = [
  EventRecord,
  NodeEntity,
  PeerEntity,
  IpAllocationEntity,
  ManagedKeyEntity,
  ApiTokenEntity,
];
