/** What runs once the transaction a reaction wrote in has committed (e.g. enqueueing a job). */
export type AfterCommit = () => Promise<void>;

/**
 * Something happened; every listener is told, in the order they registered. `inTransaction` topics pass the
 * caller's EntityManager among their arguments: a listener's writes commit or roll back with the caller's, a
 * failure fails the caller, and a returned function runs after the commit. `afterCommit` topics are told once
 * the change is durable: a failing listener is logged and never fails the command.
 */
export interface TellTopic<Args extends unknown[]> {
  readonly kind: 'tell';
  readonly name: string;
  readonly when: 'inTransaction' | 'afterCommit';
  /** What an `afterCommit` listener's failure is logged as (what it means for the operator). */
  readonly failure?: string;
  /** Phantom: carries the listeners' arguments; never set. */
  readonly args?: (...args: Args) => void;
}

/** A question exactly one module answers; until one does, `fallback` answers (or asking is a bug). */
export interface AskTopic<Args extends unknown[], Answer> {
  readonly kind: 'ask';
  readonly name: string;
  readonly fallback?: (...args: Args) => Promise<Answer>;
}

/** Parts several modules contribute to one whole (projections, view fields, job handlers), in registration order. */
export interface GatherTopic<Part> {
  readonly kind: 'gather';
  readonly name: string;
  /** Phantom: carries the parts' type; never set. */
  readonly part?: (part: Part) => void;
}

export function tellTopic<Args extends unknown[]>(name: string, when: 'inTransaction'): TellTopic<Args>;
export function tellTopic<Args extends unknown[]>(
  name: string,
  when: 'afterCommit',
  failure: string,
): TellTopic<Args>;
export function tellTopic<Args extends unknown[]>(
  name: string,
  when: TellTopic<Args>['when'],
  failure?: string,
): TellTopic<Args> {
  return { kind: 'tell', name, when, ...(failure ? { failure } : {}) };
}

export function askTopic<Args extends unknown[], Answer>(
  name: string,
  fallback?: (...args: Args) => Promise<Answer>,
): AskTopic<Args, Answer> {
  return { kind: 'ask', name, ...(fallback ? { fallback } : {}) };
}

export function gatherTopic<Part>(name: string): GatherTopic<Part> {
  return { kind: 'gather', name };
}
