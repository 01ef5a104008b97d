import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import { AuditCheckpointEntity, AuditSigningKeyEntity, AuditVerificationEntity } from './audit.entities';

/** The audit module's statements: signing keys, checkpoints and the self-check's results. */
@Injectable()
export class AuditStore {
  /** One writer of checkpoints and keys at a time across panel instances (transaction-scoped). */
  async lockCheckpoints(em: EntityManager): Promise<void> {
    await boundQuery(em, `select pg_advisory_xact_lock(hashtextextended('wgfleet:audit-checkpoints', 0))`);
  }

  activeKey(em: EntityManager): Promise<AuditSigningKeyEntity | null> {
    return em.findOne(AuditSigningKeyEntity, { retiredAt: null });
  }

  keys(em: EntityManager): Promise<AuditSigningKeyEntity[]> {
    return em.find(AuditSigningKeyEntity, {}, { orderBy: { createdAt: 'asc' } });
  }

  async retireActiveKey(em: EntityManager, at: Date): Promise<void> {
    await em.nativeUpdate(AuditSigningKeyEntity, { retiredAt: null }, { retiredAt: at });
  }

  async insertKey(em: EntityManager, key: Omit<AuditSigningKeyEntity, 'retiredAt'>): Promise<void> {
    await em.insert(AuditSigningKeyEntity, { ...key, retiredAt: null });
  }

  async lastCheckpoint(em: EntityManager): Promise<AuditCheckpointEntity | null> {
    const [last] = await em.find(AuditCheckpointEntity, {}, { orderBy: { seq: 'desc' }, limit: 1 });
    return last ?? null;
  }

  async insertCheckpoint(em: EntityManager, checkpoint: AuditCheckpointEntity): Promise<void> {
    await em.insert(AuditCheckpointEntity, checkpoint);
  }

  /** Checkpoints after `afterSeq`, oldest first. */
  checkpoints(em: EntityManager, afterSeq: number, limit: number): Promise<AuditCheckpointEntity[]> {
    return em.find(
      AuditCheckpointEntity,
      { seq: { $gt: String(afterSeq) } },
      { orderBy: { seq: 'asc' }, limit },
    );
  }

  async lastVerification(em: EntityManager): Promise<AuditVerificationEntity | null> {
    const [last] = await em.find(AuditVerificationEntity, {}, { orderBy: { id: 'desc' }, limit: 1 });
    return last ?? null;
  }

  async insertVerification(em: EntityManager, row: Omit<AuditVerificationEntity, 'id'>): Promise<void> {
    await em.insert(AuditVerificationEntity, row);
  }
}
