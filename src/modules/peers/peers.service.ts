import { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Page } from '../../common/http/api-responses';
import { sha256Hex } from '@wgfleet/protocol';
import { randomUUID } from 'node:crypto';
import { CommandContext } from '../../common/auth/auth.decorators';
import { SecretBox } from '../../common/crypto/secret-box';
import { sealContext } from '../../common/crypto/secret-box.provider';
import { PresharedKeyReader } from './preshared-key.reader';
import { generateKeyPair, generatePresharedKey } from '../../common/crypto/wireguard-keys';
import { normaliseCidrSet, sameCidrSet } from '../../common/domain/cidr';
import { escapeLikePattern } from '../../common/domain/like-pattern';
import { DesiredNode } from '../../common/domain/desired-state';
import { badRequest, conflict, notFound, versionConflict } from '../../common/http/api-error';
import {
  afterCursor,
  afterNameCursor,
  decodeCursor,
  decodeNameCursor,
  encodeCursor,
  encodeNameCursor,
  page,
} from '../../common/http/cursor';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ClusterReader, clusterAsDesiredNode } from '../clusters';
import { DesiredStateChanges, EventStore } from '../events';
import { NodeEntity, NodesService, toDesiredNode } from '../nodes';
import { UsersService } from '../users';
import { lifecycleChanges } from './domain/peer-lifecycle';
import { renderClientConfig, UnsafeConfigValueError } from './domain/client-config';
import { effectivePeerSettings } from '../../common/domain/effective-settings';
import { IpAllocationEntity } from './ip-allocation.entity';
import { allocationApiError } from './allocation-api-error';
import { AllocationError, claimedAddresses, nodePools } from './domain/peer-allocation';
import { routeProblem } from './domain/peer-routes';
import { LIFECYCLE_SETTINGS_CHANGED } from './lifecycle-settings-changes';
import { PeerCreationBatcher } from './peer-creation.batcher';
import { Allocation, PEER_DELETED, PEER_UPDATED, PeerEvent, PeerUpdatedPayload } from './peer.events';
import { PeerEntity } from './peer.entity';
import { PeerViewExtensions, PeerView, PeerViewExtras, toDesiredPeer, toPeerView } from './peer-view';
import { CreatePeerDto, PeerListQuery, UpdatePeerDto } from './peers.dto';
import { PeersStore } from './peers.store';
import { Reactions } from '../../common/reactions';

type PeerSettingField =
  'name' | 'dns' | 'mtu' | 'persistent_keepalive' | 'endpoint_allowed_ips' | 'enabled' | 'endpoint';
const SETTING_FIELDS: PeerSettingField[] = [
  'name',
  'endpoint',
  'dns',
  'mtu',
  'persistent_keepalive',
  'endpoint_allowed_ips',
  'enabled',
];

@Injectable()
export class PeersService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: EventStore,
    private readonly nodes: NodesService,
    private readonly box: SecretBox,
    private readonly extensions: PeerViewExtensions,
    private readonly changes: DesiredStateChanges,
    private readonly creator: PeerCreationBatcher,
    private readonly reactions: Reactions,
    private readonly store: PeersStore,
    private readonly presharedKeys: PresharedKeyReader,
    private readonly clusters: ClusterReader,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Serialises address allocation on the node for the rest of `em`'s transaction (adoption reserves addresses). */
  lockNodeAllocations(em: EntityManager, nodeId: string): Promise<void> {
    return this.store.lockNodeAllocations(em, nodeId);
  }

  async create(nodeId: string, dto: CreatePeerDto, context: CommandContext): Promise<PeerView> {
    return this.createOn(nodeId, null, dto, context);
  }

  /** A peer of the cluster: an address from the cluster's pool, carried by every member. */
  async createInCluster(clusterId: string, dto: CreatePeerDto, context: CommandContext): Promise<PeerView> {
    return this.createOn(clusterId, clusterId, dto, context);
  }

  /** `ownerId`: the node, or the cluster when `clusterId` is set (PeerState.node_id). */
  private async createOn(
    ownerId: string,
    clusterId: string | null,
    dto: CreatePeerDto,
    context: CommandContext,
  ): Promise<PeerView> {
    await this.assertUserKnown(dto.owner);
    const id = randomUUID();
    // Keys are made and sealed before the node's allocation lock is taken, so it is held briefly.
    const keyPair = dto.public_key ? null : generateKeyPair();
    const presharedKey = dto.preshared_key ?? (dto.generate_preshared_key ? generatePresharedKey() : null);
    const created = await this.creator.submit(ownerId, {
      id,
      requestedAddresses: dto.allowed_ips ?? null,
      context,
      state: {
        node_id: ownerId,
        name: dto.name,
        public_key: dto.public_key ?? keyPair!.publicKey,
        dns: dto.dns ?? null,
        mtu: dto.mtu ?? null,
        persistent_keepalive: dto.persistent_keepalive ?? null,
        endpoint_allowed_ips: dto.endpoint_allowed_ips ?? null,
        routed_ips: normaliseCidrSet(dto.routed_ips ?? []),
        endpoint: dto.endpoint ?? null,
        enabled: dto.enabled ?? true,
        private_key_sealed: keyPair ? this.box.seal(keyPair.privateKey, sealContext.privateKey(id)) : null,
        preshared_key_sealed: presharedKey ? this.box.seal(presharedKey, sealContext.presharedKey(id)) : null,
        preshared_key_sha256: presharedKey ? sha256Hex(presharedKey) : null,
        expires_at: dto.expires_at ? new Date(dto.expires_at).toISOString() : null,
        quota_bytes: dto.quota_bytes ?? null,
        quota_period: dto.quota_period ?? 'month',
        cluster_id: clusterId,
        owner: dto.owner ?? null,
      },
    });
    return this.view(created.node, created.peer, this.extensions.extrasOfCreated(created.peer));
  }

  /** The node's own peers; its cluster's are listed under the cluster. */
  async list(nodeId: string, query: PeerListQuery): Promise<Page<PeerView>> {
    const em = this.em.fork();
    return this.listOf(em, toDesiredNode(await this.nodes.require(em, nodeId)), query);
  }

  async listCluster(clusterId: string, query: PeerListQuery): Promise<Page<PeerView>> {
    const em = this.em.fork();
    return this.listOf(em, await this.requireCluster(em, clusterId), query);
  }

  private async listOf(em: EntityManager, node: DesiredNode, query: PeerListQuery): Promise<Page<PeerView>> {
    const nodeId = node.id;
    const limit = query.limit ?? 100;
    const byName = query.sort === 'name';
    const after = byName
      ? afterNameCursor(decodeNameCursor(query.cursor))
      : afterCursor(decodeCursor(query.cursor));
    const rows = await em.find(
      PeerEntity,
      { nodeId, $and: [after, peerSearch(query.q)] },
      { orderBy: byName ? { name: 'asc', id: 'asc' } : { createdAt: 'asc', id: 'asc' }, limit },
    );
    return page(rows, limit, await this.viewer(node, rows), byName ? encodeNameCursor : encodeCursor);
  }

  async get(id: string): Promise<PeerView> {
    const em = this.em.fork();
    const peer = await this.require(em, id);
    const { items } = await this.views(await this.ownerOf(em, peer), [peer], 0);
    return items[0];
  }

  /** The node the peer is on, or a cluster peer's cluster as its members' common node. */
  private async ownerOf(em: EntityManager, peer: PeerEntity): Promise<DesiredNode> {
    return peer.clusterId
      ? this.requireCluster(em, peer.clusterId)
      : toDesiredNode(await this.nodes.require(em, peer.nodeId));
  }

  private async requireCluster(em: EntityManager, clusterId: string): Promise<DesiredNode> {
    const cluster = await this.clusters.find(em, clusterId);
    if (!cluster) throw notFound('cluster', clusterId);
    return clusterAsDesiredNode(cluster);
  }

  async require(em: EntityManager, id: string): Promise<PeerEntity> {
    const peer = await em.findOne(PeerEntity, { id });
    if (!peer) throw notFound('peer', id);
    return peer;
  }

  async update(id: string, dto: UpdatePeerDto, expected: number | undefined, context: CommandContext) {
    const presharedKey =
      dto.generate_preshared_key === true
        ? generatePresharedKey()
        : dto.preshared_key === null
          ? null
          : dto.preshared_key;
    await this.assertUserKnown(dto.owner);
    const changed = await this.em.fork().transactional(async (em) => {
      const peer = await this.require(em, id);
      if (expected !== undefined && expected !== peer.version)
        throw versionConflict('peer', expected, peer.version);
      const lifecycle = lifecycleChanges(peer, dto);
      const changes: PeerUpdatedPayload['changes'] = { ...lifecycle };
      // `enabled` as the operator set it, not as the desired state has it (off while suspended).
      const desired = { ...toDesiredPeer(peer), enabled: peer.enabled };
      for (const field of SETTING_FIELDS) {
        const value = dto[field];
        const current = desired[field];
        if (value !== undefined && JSON.stringify(value) !== JSON.stringify(current)) {
          (changes as Record<string, unknown>)[field] = value;
        }
      }
      if (dto.owner !== undefined && dto.owner !== peer.owner) changes.owner = dto.owner;
      if (dto.public_key !== undefined && dto.public_key !== peer.publicKey) {
        await this.store.lockNodeAllocations(em, peer.nodeId);
        await this.assertKeyFree(em, peer.nodeId, dto.public_key, id);
        changes.public_key = dto.public_key;
        changes.private_key_sealed = null;
      }
      const presharedKeySha256 = presharedKey ? sha256Hex(presharedKey) : null;
      if (presharedKey !== undefined && presharedKeySha256 !== peer.presharedKeySha256) {
        changes.preshared_key_sealed = presharedKey
          ? this.box.seal(presharedKey, sealContext.presharedKey(id))
          : null;
        changes.preshared_key_sha256 = presharedKeySha256;
      }
      let allocations: Allocation[] | undefined;
      const addressesChange =
        dto.allowed_ips !== undefined && !sameCidrSet(dto.allowed_ips, peer.allowedIps)
          ? dto.allowed_ips
          : null;
      const routedChange =
        dto.routed_ips !== undefined && !sameCidrSet(dto.routed_ips, peer.routedIps) ? dto.routed_ips : null;
      if (addressesChange || routedChange) {
        const node = await this.ownerOf(em, peer);
        await this.store.lockNodeAllocations(em, peer.nodeId);
        let allowedIps = peer.allowedIps;
        if (addressesChange) {
          const claimed = await this.claimFreeAddresses(em, node, addressesChange, id);
          allowedIps = changes.allowed_ips = claimed.allowedIps;
          allocations = claimed.allocations;
        }
        const routedIps = routedChange ? normaliseCidrSet(routedChange) : peer.routedIps;
        if (routedChange) changes.routed_ips = routedIps;
        const problem = routeProblem(
          nodePools(node),
          allowedIps,
          routedIps,
          await this.store.heldRangesOfNode(em, peer.nodeId, id),
        );
        if (problem) throw allocationApiError(new AllocationError(problem));
      }
      if (Object.keys(changes).length === 0) return null;
      const payload: PeerUpdatedPayload = {
        node_id: peer.nodeId,
        changes,
        ...(allocations ? { allocations } : {}),
      };
      await this.events.append<PeerEvent>(
        em,
        { aggregateType: 'peer', aggregateId: id, type: PEER_UPDATED, payload: { ...payload } },
        peer.version,
        context,
      );
      return { nodeId: peer.nodeId, lifecycle: Object.keys(lifecycle).length > 0 };
    });
    // Before the sync is told, so a suspension lifted (or started) by the new settings goes with this change.
    if (changed?.lifecycle) await this.reactions.tell(LIFECYCLE_SETTINGS_CHANGED, id);
    if (changed) await this.changes.changed(changed.nodeId);
    return this.get(id);
  }

  async delete(id: string, expected: number | undefined, context: CommandContext): Promise<void> {
    const nodeId = await this.em.fork().transactional(async (em) => {
      const peer = await this.require(em, id);
      if (expected !== undefined && expected !== peer.version)
        throw versionConflict('peer', expected, peer.version);
      await this.events.append<PeerEvent>(
        em,
        {
          aggregateType: 'peer',
          aggregateId: id,
          type: PEER_DELETED,
          payload: { node_id: peer.nodeId, public_key: peer.publicKey, name: peer.name },
        },
        peer.version,
        context,
      );
      return peer.nodeId;
    });
    await this.changes.changed(nodeId);
  }

  /** The wg-quick config a client imports; the only place a peer's private and preshared keys leave the panel. */
  /** The peers a user owns, on every node, oldest first. */
  async ownedBy(owner: string): Promise<PeerView[]> {
    const em = this.em.fork();
    const rows = await em.find(PeerEntity, { owner }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    const byNode = new Map<string, PeerEntity[]>();
    for (const row of rows) byNode.set(row.nodeId, [...(byNode.get(row.nodeId) ?? []), row]);
    const views: PeerView[] = [];
    for (const [nodeId, peers] of byNode) {
      views.push(...(await this.viewsOf(await this.nodes.require(em, nodeId), peers)));
    }
    return views.sort((x, y) => x.created_at.localeCompare(y.created_at) || x.id.localeCompare(y.id));
  }

  /** How many peers a user owns. */
  countOwnedBy(owner: string): Promise<number> {
    return this.em.fork().count(PeerEntity, { owner });
  }

  /** An owner must be a user who has signed in: 400 naming `owner` otherwise. */
  private async assertUserKnown(owner: string | null | undefined): Promise<void> {
    if (owner && !(await this.users.find(owner))) throw badRequest('owner', `no user ${owner}`);
  }

  async clientConfig(id: string): Promise<string> {
    const em = this.em.fork();
    const peer = await this.require(em, id);
    if (peer.origin === 'adopted') {
      throw conflict(
        `peer ${peer.name} was adopted from its node: its client holds the private key, so the panel has no config to give`,
      );
    }
    const node = await this.ownerOf(em, peer);
    if (!node.public_key) {
      throw conflict(
        peer.clusterId
          ? `cluster ${node.name} has no key yet: give it one, or add its first member`
          : `node ${node.name} has no known public key yet: register it with its agent running, or set public_key`,
      );
    }
    try {
      return renderClientConfig({
        name: peer.name,
        publicKey: peer.publicKey,
        privateKey: peer.privateKeySealed
          ? this.box.open(peer.privateKeySealed, sealContext.privateKey(peer.id))
          : null,
        addresses: peer.allowedIps,
        presharedKey: this.presharedKeys.presharedKeyOf(peer),
        serverPublicKey: node.public_key,
        settings: effectivePeerSettings(toDesiredPeer(peer), node, this.config.defaults),
      });
    } catch (error) {
      // Stored before names were checked, or taken from an agent: the operator has to correct the value.
      if (error instanceof UnsafeConfigValueError) throw conflict(`peer ${peer.id}: ${error.message}`);
      throw error;
    }
  }

  /** API views of peers of one node, e.g. rows just written. */
  async viewsOf(node: NodeEntity, rows: PeerEntity[]): Promise<PeerView[]> {
    return rows.map(await this.viewer(toDesiredNode(node), rows));
  }

  private async views(node: DesiredNode, rows: PeerEntity[], limit: number) {
    return page(rows, limit, await this.viewer(node, rows));
  }

  /** Views of these rows: what the view extensions know of them is loaded once, for all of them. */
  private async viewer(node: DesiredNode, rows: PeerEntity[]): Promise<(peer: PeerEntity) => PeerView> {
    const extrasOf = await this.extensions.extras(rows);
    return (peer) => this.view(node, peer, extrasOf(peer));
  }

  private view(node: DesiredNode, peer: PeerEntity, extras: PeerViewExtras): PeerView {
    return toPeerView(peer, effectivePeerSettings(toDesiredPeer(peer), node, this.config.defaults), extras);
  }

  private async assertKeyFree(
    em: EntityManager,
    nodeId: string,
    publicKey: string,
    exceptPeerId: string | null,
  ) {
    const other = await em.findOne(
      PeerEntity,
      { nodeId, publicKey, ...(exceptPeerId ? { id: { $ne: exceptPeerId } } : {}) },
      { fields: ['id'] },
    );
    if (other) throw allocationApiError(new AllocationError({ kind: 'key_taken' }));
  }

  private async claimFreeAddresses(em: EntityManager, node: DesiredNode, given: string[], peerId: string) {
    const claimed = claimedAddresses(node, nodePools(node), given);
    if (claimed instanceof AllocationError) throw allocationApiError(claimed);
    if (claimed.allocations.length > 0) {
      const taken = await em.find(
        IpAllocationEntity,
        {
          nodeId: node.id,
          address: { $in: claimed.allocations.map((a) => a.address) },
          peerId: { $ne: peerId },
        },
        { fields: ['address'] },
      );
      if (taken.length > 0) {
        throw allocationApiError(
          new AllocationError({ kind: 'address_taken', addresses: taken.map((t) => t.address) }),
        );
      }
    }
    return claimed;
  }
}

/** Peers whose name contains `q` (any case) or whose public key starts with it; every peer without `q`. */
function peerSearch(q: string | undefined): FilterQuery<PeerEntity> {
  if (q === undefined) return {};
  const literal = escapeLikePattern(q);
  return { $or: [{ name: { $ilike: `%${literal}%` } }, { publicKey: { $like: `${literal}%` } }] };
}
