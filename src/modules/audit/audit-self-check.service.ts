import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditVerdict, ChainVerifier } from '@wgfleet/protocol';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EventChain } from '../events';
import { AlertOutbox } from '../notifications';
import { toCheckpoint } from './audit-checkpoints.service';
import { AuditStore } from './audit.store';

const PAGE = 5000;

/**
 * The panel's own check of its chain, with the verifier `wgfleet audit verify` uses: every sealed event and
 * stored checkpoint. A broken chain is logged and sent as `audit.broken`, once per distinct finding.
 */
@Injectable()
export class AuditSelfCheck {
  private readonly logger = new Logger(AuditSelfCheck.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly chain: EventChain,
    private readonly store: AuditStore,
    private readonly outbox: AlertOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verify(): Promise<AuditVerdict> {
    const em = this.orm.em.fork();
    const verifier = new ChainVerifier();
    for (const key of await this.store.keys(em)) {
      verifier.add({ kind: 'key', key_id: key.keyId, public_key: key.publicKey });
    }
    for (let after = 0; ;) {
      const page = await this.store.checkpoints(em, after, PAGE);
      for (const row of page) verifier.addCheckpoint(toCheckpoint(row));
      if (page.length < PAGE) break;
      after = Number(page[page.length - 1].seq);
    }
    for await (const events of this.chain.chained()) for (const event of events) verifier.addEvent(event);
    const verdict = verifier.finish();
    await this.record(verdict);
    return verdict;
  }

  private async record(verdict: AuditVerdict): Promise<void> {
    const afterCommit = await this.orm.em.fork().transactional(async (em) => {
      await this.store.lockCheckpoints(em);
      const last = await this.store.lastVerification(em);
      const now = new Date();
      await this.store.insertVerification(em, {
        checkedAt: now,
        ok: verdict.ok,
        events: String(verdict.events),
        firstBadSeq: verdict.ok ? null : String(verdict.seq),
        problem: verdict.ok ? null : verdict.problem,
        detail: verdict.ok ? null : verdict.detail,
      });
      if (verdict.ok) return null;
      this.logger.error(
        { seq: verdict.seq, problem: verdict.problem, detail: verdict.detail },
        'the audit chain is broken',
      );
      const known =
        last && !last.ok && last.firstBadSeq === String(verdict.seq) && last.problem === verdict.problem;
      if (known) return null;
      const due = await this.outbox.record(
        em,
        {
          type: 'audit.broken',
          timestamp: now.toISOString(),
          data: {
            seq: verdict.seq,
            problem: verdict.problem,
            detail: verdict.detail,
            url: `${this.config.publicUrl}/api/audit/export`,
          },
        },
        null,
      );
      return this.outbox.enqueueAfterCommit(due);
    });
    await afterCommit?.();
  }
}
