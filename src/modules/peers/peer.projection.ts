import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Projection, RecordedEvent } from '../events';
import { NODE_DELETED, type NodeDeleted } from '../nodes';
import { IpAllocationEntity } from './ip-allocation.entity';
import { ManagedKeyEntity } from './managed-key.entity';
import {
  PEER_CREATED,
  PEER_DELETED,
  PEER_RESUMED,
  PEER_SUSPENDED,
  PEER_UPDATED,
  PeerCreated,
  PeerEvent,
  PeerResumed,
  PeerState,
  PeerSuspended,
} from './peer.events';
import { PeerEntity } from './peer.entity';
import { PeersStore } from './peers.store';

/** Column values of the peers table for (part of) a peer state. */
export function peerColumns(state: Partial<PeerState>): Partial<PeerEntity> {
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
  set('routedIps', state.routed_ips);
  set('endpoint', state.endpoint);
  set('enabled', state.enabled);
  set('privateKeySealed', state.private_key_sealed);
  set('presharedKeySealed', state.preshared_key_sealed);
  set('presharedKeySha256', state.preshared_key_sha256);
  set('origin', state.origin);
  set(
    'expiresAt',
    state.expires_at === undefined
      ? undefined
      : state.expires_at === null
        ? null
        : new Date(state.expires_at),
  );
  set('quotaBytes', state.quota_bytes);
  set('quotaPeriod', state.quota_period);
  set('clusterId', state.cluster_id);
  set('owner', state.owner);
  return columns;
}

type PeersEvent = PeerEvent | NodeDeleted;

@Injectable()
export class PeerProjection implements Projection<PeersEvent> {
  readonly name = 'peers';
  readonly tables = ['peers', 'ip_allocations', 'node_managed_keys'];
  readonly canHandle = [
    PEER_CREATED,
    PEER_UPDATED,
    PEER_DELETED,
    PEER_SUSPENDED,
    PEER_RESUMED,
    NODE_DELETED,
  ] as const;

  constructor(private readonly store: PeersStore) {}

  /**
   * Creations are written with one insert per table (the bulk path of peer creation), suspensions and
   * resumptions with one update (the enforcement pass's); others in order.
   */
  async handle(em: EntityManager, events: RecordedEvent<PeersEvent>[]): Promise<void> {
    const created = events.filter(isCreated);
    if (created.length === events.length) return this.create(em, created);
    const suspensions = events.filter(isSuspension);
    if (suspensions.length === events.length) return this.setSuspensions(em, suspensions);
    for (const event of events) await this.apply(em, event);
  }

  private async apply(em: EntityManager, event: RecordedEvent<PeersEvent>): Promise<void> {
    const id = event.aggregateId;
    switch (event.type) {
      case NODE_DELETED:
        // A node's peers go with it; their own event streams simply end here.
        await em.nativeDelete(IpAllocationEntity, { nodeId: id });
        await em.nativeDelete(ManagedKeyEntity, { nodeId: id });
        await em.nativeDelete(PeerEntity, { nodeId: id });
        return;
      case PEER_CREATED:
        return this.create(em, [event]);
      case PEER_UPDATED: {
        const { node_id, changes, allocations } = event.payload;
        await em.nativeUpdate(
          PeerEntity,
          { id },
          { ...peerColumns(changes), version: event.version, updatedAt: event.createdAt },
        );
        if (allocations) {
          await em.nativeDelete(IpAllocationEntity, { peerId: id });
          await this.store.insertAllocations(
            em,
            allocations.map((allocation) => ({ nodeId: node_id, peerId: id, allocation })),
          );
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
          await this.store.rememberKeys(em, [
            { nodeId: node_id, publicKey: changes.public_key, peerId: id, name: peer.name },
          ]);
        }
        return;
      }
      case PEER_SUSPENDED:
      case PEER_RESUMED:
        return this.setSuspensions(em, [event]);
      case PEER_DELETED:
        // The key stays in node_managed_keys: that is how a later scan knows it as orphaned, not unknown.
        await em.nativeDelete(IpAllocationEntity, { peerId: id });
        await em.nativeDelete(PeerEntity, { id });
        return;
    }
  }

  /** Each peer's last suspension or resumption of the batch is what its row keeps. */
  private async setSuspensions(
    em: EntityManager,
    events: RecordedEvent<PeerSuspended | PeerResumed>[],
  ): Promise<void> {
    const latest = new Map(events.map((event) => [event.aggregateId, event]));
    await this.store.setSuspensions(
      em,
      [...latest.values()].map((event) => ({
        id: event.aggregateId,
        reason: event.type === PEER_SUSPENDED ? event.payload.reason : null,
        version: event.version,
        updated_at: event.createdAt,
      })),
    );
  }

  private async create(em: EntityManager, events: RecordedEvent<PeerCreated>[]): Promise<void> {
    const created = events.map((event) => ({ event, payload: event.payload }));
    await this.store.insertCreated(
      em,
      created.map(({ event, payload }) => ({
        id: event.aggregateId,
        node_id: payload.node_id,
        name: payload.name,
        public_key: payload.public_key,
        allowed_ips: payload.allowed_ips,
        dns: payload.dns,
        mtu: payload.mtu,
        persistent_keepalive: payload.persistent_keepalive,
        endpoint_allowed_ips: payload.endpoint_allowed_ips,
        private_key_sealed: payload.private_key_sealed,
        preshared_key_sealed: payload.preshared_key_sealed,
        preshared_key_sha256: payload.preshared_key_sha256,
        enabled: payload.enabled,
        origin: payload.origin,
        version: event.version,
        expires_at: payload.expires_at ?? null,
        quota_bytes: payload.quota_bytes ?? null,
        quota_period: payload.quota_period ?? null,
        routed_ips: payload.routed_ips ?? [],
        endpoint: payload.endpoint ?? null,
        cluster_id: payload.cluster_id ?? null,
        owner: payload.owner ?? null,
        created_at: event.createdAt,
      })),
      created.flatMap(({ event, payload }) =>
        payload.allocations.map((allocation) => ({
          nodeId: payload.node_id,
          peerId: event.aggregateId,
          allocation,
        })),
      ),
      created.map(({ event, payload }) => ({
        nodeId: payload.node_id,
        publicKey: payload.public_key,
        peerId: event.aggregateId,
        name: payload.name,
      })),
    );
  }
}

function isCreated(event: RecordedEvent<PeersEvent>): event is RecordedEvent<PeerCreated> {
  return event.type === PEER_CREATED;
}

function isSuspension(event: RecordedEvent<PeersEvent>): event is RecordedEvent<PeerSuspended | PeerResumed> {
  return event.type === PEER_SUSPENDED || event.type === PEER_RESUMED;
}
