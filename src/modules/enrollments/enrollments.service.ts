import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { HttpStatus, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandContext, systemActor } from '../../common/auth/auth.decorators';
import { ApiError, conflict, notFound } from '../../common/http/api-error';
import { AgentUrlGuard } from '../agent-client/agent-client.module';
import { NodesService, NodesStore, NodeView } from '../nodes';
import {
  DEFAULT_ENROLLMENT_TTL_S,
  claimRefusal,
  generateEnrollmentToken,
  hashEnrollmentToken,
} from './domain/enrollment-token';
import { CreatedEnrollmentView, EnrollmentList, toEnrollmentView } from './enrollment-view';
import { EnrollmentEntity } from './enrollment.entity';
import { ClaimEnrollmentDto, CreateEnrollmentDto } from './enrollments.dto';

/**
 * One-time tokens that let a node register itself: the operator decides the node's settings, the node's
 * agent brings how to reach it (URL, the secret it generated, its certificate's fingerprint) in one claim.
 */
@Injectable()
export class EnrollmentsService {
  constructor(
    private readonly em: EntityManager,
    private readonly nodes: NodesService,
    private readonly nodeRecords: NodesStore,
    private readonly urlGuard: AgentUrlGuard,
  ) {}

  async create(dto: CreateEnrollmentDto, context: CommandContext): Promise<CreatedEnrollmentView> {
    const em = this.em.fork();
    await this.assertNameFree(em, dto.node.name);
    const token = generateEnrollmentToken();
    const enrollment = em.create(EnrollmentEntity, {
      id: randomUUID(),
      tokenHash: hashEnrollmentToken(token),
      node: { ...dto.node },
      expiresAt: new Date(Date.now() + (dto.expires_in_s ?? DEFAULT_ENROLLMENT_TTL_S) * 1000),
      createdBy: context.actorTokenId,
    });
    await em.persistAndFlush(enrollment);
    return { id: enrollment.id, token, expires_at: enrollment.expiresAt.toISOString() };
  }

  async list(): Promise<EnrollmentList> {
    const rows = await this.em
      .fork()
      .find(EnrollmentEntity, {}, { orderBy: { createdAt: 'desc' }, limit: 1000 });
    return { items: rows.map(toEnrollmentView) };
  }

  async revoke(id: string): Promise<void> {
    const updated = await this.em
      .fork()
      .nativeUpdate(EnrollmentEntity, { id, status: 'open' }, { status: 'revoked' });
    if (updated === 0 && !(await this.em.fork().findOne(EnrollmentEntity, { id })))
      throw notFound('enrollment', id);
  }

  /**
   * Registers the node and spends the token in one transaction, and only once the agent has answered a signed
   * request correctly: a refused token (410), an agent URL on the panel's own host or link (400), an agent that
   * does not answer correctly (502) or a failed registration registers nothing and spends nothing. The token is
   * checked before its agent URL, so nobody without one learns anything about addresses; the row stays locked
   * from the check to the end, so a token works exactly once.
   */
  async claim(dto: ClaimEnrollmentDto, requestId: string | null): Promise<NodeView> {
    return this.em.fork().transactional(async (em) => {
      const enrollment = await em.findOne(
        EnrollmentEntity,
        { tokenHash: hashEnrollmentToken(dto.token) },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const refusal = claimRefusal(enrollment, new Date());
      if (refusal || !enrollment) throw new EnrollmentGoneError(refusal ?? 'unknown enrollment token');
      const { token: _token, listen_port: observedListenPort, ...agent } = dto;
      await this.urlGuard.assertClaimable(agent);
      // The agent claims with the enrollment's token: the event's token is whoever made the enrollment, its
      // actor the enrollment itself, in the claim's request.
      const node = await this.nodes.register(
        { ...enrollment.node, ...agent, listen_port: enrollment.node.listen_port ?? observedListenPort },
        {
          actorTokenId: enrollment.createdBy,
          requestId,
          actor: { ...systemActor('enrollment'), request_id: requestId },
        },
        { em, agentMustAnswer: true },
      );
      enrollment.status = 'claimed';
      enrollment.nodeId = node.id;
      enrollment.claimedAt = new Date();
      await em.flush();
      return node;
    });
  }

  private async assertNameFree(em: EntityManager, name: string): Promise<void> {
    if (await this.nodeRecords.nameTaken(em, name)) {
      throw conflict(`a node named "${name}" already exists`, [
        { field: 'node.name', message: 'name is taken' },
      ]);
    }
  }
}

/** An unknown, spent, revoked or expired token: a failed authentication (counted per client address). */
export class EnrollmentGoneError extends ApiError {
  constructor(reason: string) {
    super(HttpStatus.GONE, 'enrollment_gone', reason);
  }
}
