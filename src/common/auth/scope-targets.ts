import { askTopic, AskTopic } from '../reactions';
import type { ScopeTarget } from './domain/scope-policy';

/** Looks up what scopes are checked against for one object, by its id; null when there is no such object. */
export type ScopeTargetTopic = AskTopic<[id: string], ScopeTarget | null>;

/** A node's id, tags and cluster. The nodes module answers. */
export const NODE_SCOPE_TARGET: ScopeTargetTopic = askTopic('auth.scope-target.node');
/** A peer's node. The peers module answers. */
export const PEER_SCOPE_TARGET: ScopeTargetTopic = askTopic('auth.scope-target.peer');
/** A drift scan's node. The drift module answers. */
export const SCAN_SCOPE_TARGET: ScopeTargetTopic = askTopic('auth.scope-target.scan');
/** A reconcile job's node. The reconcile module answers. */
export const RECONCILE_JOB_SCOPE_TARGET: ScopeTargetTopic = askTopic('auth.scope-target.reconcile-job');
