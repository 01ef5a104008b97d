import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { CommandContext } from '../../common/auth/auth.decorators';
import type { AfterCommit } from '../../common/reactions';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EventStore } from '../events';
import { AlertOutbox, type RolloutNotice } from '../notifications';
import type { RolloutEvent } from './rollout.events';
import { RolloutEntity } from './rollout.entity';

/** Every step of a rollout as an event of its stream, and the steps subscribers hear of as webhooks. */
@Injectable()
export class RolloutJournal {
  constructor(
    private readonly events: EventStore,
    private readonly outbox: AlertOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** In the transaction that stores the step. */
  async record<E extends RolloutEvent>(
    em: EntityManager,
    rollout: RolloutEntity,
    event: E,
    context: CommandContext,
  ): Promise<void> {
    await this.events.append<RolloutEvent>(
      em,
      { ...event, aggregateId: rollout.id },
      rollout.eventVersion,
      context,
    );
    rollout.eventVersion += 1;
  }

  /** Writes the webhook in the step's transaction; run the answer after the commit. */
  async notify(
    em: EntityManager,
    rollout: RolloutEntity,
    type: RolloutNotice['type'],
    wave: number | null,
  ): Promise<AfterCommit> {
    const notice: RolloutNotice = {
      type,
      timestamp: new Date().toISOString(),
      data: {
        rollout_id: rollout.id,
        status: rollout.status,
        wave,
        halt: rollout.halt
          ? {
              wave: rollout.halt.wave,
              ...(rollout.halt.node_id ? { node_id: rollout.halt.node_id } : {}),
              gate: rollout.halt.gate,
              reason: rollout.halt.reason,
            }
          : null,
        url: `${this.config.publicUrl}/api/rollouts/${rollout.id}`,
      },
    };
    const due = await this.outbox.record(em, notice, null);
    return this.outbox.enqueueAfterCommit(due);
  }
}
