import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { CommandContext } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { NODE_SCOPE_TARGET } from '../../common/auth/scope-targets';
import { ApiError, notFound } from '../../common/http/api-error';
import { Reactions } from '../../common/reactions';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { NodesService } from '../nodes';
import { PeersService, PeerView } from '../peers';
import { deviceLimitRefusal, mayCreateOwnOn, ownDeviceNodes } from './domain/self-service-policy';
import { CreateOwnPeerDto, SelfServiceNodeView } from './self-service.dto';
import { OwnerLock } from './owner-lock';

/** A picker's worth: someone choosing where to add a phone is not shown more. */
const MAX_NODES_LISTED = 1000;

/**
 * A signed-in user's own devices (docs/API.md "Self-service"): peers whose `owner` is the user. Anyone else's
 * peer is answered as missing (404), whatever else the caller may do.
 */
@Injectable()
export class SelfService {
  constructor(
    private readonly peers: PeersService,
    private readonly nodes: NodesService,
    private readonly reactions: Reactions,
    private readonly lock: OwnerLock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  list(principal: Principal): Promise<PeerView[]> {
    return principal.kind === 'user' ? this.peers.ownedBy(principal.id) : Promise.resolve([]);
  }

  /** The enabled nodes the principal's `self` bindings allow devices on (the first 1,000), by name. */
  async allowedNodes(principal: Principal): Promise<SelfServiceNodeView[]> {
    const filter = ownDeviceNodes(principal);
    if (!filter) return [];
    const { items } = await this.nodes.list({ limit: MAX_NODES_LISTED }, filter);
    return items
      .filter((node) => node.enabled)
      .map((node) => ({ id: node.id, name: node.name }))
      .sort((a, b) => a.name.localeCompare(b.name));
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
