import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EventRecord } from '../events/event-record.entity';
import { Projection } from '../events/projection-registry';
import { IpAllocationEntity } from './ip-allocation.entity';
import { ManagedKeyEntity } from './managed-key.entity';
import {
  Allocation,
  PEER_CREATED,
  PEER_DELETED,
  PEER_UPDATED,
  PeerCreatedPayload,
  PeerState,
  PeerUpdatedPayload,
} from './peer.events';
import { PeerEntity } from './peer.entity';

function peerColumns(state: Partial<PeerState>): Partial<PeerEntity> {
  const columns: Partial<PeerEntity> = {};
  const set = <K extends keyof PeerEntity>(key: K, value: PeerEntity[K] | undefined) => {
    if (value !== undefined) columns[key] = value;
  };
  set('nodeId', state.node_id);
  set('name', state.name);
  set('publicKey', state.public_key);
  set('allowedIps', state.allowed_ips);
  set('dns', state.dns);
  set('mtu', state.mtu);
  set('persistentKeepalive', state.persistent_keepalive);
  set('endpointAllowedIps', state.endpoint_allowed_ips);
  set('enabled', state.enabled);
  set('privateKeySealed', state.private_key_sealed);
  set('presharedKeySealed', state.preshared_key_sealed);
  set('presharedKeySha256', state.preshared_key_sha256);
  return columns;
}

@Injectable()
export class PeerProjection implements Projection {
  readonly name = 'peers';
  readonly tables = ['peers', 'ip_allocations', 'node_managed_keys'];

  handles(event: EventRecord): boolean {
    return event.aggregateType === 'peer';
  }

  async apply(em: EntityManager, event: EventRecord): Promise<void> {
    const id = event.aggregateId;
    switch (event.type) {
      case PEER_CREATED: {
        const payload = event.payload as unknown as PeerCreatedPayload;
        await em.insert(PeerEntity, {
          id,
          ...peerColumns(payload),
          version: event.version,
          createdAt: event.createdAt,
          updatedAt: event.createdAt,
        });
        await this.allocate(em, payload.node_id, id, payload.allocations);
        await this.rememberKey(em, payload.node_id, payload.public_key, id, payload.name);
        return;
      }
      case PEER_UPDATED: {
        const { node_id, changes, allocations } = event.payload as unknown as PeerUpdatedPayload;
        await em.nativeUpdate(
          PeerEntity,
          { id },
          { ...peerColumns(changes), version: event.version, updatedAt: event.createdAt },
        );
        if (allocations) {
          await em.nativeDelete(IpAllocationEntity, { peerId: id });
          await this.allocate(em, node_id, id, allocations);
        }
        if (changes.name !== undefined) {
          await em.nativeUpdate(ManagedKeyEntity, { nodeId: node_id, peerId: id }, { name: changes.name });
        }
        if (changes.public_key !== undefined) {
          const peer = await em.findOneOrFail(
            PeerEntity,
            { id },
            { fields: ['name'], disableIdentityMap: true },
          );
          await this.rememberKey(em, node_id, changes.public_key, id, peer.name);
        }
        return;
      }
      case PEER_DELETED:
        // The key stays in node_managed_keys: that is how a later scan knows it as orphaned, not unknown.
        await em.nativeDelete(IpAllocationEntity, { peerId: id });
        await em.nativeDelete(PeerEntity, { id });
        return;
    }
  }

  private async allocate(em: EntityManager, nodeId: string, peerId: string, allocations: Allocation[]) {
    if (allocations.length === 0) return;
    await em.insertMany(
      IpAllocationEntity,
      allocations.map((allocation) => ({
        nodeId,
        family: allocation.family,
        hostIndex: String(allocation.host_index),
        address: allocation.address,
        peerId,
      })),
    );
  }

  private async rememberKey(
    em: EntityManager,
    nodeId: string,
    publicKey: string,
    peerId: string,
    name: string,
  ) {
    await em.upsert(
      ManagedKeyEntity,
      { nodeId, publicKey, peerId, name },
      { onConflictFields: ['nodeId', 'publicKey'], onConflictAction: 'merge', disableIdentityMap: true },
    );
  }
}
