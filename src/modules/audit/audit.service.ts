import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ExportLine } from '@wgfleet/protocol';
import { EventChain } from '../events';
import { AuditCheckpoints, toCheckpoint } from './audit-checkpoints.service';
import {
  AuditKeyView,
  AuditStatusView,
  CheckpointView,
  toAuditKeyView,
  toAuditStatusView,
} from './audit-view';
import { AuditStore } from './audit.store';

const PAGE = 5000;

@Injectable()
export class AuditService {
  constructor(
    private readonly orm: MikroORM,
    private readonly chain: EventChain,
    private readonly store: AuditStore,
    private readonly checkpoints: AuditCheckpoints,
  ) {}

  async keys(): Promise<AuditKeyView[]> {
    return (await this.store.keys(this.orm.em.fork())).map(toAuditKeyView);
  }

  async status(): Promise<AuditStatusView> {
    return toAuditStatusView(await this.store.lastVerification(this.orm.em.fork()));
  }

  async listCheckpoints(): Promise<CheckpointView[]> {
    const em = this.orm.em.fork();
    const items: CheckpointView[] = [];
    for (let after = 0; ;) {
      const page = await this.store.checkpoints(em, after, PAGE);
      items.push(...page.map(toCheckpoint));
      if (page.length < PAGE) return items;
      after = items[items.length - 1].seq;
    }
  }

  /**
   * The export, one JSON object a line: the panel's public keys, its checkpoints, then every sealed event in
   * chain order. Everything committed before the call is sealed and signed first, so the export ends at a
   * checkpoint.
   */
  async *exportLines(): AsyncGenerator<string> {
    await this.checkpoints.sealAndCheckpoint(true);
    for (const key of await this.keys()) {
      yield line({ kind: 'key', key_id: key.key_id, public_key: key.public_key });
    }
    for (const checkpoint of await this.listCheckpoints()) yield line({ kind: 'checkpoint', ...checkpoint });
    for await (const events of this.chain.chained()) {
      yield events.map((event) => line({ kind: 'event', ...event })).join('');
    }
  }
}

function line(value: ExportLine): string {
  return `${JSON.stringify(value)}\n`;
}
