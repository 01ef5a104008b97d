import { EntityManager } from '@mikro-orm/postgresql';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { CommandContext } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { NODE_SCOPE_TARGET } from '../../common/auth/scope-targets';
import { ApiError, notFound } from '../../common/http/api-error';
import { Reactions } from '../../common/reactions';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { NodesStore } from '../nodes';
import { PeersService, PeerView } from '../peers';
import { deviceLimitRefusal, mayCreateOwnOn } from './domain/self-service-policy';
import { CreateOwnPeerDto, SelfServiceNodeView } from './self-service.dto';
import { OwnerLock } from './owner-lock';

/**
 * A signed-in user's own devices (docs/API.md "Self-service"): peers whose `owner` is the user. Anyone else's
 * peer is answered as missing (404), whatever else the caller may do.
 */
@Injectable()
export class SelfService {
  constructor(
    private readonly em: EntityManager,
    private readonly peers: PeersService,
    private readonly nodeRecords: NodesStore,
    private readonly reactions: Reactions,
    private readonly lock: OwnerLock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  list(principal: Principal): Promise<PeerView[]> {
    return principal.kind === 'user' ? this.peers.ownedBy(principal.id) : Promise.resolve([]);
  }

  /** The nodes the principal's `self` bindings allow devices on, by name. */
  async allowedNodes(principal: Principal): Promise<SelfServiceNodeView[]> {
    if (principal.kind !== 'user') return [];
    const allowed: SelfServiceNodeView[] = [];
    for (const node of await this.nodeRecords.enabled(this.em.fork())) {
      const target = await this.reactions.ask(NODE_SCOPE_TARGET, node.id);
      if (target && mayCreateOwnOn(principal, target)) allowed.push({ id: node.id, name: node.name });
    }
    return allowed;
  }

  /**
   * Adds a device owned by the principal on a node its binding allows, within SELF_SERVICE_PEER_LIMIT: counted
   * under a per-user lock held until the peer is committed, so concurrent requests cannot pass the limit.
   */
  async create(principal: Principal, dto: CreateOwnPeerDto, context: CommandContext): Promise<PeerView> {
    const target = await this.reactions.ask(NODE_SCOPE_TARGET, dto.node_id);
    if (!target || !mayCreateOwnOn(principal, target)) throw notFound('node', dto.node_id);
    return this.lock.holding(principal.id, async () => {
      const refusal = deviceLimitRefusal(
        await this.peers.countOwnedBy(principal.id),
        this.config.selfServicePeerLimit,
      );
      if (refusal) throw new ApiError(HttpStatus.CONFLICT, 'device_limit', refusal);
      return this.peers.create(dto.node_id, { name: dto.name, owner: principal.id }, context);
    });
  }

  async clientConfig(principal: Principal, id: string): Promise<string> {
    await this.own(principal, id);
    return this.peers.clientConfig(id);
  }

  async delete(principal: Principal, id: string, context: CommandContext): Promise<void> {
    await this.own(principal, id);
    await this.peers.delete(id, undefined, context);
  }

  /** The peer, when the principal owns it; 404 as for a missing one otherwise. */
  private async own(principal: Principal, id: string): Promise<PeerView> {
    const peer = await this.peers.get(id);
    if (principal.kind !== 'user' || peer.owner !== principal.id) throw notFound('peer', id);
    return peer;
  }
}
