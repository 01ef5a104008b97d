import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ChainedEvent } from '@wgfleet/protocol';
import { ChainHead, sealRows, toChainedEvent } from './domain/event-chain';
import { EventsStore } from './events.store';

/** Events sealed per transaction: a long backlog (the first start after the migration) goes in slices. */
const SEAL_BATCH = 5000;

/**
 * The audit chain of the event log (docs/AUDIT.md). Appends stay as they were; the sealer chains committed
 * events afterwards, in the order it finds them committed, under one lock across instances, so the chain
 * is totally ordered and cannot fork, and appends never wait for it.
 */
@Injectable()
export class EventChain {
  constructor(
    private readonly orm: MikroORM,
    private readonly store: EventsStore,
  ) {}

  /** Seals every event committed so far; answers the chain's head afterwards (null: the log is empty). */
  async sealPending(): Promise<ChainHead | null> {
    for (;;) {
      const { head, sealed } = await this.orm.em.fork().transactional(async (em) => {
        await this.store.lockChain(em);
        const current = await this.store.chainHead(em);
        const rows = await this.store.unsealed(em, SEAL_BATCH);
        const seals = sealRows(current, rows);
        if (seals.length > 0) await this.store.seal(em, seals);
        return { head: seals.at(-1) ?? current, sealed: seals.length };
      });
      if (sealed < SEAL_BATCH) return head && { seq: head.seq, hash: head.hash };
    }
  }

  /** The sealed chain from its start, page by page, in the export's form. */
  async *chained(pageSize = SEAL_BATCH): AsyncGenerator<ChainedEvent[]> {
    const em = this.orm.em.fork();
    let after = 0;
    for (;;) {
      const rows = await this.store.chainedAfter(em, after, pageSize);
      if (rows.length === 0) return;
      yield rows.map((row) => toChainedEvent(row, row));
      after = rows[rows.length - 1].seq;
    }
  }
}
