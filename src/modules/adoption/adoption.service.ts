import { EntityManager } from '@mikro-orm/postgresql';
import { HttpStatus, Injectable } from '@nestjs/common';
import type { Dump, DumpPeer } from '@wgfleet/protocol';
import { randomUUID } from 'node:crypto';
import { CommandContext } from '../../common/auth/auth.decorators';
import { ApiError, badRequest } from '../../common/http/api-error';
import { AgentError } from '../agent-client';
import { EventStore } from '../events';
import { NodeEntity, NodesService, toDesiredNode } from '../nodes';
import {
  DesiredStateReader,
  PEER_CREATED,
  peerColumns,
  PeerEntity,
  PeersService,
  type PeerCreated,
} from '../peers';
import { NodeInspector } from '../node-apply';
import { stalePlan } from '../reconcile';
import { AppliedVersions } from '../sync';
import { AdoptionPlanEntity } from './adoption-plan.entity';
import { AdoptionDryRunView, AdoptionResultView } from './adoption-view';
import { AdoptPeersDto } from './adoption.dto';
import { takenNameProblem } from './domain/adopted-names';
import {
  adoptedPeerPayload,
  adoptionPlan,
  isAdoptable,
  planAdoption,
  plannedNames,
} from './domain/adoption-plan';

export type AdoptAnswer = AdoptionDryRunView | AdoptionResultView;

/**
 * Takes over the peers a node already has: a dry run lists them with what would be imported and any conflict;
 * applying records them as peers of the node (events, addresses reserved) exactly as the node has them, so the
 * node is in sync afterwards without anything being written to it.
 */
@Injectable()
export class AdoptionService {
  constructor(
    private readonly em: EntityManager,
    private readonly desiredState: DesiredStateReader,
    private readonly inspector: NodeInspector,
    private readonly appliedVersions: AppliedVersions,
    private readonly events: EventStore,
    private readonly peers: PeersService,
    private readonly nodes: NodesService,
  ) {}

  async adopt(nodeId: string, dto: AdoptPeersDto, context: CommandContext): Promise<AdoptAnswer> {
    if (dto.dry_run && dto.plan_id)
      throw badRequest('plan_id', 'plan_id applies a dry run; it cannot be combined with dry_run');
    const em = this.em.fork();
    const snapshot = await this.desiredState.desired(em, nodeId);
    const dump = await this.observeNow(snapshot.node);
    const fingerprint = this.inspector.fingerprint(snapshot, dump);
    const names = new Map(Object.entries(dto.names ?? {}));
    if (dto.dry_run) {
      const holdings = await this.desiredState.holdings(em, nodeId);
      refuseTakenNames(names, holdings.currentPeers, snapshot.node.name);
      const planned = planAdoption({
        node: snapshot.desiredNode,
        observed: dump.peers,
        ...holdings,
        publicKeys: dto.public_keys,
        names,
      });
      const stored = em.create(AdoptionPlanEntity, {
        id: randomUUID(),
        nodeId,
        plan: adoptionPlan(planned),
        fingerprint,
        requestedBy: context.actorTokenId,
      });
      await em.persistAndFlush(stored);
      return { plan_id: stored.id, plan: stored.plan };
    }
    if (!dto.plan_id) return this.adoptObserved(nodeId, dump.peers, dto.public_keys, names, context);

    const stored = await em.findOne(AdoptionPlanEntity, { id: dto.plan_id, nodeId });
    if (!stored) {
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'not_found',
        `plan_id: no adoption plan ${dto.plan_id} for node ${snapshot.node.name}`,
      );
    }
    if (stored.fingerprint !== fingerprint) throw stalePlan(stored.id);
    const inPlan = new Set(stored.plan.adopt.map((entry) => entry.public_key));
    const wanted = dto.public_keys?.filter((key) => inPlan.has(key)) ?? [...inPlan];
    const outside = (dto.public_keys ?? []).filter((key) => !inPlan.has(key));
    // The plan's names, each replaced by one given now.
    const planNames = new Map([...plannedNames(stored.plan), ...names]);
    const result = await this.adoptObserved(nodeId, dump.peers, wanted, planNames, context);
    const notInPlan = outside.map((key) => ({
      public_key: key,
      reason: 'not part of the plan given as plan_id',
    }));
    return { ...result, skipped: [...result.skipped, ...notInPlan] };
  }

  /**
   * Adopts peers as the node was seen to have them (`observed`): those of `publicKeys`, or every one the panel
   * does not know, under the operator's `names` (by public key) or their addresses. Planned again under the
   * node's allocation lock from what the database holds then.
   */
  async adoptObserved(
    nodeId: string,
    observed: readonly DumpPeer[],
    publicKeys: readonly string[] | undefined,
    names: ReadonlyMap<string, string>,
    context: CommandContext,
  ): Promise<AdoptionResultView> {
    const em = this.em.fork();
    const node = await this.nodes.require(em, nodeId);
    const { rows, skipped } = await em.transactional(async (tx) => {
      await this.peers.lockNodeAllocations(tx, nodeId);
      const holdings = await this.desiredState.holdings(tx, nodeId);
      refuseTakenNames(names, holdings.currentPeers, node.name);
      const planned = planAdoption({ node: toDesiredNode(node), observed, ...holdings, publicKeys, names });
      const accepted = planned.filter(isAdoptable);
      const payloads = accepted.map((item) => adoptedPeerPayload(nodeId, item));
      const records = await this.events.appendNew<PeerCreated>(
        tx,
        payloads.map((payload) => ({
          event: {
            aggregateType: 'peer',
            aggregateId: randomUUID(),
            type: PEER_CREATED,
            payload: { ...payload },
          },
          context,
        })),
      );
      // The node already has them exactly so, at the version they are created with.
      await this.appliedVersions.markApplied(
        tx,
        nodeId,
        records.map((record) => ({ id: record.aggregateId, version: record.version })),
      );
      return {
        rows: records.map((record, i) =>
          Object.assign(new PeerEntity(), {
            id: record.aggregateId,
            ...peerColumns(payloads[i]),
            version: record.version,
            createdAt: record.createdAt,
            updatedAt: record.createdAt,
          }),
        ),
        skipped: planned.flatMap((item) =>
          item.entry.conflict === undefined
            ? []
            : [{ public_key: item.entry.public_key, reason: item.entry.conflict }],
        ),
      };
    });
    return { adopted: await this.peers.viewsOf(node, rows), skipped };
  }

  private async observeNow(node: NodeEntity): Promise<Dump> {
    try {
      return await this.inspector.observe(node);
    } catch (error) {
      if (!(error instanceof AgentError)) throw error;
      throw new ApiError(
        HttpStatus.BAD_GATEWAY,
        'agent_unavailable',
        `the agent of node ${node.name} did not answer: ${error.message}`,
      );
    }
  }
}

/** Nothing is planned or adopted under a name a peer of the node already has. */
function refuseTakenNames(
  names: ReadonlyMap<string, string>,
  currentPeers: ReadonlyMap<string, string>,
  nodeName: string,
): void {
  const problem = takenNameProblem(names, currentPeers, nodeName);
  if (problem) throw badRequest(problem.field, problem.message);
}
