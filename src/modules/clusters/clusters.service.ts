import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandContext } from '../../common/auth/auth.decorators';
import { SecretBox } from '../../common/crypto/secret-box';
import { sealContext } from '../../common/crypto/secret-box.provider';
import { conflict, notFound, versionConflict } from '../../common/http/api-error';
import { Page } from '../../common/http/api-responses';
import { decodeCursor, page } from '../../common/http/cursor';
import { ListQuery } from '../../common/http/queries';
import { Reactions } from '../../common/reactions';
import { DesiredStateChanges, EventStore } from '../events';
import { NodesService } from '../nodes';
import { CLUSTER_PEER_COUNT } from './cluster-peer-usage';
import { ClusterView, toClusterView } from './cluster-view';
import { ClusterEntity } from './cluster.entity';
import {
  CLUSTER_CREATED,
  CLUSTER_DELETED,
  CLUSTER_MEMBER_ADDED,
  CLUSTER_MEMBER_REMOVED,
  CLUSTER_UPDATED,
  ClusterEvent,
  ClusterState,
} from './cluster.events';
import { AddMemberDto, CreateClusterDto, DnsConfigDto, UpdateClusterDto } from './clusters.dto';
import { ClustersStore } from './clusters.store';
import { DnsConfig, SealedDnsConfig, sealDnsConfig } from './domain/dns-config';
import { checkMemberKey } from './domain/member-key';

const DEFAULT_PORT = 51820;
const DEFAULT_TTL = 30;

@Injectable()
export class ClustersService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: EventStore,
    private readonly store: ClustersStore,
    private readonly nodes: NodesService,
    private readonly box: SecretBox,
    private readonly changes: DesiredStateChanges,
    private readonly reactions: Reactions,
  ) {}

  async create(dto: CreateClusterDto, context: CommandContext): Promise<ClusterView> {
    const id = randomUUID();
    const state: ClusterState = {
      name: dto.name,
      endpoint_host: dto.endpoint_host.toLowerCase(),
      endpoint_port: dto.endpoint_port ?? DEFAULT_PORT,
      address_pool: dto.address_pool,
      address_pool_v6: dto.address_pool_v6 ?? null,
      public_key: dto.public_key ?? null,
      dns: dto.dns ? this.sealDns(id, dto.dns) : null,
    };
    await this.em.fork().transactional(async (em) => {
      await this.assertNameFree(em, state.name, id);
      await this.events.append<ClusterEvent>(
        em,
        { aggregateType: 'cluster', aggregateId: id, type: CLUSTER_CREATED, payload: { ...state } },
        0,
        context,
      );
    });
    return this.get(id);
  }

  async list(query: ListQuery): Promise<Page<ClusterView>> {
    const em = this.em.fork();
    const limit = query.limit ?? 100;
    const rows = await this.store.page(em, decodeCursor(query.cursor), limit);
    const members = await this.store.membersOf(
      em,
      rows.map((row) => row.id),
    );
    return page(rows, limit, (cluster) =>
      toClusterView(
        cluster,
        members.filter((member) => member.clusterId === cluster.id),
      ),
    );
  }

  async get(id: string): Promise<ClusterView> {
    const em = this.em.fork();
    const cluster = await this.require(em, id);
    return toClusterView(cluster, await this.store.membersOf(em, [id]));
  }

  async require(em: EntityManager, id: string): Promise<ClusterEntity> {
    const cluster = await this.store.find(em, id);
    if (!cluster) throw notFound('cluster', id);
    return cluster;
  }

  async update(
    id: string,
    dto: Omit<UpdateClusterDto, 'version'>,
    expected: number | undefined,
    context: CommandContext,
  ): Promise<ClusterView> {
    const memberIds = await this.em.fork().transactional(async (em) => {
      const cluster = await this.require(em, id);
      if (expected !== undefined && expected !== cluster.version)
        throw versionConflict('cluster', expected, cluster.version);
      const changes = this.changesFrom(cluster, dto);
      if (Object.keys(changes).length === 0) return [];
      if (changes.name !== undefined) await this.assertNameFree(em, changes.name, id);
      if (changes.address_pool !== undefined || changes.address_pool_v6 !== undefined) {
        await this.assertNoPeers(em, cluster, 'address_pool', 'its address pools cannot change');
      }
      const members = await this.store.membersOf(em, [id]);
      if (changes.public_key !== undefined && members.length > 0) {
        throw conflict(`cluster ${cluster.name} has members: its key is theirs and cannot change`, [
          { field: 'public_key', message: 'the members share this key' },
        ]);
      }
      await this.events.append<ClusterEvent>(
        em,
        { aggregateType: 'cluster', aggregateId: id, type: CLUSTER_UPDATED, payload: { changes } },
        cluster.version,
        context,
      );
      // The endpoint and key are in the client configs only; what the members carry is their peers.
      return members.map((member) => member.nodeId);
    });
    for (const nodeId of memberIds) await this.changes.changed(nodeId);
    return this.get(id);
  }

  async delete(id: string, expected: number | undefined, context: CommandContext): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const cluster = await this.require(em, id);
      if (expected !== undefined && expected !== cluster.version)
        throw versionConflict('cluster', expected, cluster.version);
      const members = await this.store.membersOf(em, [id]);
      if (members.length > 0) {
        throw conflict(`cluster ${cluster.name} has ${members.length} members: remove them first`);
      }
      await this.assertNoPeers(em, cluster, 'id', 'delete them first');
      await this.events.append<ClusterEvent>(
        em,
        { aggregateType: 'cluster', aggregateId: id, type: CLUSTER_DELETED, payload: { name: cluster.name } },
        cluster.version,
        context,
      );
    });
  }

  /**
   * A node joins when its interface key is the cluster's (members share one identity, installed by the operator;
   * the panel never holds it) and it is in no other cluster. Its sync then carries every cluster peer to it.
   */
  async addMember(id: string, dto: AddMemberDto, context: CommandContext): Promise<ClusterView> {
    await this.em.fork().transactional(async (em) => {
      const cluster = await this.require(em, id);
      const node = await this.nodes.require(em, dto.node_id);
      const membership = await this.store.membership(em, node.id);
      if (membership) {
        throw conflict(
          membership.clusterId === id
            ? `node ${node.name} is a member of this cluster already`
            : `node ${node.name} is a member of cluster ${membership.clusterId}: a node is in one cluster at most`,
          [{ field: 'node_id', message: 'already a cluster member' }],
        );
      }
      const check = checkMemberKey(cluster.publicKey, node.publicKey);
      if (check.kind === 'node_key_unknown') {
        throw conflict(
          `node ${node.name} has no known interface public key yet: register it with its agent running`,
          [{ field: 'node_id', message: 'interface key unknown' }],
        );
      }
      if (check.kind === 'key_differs') {
        throw conflict(
          `node ${node.name} (${node.id}) has interface key ${check.nodeFingerprint}, the cluster's is ` +
            `${check.clusterFingerprint}: install the cluster's key on it (install.sh --private-key-file)`,
          [
            {
              field: 'node_id',
              message: `interface key ${check.nodeFingerprint} differs from the cluster key ${check.clusterFingerprint}`,
            },
          ],
        );
      }
      await this.events.append<ClusterEvent>(
        em,
        {
          aggregateType: 'cluster',
          aggregateId: id,
          type: CLUSTER_MEMBER_ADDED,
          payload: { node_id: node.id, public_key: check.adopted ? check.clusterKey : null },
        },
        cluster.version,
        context,
      );
    });
    await this.changes.changed(dto.node_id);
    return this.get(id);
  }

  /** The node leaves; its sync takes the cluster peers off it. */
  async removeMember(id: string, nodeId: string, context: CommandContext): Promise<ClusterView> {
    await this.em.fork().transactional(async (em) => {
      const cluster = await this.require(em, id);
      const membership = await this.store.membership(em, nodeId);
      if (!membership || membership.clusterId !== id) throw notFound(`member of cluster ${id}`, nodeId);
      await this.events.append<ClusterEvent>(
        em,
        {
          aggregateType: 'cluster',
          aggregateId: id,
          type: CLUSTER_MEMBER_REMOVED,
          payload: { node_id: nodeId },
        },
        cluster.version,
        context,
      );
    });
    await this.changes.changed(nodeId);
    return this.get(id);
  }

  private sealDns(clusterId: string, dto: DnsConfigDto): SealedDnsConfig {
    return sealDnsConfig(dnsConfigOf(dto), (secret) =>
      this.box.seal(secret, sealContext.clusterDnsSecret(clusterId)),
    );
  }

  /** Only what really changes goes into the event, so a no-op PATCH appends nothing. */
  private changesFrom(cluster: ClusterEntity, dto: Omit<UpdateClusterDto, 'version'>): Partial<ClusterState> {
    const changes: Partial<ClusterState> = {};
    if (dto.name !== undefined && dto.name !== cluster.name) changes.name = dto.name;
    const host = dto.endpoint_host?.toLowerCase();
    if (host !== undefined && host !== cluster.endpointHost) changes.endpoint_host = host;
    if (dto.endpoint_port !== undefined && dto.endpoint_port !== cluster.endpointPort)
      changes.endpoint_port = dto.endpoint_port;
    if (dto.address_pool !== undefined && dto.address_pool !== cluster.addressPool)
      changes.address_pool = dto.address_pool;
    if (dto.address_pool_v6 !== undefined && dto.address_pool_v6 !== cluster.addressPoolV6)
      changes.address_pool_v6 = dto.address_pool_v6;
    if (dto.public_key !== undefined && dto.public_key !== cluster.publicKey)
      changes.public_key = dto.public_key;
    // A given DNS config replaces the stored one (its secret is write-only, so it cannot be compared).
    if (dto.dns !== undefined) changes.dns = dto.dns === null ? null : this.sealDns(cluster.id, dto.dns);
    if (dto.dns === null && cluster.dns === null) delete changes.dns;
    return changes;
  }

  private async assertNameFree(em: EntityManager, name: string, id: string): Promise<void> {
    if (await this.store.nameTaken(em, name, id))
      throw conflict(`a cluster named "${name}" already exists`, [
        { field: 'name', message: 'name is taken' },
      ]);
  }

  private async assertNoPeers(em: EntityManager, cluster: ClusterEntity, field: string, advice: string) {
    const peers = await this.reactions.ask(CLUSTER_PEER_COUNT, em, cluster.id);
    if (peers > 0) {
      throw conflict(`cluster ${cluster.name} has ${peers} peers: ${advice}`, [
        { field, message: 'the cluster has peers' },
      ]);
    }
  }
}

/** The DTO's fields of its provider, defaults filled in; validation has made sure the required ones are there. */
function dnsConfigOf(dto: DnsConfigDto): DnsConfig {
  if (dto.provider === 'rfc2136') {
    return {
      provider: 'rfc2136',
      server: dto.server ?? '',
      zone: (dto.zone ?? '').toLowerCase(),
      tsig_key_name: dto.tsig_key_name ?? '',
      tsig_algorithm: dto.tsig_algorithm ?? 'hmac-sha256',
      tsig_secret: dto.tsig_secret ?? '',
      ttl: dto.ttl ?? DEFAULT_TTL,
    };
  }
  return { provider: 'webhook', url: dto.url ?? '', secret: dto.secret ?? '' };
}
