import { askTopic, AskTopic } from '../reactions';
import type { ScopeTarget } from './domain/scope-policy';

/** Looks up what scopes are checked against for one object, by its id; null when there is no such object. */
export type ScopeTargetTopic = AskTopic<[id: string], ScopeTarget | null>;

/** A node's id, tags and cluster. The nodes module answers. */
export const NODE_SCOPE_TARGET: ScopeTargetTopic = askTopic('auth.scope-target.node');
/**
 * A cluster, which only `{all:true}` and its own `{cluster_id}` scope contain (a scope holding some of its
 * members does not: its peers are carried by every member). The clusters module answers.
 */
export const CLUSTER_SCOPE_TARGET: ScopeTargetTopic = askTopic('auth.scope-target.cluster');
/** A peer's node, or a cluster peer's cluster. The peers module answers. */
export const PEER_SCOPE_TARGET: ScopeTargetTopic = askTopic('auth.scope-target.peer');
/** A drift scan's node. The drift module answers. */
export const SCAN_SCOPE_TARGET: ScopeTargetTopic = askTopic('auth.scope-target.scan');
/** A reconcile job's node. The reconcile module answers. */
export const RECONCILE_JOB_SCOPE_TARGET: ScopeTargetTopic = askTopic('auth.scope-target.reconcile-job');
