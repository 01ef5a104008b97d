import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Checkpoint, newSigningKeyPair, signCheckpoint } from '@wgfleet/protocol';
import { sealContext } from '../../common/crypto/secret-box.provider';
import { SecretBox } from '../../common/crypto/secret-box';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ChainHead, EventChain } from '../events';
import { AlertOutbox } from '../notifications';
import { AuditCheckpointEntity, AuditSigningKeyEntity } from './audit.entities';
import { AuditStore } from './audit.store';
import { checkpointDue } from './domain/checkpoint-schedule';

/**
 * Seals new events into the chain and signs checkpoints of it with the panel's Ed25519 key: every
 * AUDIT_CHECKPOINT_EVERY events or AUDIT_CHECKPOINT_INTERVAL_S seconds. Each checkpoint is stored and sent
 * as an `audit.checkpoint` webhook, so a receiver holds copies the panel's operator cannot change.
 */
@Injectable()
export class AuditCheckpoints {
  private readonly logger = new Logger(AuditCheckpoints.name);
  /** The highest seq a checkpoint is known to cover. */
  private checkpointedSeq = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly chain: EventChain,
    private readonly store: AuditStore,
    private readonly secrets: SecretBox,
    private readonly outbox: AlertOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Seals what committed and signs a checkpoint if one is due (`force`: whenever the head moved). */
  async sealAndCheckpoint(force = false, now = new Date()): Promise<ChainHead | null> {
    const head = await this.chain.sealPending();
    // Nothing new since the last checkpoint this instance saw: no checkpoint can be due.
    if (head === null || head.seq <= this.checkpointedSeq) return head;
    const signed = await this.orm.em.fork().transactional(async (em) => {
      await this.store.lockCheckpoints(em);
      const last = await this.store.lastCheckpoint(em);
      const previous = last && { seq: Number(last.seq), time: last.time };
      const policy = {
        every: force ? 1 : this.config.audit.checkpointEvery,
        intervalS: this.config.audit.checkpointIntervalS,
      };
      if (!checkpointDue(previous, head.seq, now, policy))
        return { seq: previous?.seq ?? 0, afterCommit: null };
      const checkpoint = await this.sign(em, head, now);
      await this.store.insertCheckpoint(em, {
        seq: String(checkpoint.seq),
        hash: checkpoint.hash,
        time: now,
        signature: checkpoint.signature,
        keyId: checkpoint.key_id,
      });
      const due = await this.outbox.record(
        em,
        {
          type: 'audit.checkpoint',
          timestamp: checkpoint.time,
          data: { ...checkpoint, url: `${this.config.publicUrl}/api/audit/checkpoints` },
        },
        null,
      );
      return { seq: checkpoint.seq, afterCommit: this.outbox.enqueueAfterCommit(due) };
    });
    this.checkpointedSeq = Math.max(this.checkpointedSeq, signed.seq);
    await signed.afterCommit?.();
    return head;
  }

  /** The active key, made (and sealed) on first use. */
  async ensureKey(): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      await this.store.lockCheckpoints(em);
      if (!(await this.store.activeKey(em))) await this.createKey(em, new Date());
    });
  }

  /** Retires the active key (it still verifies what it signed) and makes a new one; answers its id. */
  async rotateKey(): Promise<string> {
    return this.orm.em.fork().transactional(async (em) => {
      await this.store.lockCheckpoints(em);
      const now = new Date();
      await this.store.retireActiveKey(em, now);
      return this.createKey(em, now);
    });
  }

  private async createKey(em: EntityManager, now: Date): Promise<string> {
    const pair = newSigningKeyPair();
    await this.store.insertKey(em, {
      keyId: pair.keyId,
      publicKey: pair.publicKey,
      privateKeySealed: this.secrets.seal(pair.privateKey, sealContext.auditSigningKey(pair.keyId)),
      createdAt: now,
    });
    this.logger.log({ key_id: pair.keyId }, 'new audit signing key');
    return pair.keyId;
  }

  private async sign(em: EntityManager, head: ChainHead, now: Date): Promise<Checkpoint> {
    const key: AuditSigningKeyEntity | null = await this.store.activeKey(em);
    if (!key) throw new Error('no active audit signing key');
    const privateKey = this.secrets.open(key.privateKeySealed, sealContext.auditSigningKey(key.keyId));
    return signCheckpoint(privateKey, key.keyId, { seq: head.seq, hash: head.hash, time: now.toISOString() });
  }
}

export function toCheckpoint(row: AuditCheckpointEntity): Checkpoint {
  return {
    seq: Number(row.seq),
    hash: row.hash,
    time: row.time.toISOString(),
    signature: row.signature,
    key_id: row.keyId,
  };
}
