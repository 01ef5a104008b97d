import { OptimisticLockError } from '@mikro-orm/core';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pLimit from 'p-limit';
import { CommandContext, systemContext } from '../../common/auth/auth.decorators';
import type { AfterCommit } from '../../common/reactions';
import { activePeers, CounterSample, countersAt, retainedIn, trafficGate } from './domain/gates';
import { finished, MOVING_STATUSES } from './domain/rollout-state';
import { ApplyStart, RolloutChanges } from './rollout-changes.service';
import { RolloutJournal } from './rollout-journal.service';
import {
  Gate,
  RolloutEntity,
  RolloutNodeEntity,
  RolloutNodeResult,
  RolloutPhase,
  RolloutWave,
} from './rollout.entity';
import { RolloutsStore } from './rollouts.store';

const TICK_MS = 1000;
/** A panel that stops renewing its lease (killed, partitioned) loses its rollouts to another after this. */
const LEASE_S = 15;
/** The two baseline samples of a wave are this far apart, so a peer pinging every second or so shows traffic. */
const BASELINE_GAP_MS = 2000;
const SAMPLE_CONCURRENCY = 16;
const APPLY_CONCURRENCY = 16;
/** Well inside the lease: a step that ran this long stops and the next tick goes on. */
const STEP_BUDGET_MS = 5000;

/** Where the runner is in a wave, as it reads the rollout at the start of a step. */
interface Step {
  em: EntityManager;
  rollout: RolloutEntity;
  wave: RolloutWave;
  nodes: RolloutNodeEntity[];
  context: CommandContext;
}

/**
 * Drives running and rolling-back rollouts, one short step per rollout per tick, with all its state in
 * PostgreSQL: a wave's baseline samples, its applies (reconcile jobs of the stored plans), their verification,
 * the bake and its gates. Each panel instance steps only the rollouts it holds the lease of, so exactly one
 * runs a rollout at a time and another takes it over when the holder stops renewing.
 */
@Injectable()
export class RolloutRunner implements OnApplicationShutdown {
  private readonly logger = new Logger(RolloutRunner.name);
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  private ticking = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly changes: RolloutChanges,
    private readonly journal: RolloutJournal,
    private readonly store: RolloutsStore,
  ) {}

  @Interval(TICK_MS)
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const ids = await this.store.claim(this.orm.em.fork(), this.owner, LEASE_S);
      for (const id of ids) await this.stepSafely(id);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'rollout tick failed; retrying');
    } finally {
      this.ticking = false;
    }
  }

  /** Another instance takes this one's rollouts at its next tick instead of after the lease. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.dropLeases(this.orm.em.fork(), this.owner).catch(() => undefined);
  }

  private async stepSafely(id: string): Promise<void> {
    try {
      await this.step(id);
    } catch (error) {
      // An operator's command changed the rollout meanwhile: the next tick reads it again.
      if (error instanceof OptimisticLockError) return;
      this.logger.error({ rollout_id: id, err: (error as Error).message }, 'rollout step failed; retrying');
    }
  }

  async step(id: string): Promise<void> {
    const em = this.orm.em.fork();
    const rollout = await em.findOne(RolloutEntity, { id });
    if (!rollout || !MOVING_STATUSES.includes(rollout.status) || rollout.leaseOwner !== this.owner) return;
    const waveIndex = rollout.order[rollout.cursor];
    // The runner acts on its own between the operator's commands (which carry their own actor); the token that
    // asked for the rollout stays named beside it.
    const context = { ...systemContext('rollout-runner'), actorTokenId: rollout.requestedBy };
    if (waveIndex === undefined) return this.finish(em, rollout, context);
    const nodes = await em.find(RolloutNodeEntity, { rolloutId: id, wave: waveIndex });
    const step: Step = { em, rollout, wave: rollout.waves[waveIndex], nodes, context };
    switch (rollout.phase ?? 'baseline') {
      case 'baseline':
        return this.baseline(step);
      case 'apply':
        return this.apply(step);
      case 'verify':
        return this.verify(step);
      case 'bake':
        return this.bake(step);
    }
  }

  /** Two samples of the wave's peer counters: the peers passing traffic before the change. */
  private async baseline(step: Step): Promise<void> {
    const { em, rollout, wave } = step;
    if (wave.status !== 'applying') {
      this.updateWave(rollout, {
        ...wave,
        status: 'applying',
        started_at: new Date().toISOString(),
        gates: null,
      });
      await this.commit(step, async (tx) => {
        await this.journal.record(
          tx,
          rollout,
          {
            aggregateType: 'rollout',
            type: 'rollout.wave_started',
            payload: { wave: wave.index, direction: rollout.direction },
          },
          step.context,
        );
      });
      return;
    }
    const samples = await this.sampleWave(step);
    if (!samples) return;
    if (!rollout.progress) {
      rollout.progress = { first: samples, active: {}, retained: [] };
      await em.flush();
      return;
    }
    const firstAt = Math.min(...Object.values(rollout.progress.first).map((sample) => Date.parse(sample.at)));
    if (Date.now() - firstAt < BASELINE_GAP_MS) return;
    const { first } = rollout.progress;
    const pairs = Object.fromEntries(
      Object.entries(samples).flatMap(([nodeId, sample]): Array<[string, [CounterSample, CounterSample]]> =>
        first[nodeId] ? [[nodeId, [first[nodeId], sample]]] : [],
      ),
    );
    rollout.progress = { first, active: activePeers(pairs), retained: [] };
    this.enterPhase(rollout, 'apply');
    await em.flush();
  }

  /** Each target node's change, one reconcile job each; a refusal (stale plan, agent down) halts the wave. */
  private async apply(step: Step): Promise<void> {
    const { em, rollout } = step;
    const forward = rollout.direction === 'forward';
    const targets = this.targets(step);
    const began = Date.now();
    for (let first = 0; first < targets.length; first += APPLY_CONCURRENCY) {
      // A long wave is applied over several steps, so no step outlives the lease it runs under.
      if (Date.now() - began > STEP_BUDGET_MS) return;
      const chunk = targets.slice(first, first + APPLY_CONCURRENCY);
      const starts = await Promise.all(
        chunk.map((node): Promise<ApplyStart> =>
          forward
            ? this.changes.apply(rollout, node.nodeId, node.planId, step.context)
            : this.changes.revert(node.nodeId, node.previousPin, step.context),
        ),
      );
      let refused: { node: RolloutNodeEntity; gate: Gate; reason: string } | null = null;
      for (const [i, node] of chunk.entries()) {
        const started = starts[i];
        if ('gate' in started) {
          node.result = { job_id: null, status: 'refused', error: started.reason, verified: null };
          refused ??= { node, gate: started.gate, reason: started.reason };
          continue;
        }
        node.jobId = started.job_id;
        node.status = forward ? 'applying' : 'rolling_back';
      }
      // Stored at once, so a panel taking over waits for these jobs instead of applying the plans again.
      await em.flush();
      if (refused) {
        const { node, gate, reason } = refused;
        return this.halt(step, gate, reason, node.nodeId);
      }
    }
    this.enterPhase(rollout, 'verify');
    await em.flush();
  }

  /** Waits for the wave's jobs: every node applied and verified in sync, or the wave halts naming the node. */
  private async verify(step: Step): Promise<void> {
    const { rollout, wave } = step;
    const forward = rollout.direction === 'forward';
    const waiting = step.nodes.filter((node) => node.status === (forward ? 'applying' : 'rolling_back'));
    const outcomes = await Promise.all(
      waiting.map(async (node) => ({ node, outcome: await this.changes.outcome(node.jobId!) })),
    );
    const done = outcomes.filter(({ outcome }) => outcome.done);
    let failure: { nodeId: string; reason: string } | null = null;
    for (const { node, outcome } of done) {
      const result: RolloutNodeResult = {
        job_id: node.jobId,
        status: outcome.succeeded ? 'succeeded' : 'failed',
        error: outcome.error,
        verified: outcome.verified,
      };
      node.result = result;
      const ok = outcome.succeeded && outcome.verified !== false;
      node.status = !ok ? 'failed' : forward ? 'applied' : 'rolled_back';
      if (!ok && !failure)
        failure = {
          nodeId: node.nodeId,
          reason: outcome.error ?? 'the verify dump still shows drift after the apply',
        };
    }
    const appended = async (tx: EntityManager) => {
      for (const { node } of done)
        await this.journal.record(
          tx,
          rollout,
          {
            aggregateType: 'rollout',
            type: 'rollout.node_applied',
            payload: {
              wave: wave.index,
              node_id: node.nodeId,
              direction: rollout.direction,
              result: node.result!,
            },
          },
          step.context,
        );
    };
    if (failure) {
      await this.commit(step, appended);
      return this.halt(step, 'sync', failure.reason, failure.nodeId);
    }
    if (done.length < waiting.length) {
      if (done.length > 0) await this.commit(step, appended);
      return;
    }
    this.updateWave(rollout, {
      ...wave,
      status: 'baking',
      gates: {
        sync: { verdict: 'pass', detail: `${step.nodes.length} node(s) applied and verified in sync` },
        agent: { verdict: 'pending', detail: 'sampled during the bake' },
        traffic: null,
      },
    });
    this.enterPhase(rollout, 'bake');
    await this.commit(step, appended);
  }

  /** Samples the wave during the bake; the traffic gate decides at its end, a silent agent at once. */
  private async bake(step: Step): Promise<void> {
    const { em, rollout, wave } = step;
    const samples = await this.sampleWave(step);
    if (!samples || !rollout.progress) return;
    if (!rollout.progress.rebased) {
      rollout.progress = {
        ...rollout.progress,
        active: countersAt(rollout.progress.active, samples),
        rebased: true,
        retained: [],
      };
      await em.flush();
      return;
    }
    const { active } = rollout.progress;
    const retained = new Set(rollout.progress.retained);
    for (const [nodeId, sample] of Object.entries(samples))
      for (const key of retainedIn(nodeId, active, sample)) retained.add(key);
    rollout.progress = { ...rollout.progress, retained: [...retained] };
    const bakeOver =
      Date.now() - (rollout.phaseStartedAt ?? new Date()).getTime() >= rollout.options.bake_s * 1000;
    const traffic = trafficGate({
      active,
      retained,
      minRetention: rollout.options.min_traffic_retention,
      bakeOver,
    });
    const gates = {
      sync: wave.gates?.sync ?? { verdict: 'pass' as const, detail: 'applied and verified' },
      agent: { verdict: 'pass' as const, detail: `${step.nodes.length} agent(s) answering` },
      traffic,
    };
    this.updateWave(rollout, { ...wave, gates });
    if (traffic.verdict === 'fail') return this.halt(step, 'traffic', traffic.detail);
    if (traffic.verdict === 'baking') {
      await em.flush();
      return;
    }
    this.updateWave(rollout, {
      ...wave,
      gates,
      status: rollout.direction === 'forward' ? 'passed' : 'rolled_back',
      passed_at: new Date().toISOString(),
    });
    rollout.cursor += 1;
    this.enterPhase(rollout, 'baseline');
    await this.commit(step, async (tx) => {
      await this.journal.record(
        tx,
        rollout,
        {
          aggregateType: 'rollout',
          type: 'rollout.wave_passed',
          payload: { wave: wave.index, direction: rollout.direction, traffic },
        },
        step.context,
      );
      return this.journal.notify(tx, rollout, 'rollout.wave_passed', wave.index);
    });
  }

  private async halt(step: Step, gate: Gate, reason: string, nodeId?: string): Promise<void> {
    const { rollout, wave } = step;
    rollout.status = 'halted';
    rollout.halt = {
      wave: wave.index,
      ...(nodeId ? { node_id: nodeId } : {}),
      gate,
      reason,
      at: new Date().toISOString(),
    };
    this.updateWave(rollout, { ...rollout.waves[wave.index], status: 'halted' });
    this.logger.warn(
      { rollout_id: rollout.id, wave: wave.index, node_id: nodeId, gate, reason },
      'rollout halted',
    );
    await this.commit(step, async (tx) => {
      await this.journal.record(
        tx,
        rollout,
        { aggregateType: 'rollout', type: 'rollout.halted', payload: rollout.halt! },
        step.context,
      );
      return this.journal.notify(tx, rollout, 'rollout.halted', wave.index);
    });
  }

  private async finish(em: EntityManager, rollout: RolloutEntity, context: CommandContext): Promise<void> {
    const end = finished({ status: rollout.status, direction: rollout.direction });
    rollout.status = end.status;
    rollout.phase = null;
    rollout.progress = null;
    const type = end.status === 'completed' ? 'rollout.completed' : 'rollout.rolled_back';
    const afterCommit = await em.transactional(async (tx) => {
      await this.store.release(tx, rollout.id);
      await this.journal.record(
        tx,
        rollout,
        { aggregateType: 'rollout', type, payload: { waves: rollout.order.length } },
        context,
      );
      const notified = await this.journal.notify(tx, rollout, type, null);
      tx.persist(rollout);
      return notified;
    });
    await afterCommit();
    this.logger.log({ rollout_id: rollout.id, status: rollout.status }, 'rollout finished');
  }

  /** The wave's nodes this direction changes now: forward the pending ones, back those the change reached. */
  private targets(step: Step): RolloutNodeEntity[] {
    return step.nodes.filter((node) =>
      step.rollout.direction === 'forward'
        ? node.status === 'pending'
        : ['applied', 'failed'].includes(node.status),
    );
  }

  /** Every node of the wave sampled; null after halting when an agent does not answer. */
  private async sampleWave(step: Step): Promise<Record<string, CounterSample> | null> {
    const limit = pLimit(SAMPLE_CONCURRENCY);
    const samples: Record<string, CounterSample> = {};
    let failure: { nodeId: string; message: string } | null = null;
    await Promise.all(
      step.wave.node_ids.map((nodeId) =>
        limit(async () => {
          try {
            samples[nodeId] = await this.changes.sample(step.em, nodeId);
          } catch (error) {
            failure ??= { nodeId, message: (error as Error).message };
          }
        }),
      ),
    );
    if (!failure) return samples;
    const { nodeId, message } = failure;
    await this.halt(step, 'agent', `the agent of node ${nodeId} did not answer: ${message}`, nodeId);
    return null;
  }

  private enterPhase(rollout: RolloutEntity, phase: RolloutPhase): void {
    rollout.phase = phase;
    rollout.phaseStartedAt = new Date();
    if (phase === 'baseline') rollout.progress = null;
  }

  /** jsonb columns are compared by value on flush; a new array makes the change plain. */
  private updateWave(rollout: RolloutEntity, wave: RolloutWave): void {
    rollout.waves = rollout.waves.map((each) => (each.index === wave.index ? wave : each));
  }

  /** Flushes the step with what `write` records, in one transaction; then whatever it returned. */
  private async commit(step: Step, write: (tx: EntityManager) => Promise<AfterCommit | void>): Promise<void> {
    const afterCommit = await step.em.transactional(async (tx) => {
      const after = await write(tx);
      tx.persist(step.rollout);
      return after;
    });
    if (afterCommit) await afterCommit();
  }
}
