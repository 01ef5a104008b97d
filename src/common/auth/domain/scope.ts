import { parseTagSelector, TagSelectorError } from '../../domain/node-tags';
import type { Scope } from '../principal';

export const MAX_SCOPE_NODES = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The problem with a scope as it arrives (one of `{all:true}`, `{tag:"k=v"}`, `{cluster_id}`, `{node_ids:[...]}`,
 * exactly one key) as a sentence naming `field`, or null.
 */
export function scopeProblem(value: unknown, field: string): string | null {
  const shapes = 'one of {"all":true}, {"tag":"k=v"}, {"cluster_id":"<uuid>"}, {"node_ids":["<uuid>",...]}';
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `${field} must be ${shapes}`;
  const entries = Object.entries(value);
  if (entries.length !== 1) return `${field} must have exactly one key: ${shapes}`;
  const [[kind, content]] = entries;
  switch (kind) {
    case 'all':
      return content === true ? null : `${field}.all must be true`;
    case 'node_ids':
      if (!Array.isArray(content) || content.length === 0 || content.length > MAX_SCOPE_NODES)
        return `${field}.node_ids must be a list of 1-${MAX_SCOPE_NODES} node ids`;
      return content.every((id) => typeof id === 'string' && UUID.test(id))
        ? null
        : `${field}.node_ids must hold node ids (UUIDs)`;
    case 'tag':
      if (typeof content !== 'string') return `${field}.tag must be a tag selector key=value, like region=eu`;
      try {
        parseTagSelector(content);
        return null;
      } catch (error) {
        if (!(error instanceof TagSelectorError)) throw error;
        // The selector's messages name their field `tag`: `tag must be key=value`, `tag: a key must be ...`.
        return `${field}.${error.message}`;
      }
    case 'cluster_id':
      return typeof content === 'string' && UUID.test(content)
        ? null
        : `${field}.cluster_id must be a cluster id (UUID)`;
    default:
      return `${field} must be ${shapes}`;
  }
}

/** A valid scope in its stored form: node ids lower-cased, sorted and unique, so equal scopes compare equal. */
export function normalizeScope(scope: Scope): Scope {
  if ('node_ids' in scope)
    return { node_ids: [...new Set(scope.node_ids.map((id) => id.toLowerCase()))].sort() };
  if ('cluster_id' in scope) return { cluster_id: scope.cluster_id.toLowerCase() };
  return scope;
}
