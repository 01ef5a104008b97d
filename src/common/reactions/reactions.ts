import { Injectable, Logger } from '@nestjs/common';
import type { AfterCommit, AskTopic, GatherTopic, TellTopic } from './topics';

type Listener<Args extends unknown[]> = (...args: Args) => Promise<void | AfterCommit>;
type Answerer<Args extends unknown[], Answer> = (...args: Args) => Promise<Answer>;

/** One module's reaction to one topic, named so that "who reacts to what" can be listed. */
interface Registration<Reaction> {
  reactor: string;
  reaction: Reaction;
}

/** How a topic's reactions run: told in or after a transaction, asked, or gathered. */
export type ReactionMode = 'in transaction' | 'after commit' | 'ask' | 'gather';

/** Who reacts to one topic, in the order they run. */
export interface TopicReactors {
  topic: string;
  mode: ReactionMode;
  reactors: string[];
}

type AnyTopic = Pick<TellTopic<never>, 'kind' | 'name' | 'when'> | { kind: 'ask' | 'gather'; name: string };

/**
 * The one way modules react to each other: a lower module declares a typed topic (what happened, what it asks,
 * what it gathers), a higher module registers its reaction at start-up, and neither imports the other's
 * internals. Reactions are kept per topic, so telling, asking or gathering costs one map lookup.
 */
@Injectable()
export class Reactions {
  private readonly logger = new Logger(Reactions.name);
  private readonly byTopic = new Map<string, { mode: ReactionMode; registrations: unknown[] }>();

  on<Args extends unknown[]>(topic: TellTopic<Args>, reactor: string, listener: Listener<Args>): void {
    this.register(topic, reactor, listener);
  }

  answer<Args extends unknown[], Answer>(
    topic: AskTopic<Args, Answer>,
    reactor: string,
    answerer: Answerer<Args, Answer>,
  ): void {
    if (this.registrations<Answerer<Args, Answer>>(topic).length > 0)
      throw new Error(`${topic.name} already has an answerer`);
    this.register(topic, reactor, answerer);
  }

  contribute<Part>(topic: GatherTopic<Part>, reactor: string, part: Part): void {
    this.register(topic, reactor, part);
  }

  /**
   * Tells every listener in registration order. In a transaction a failure propagates and the functions the
   * listeners returned are answered, to run after the commit; after a commit failures are only logged.
   */
  async tell<Args extends unknown[]>(topic: TellTopic<Args>, ...args: Args): Promise<AfterCommit[]> {
    const afterCommit: AfterCommit[] = [];
    for (const { reactor, reaction } of this.registrations<Listener<Args>>(topic)) {
      if (topic.when === 'afterCommit') {
        await reaction(...args).catch((error: Error) =>
          this.logger.warn(
            { topic: topic.name, reactor, subject: args[0], err: error.message },
            topic.failure ?? 'a reaction failed',
          ),
        );
        continue;
      }
      const next = await reaction(...args);
      if (next) afterCommit.push(next);
    }
    return afterCommit;
  }

  ask<Args extends unknown[], Answer>(topic: AskTopic<Args, Answer>, ...args: Args): Promise<Answer> {
    const [answerer] = this.registrations<Answerer<Args, Answer>>(topic);
    if (answerer) return answerer.reaction(...args);
    if (topic.fallback) return topic.fallback(...args);
    return Promise.reject(new Error(`nothing answers ${topic.name}`));
  }

  gather<Part>(topic: GatherTopic<Part>): Part[] {
    return this.registrations<Part>(topic).map((registration) => registration.reaction);
  }

  /** Every topic with its reactors, sorted by topic name (for the architecture document and its test). */
  list(): TopicReactors[] {
    return [...this.byTopic.entries()]
      .map(([topic, { mode, registrations }]) => ({
        topic,
        mode,
        reactors: (registrations as Registration<unknown>[]).map((registration) => registration.reactor),
      }))
      .sort((a, b) => a.topic.localeCompare(b.topic));
  }

  private register(topic: AnyTopic, reactor: string, reaction: unknown): void {
    const mode =
      topic.kind === 'tell'
        ? topic.when === 'inTransaction'
          ? 'in transaction'
          : 'after commit'
        : topic.kind;
    const entry = this.byTopic.get(topic.name) ?? { mode, registrations: [] };
    if (entry.mode !== mode) throw new Error(`${topic.name} is an "${entry.mode}" topic, not "${mode}"`);
    entry.registrations.push({ reactor, reaction });
    this.byTopic.set(topic.name, entry);
  }

  /** The one place reactions get their type back: `register` stored each under a topic of that very type. */
  private registrations<Reaction>(topic: { name: string }): Registration<Reaction>[] {
    return (this.byTopic.get(topic.name)?.registrations ?? []) as Registration<Reaction>[];
  }
}
