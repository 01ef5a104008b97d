import { InvalidArgumentError, Option } from 'commander';
import type { Me, Scope } from './api-types';
import type { PanelApi } from './panel-api';

/** `--scope` as typed, before node names are looked up. */
export type ScopeArgument = { all: true } | { tag: string } | { cluster: string } | { nodes: string[] };

/**
 * `all`, `tag=region=eu`, `node=web-1,web-2` (names or ids) or `cluster=<name>` (docs/SECURITY.md "Roles and
 * scopes"). Whether a tag selector is allowed is the panel's to say (a 400 naming `scope`).
 */
export function parseScope(text: string): ScopeArgument {
  if (text === 'all') return { all: true };
  const equals = text.indexOf('=');
  const kind = equals < 0 ? text : text.slice(0, equals);
  const value = equals < 0 ? '' : text.slice(equals + 1);
  if (value === '' || !['tag', 'node', 'cluster'].includes(kind)) {
    throw new InvalidArgumentError('must be all, tag=<key>=<value>, node=<name>,... or cluster=<name>');
  }
  if (kind === 'tag') return { tag: value };
  if (kind === 'cluster') return { cluster: value };
  return { nodes: value.split(',').map((name) => name.trim()) };
}

/** The scope the API takes: node and cluster names become ids through `ids`. */
export async function resolveScope(
  scope: ScopeArgument,
  ids: { node: (ref: string) => Promise<string>; cluster: (ref: string) => Promise<string> },
): Promise<Scope> {
  if ('all' in scope || 'tag' in scope) return scope;
  if ('cluster' in scope) return { cluster_id: await ids.cluster(scope.cluster) };
  return { node_ids: await Promise.all(scope.nodes.map(ids.node)) };
}

/** `all`, `tag region=eu`, `cluster <id>`, `nodes <id>,<id>`: a scope in a table cell. */
export function formatScope(scope: Scope): string {
  if ('all' in scope) return 'all';
  if ('tag' in scope) return `tag ${scope.tag}`;
  if ('cluster_id' in scope) return `cluster ${scope.cluster_id}`;
  return `nodes ${scope.node_ids.join(',')}`;
}

/** The scope the API takes for `--scope` (node names looked up on the panel). */
export function scopeFor(panel: PanelApi, scope: ScopeArgument) {
  return resolveScope(scope, {
    node: async (ref) => (await panel.resolveNode(ref)).id,
    cluster: async (ref) => (await panel.resolveCluster(ref)).id,
  });
}

export const scopeOption = () =>
  new Option(
    '--scope <scope>',
    'where the role applies: all, tag=<key>=<value>, node=<name>,... or cluster=<name>',
  ).argParser(parseScope);

/**
 * When the caller's `role` covers only part of the fleet: a sentence saying where, for commands that mean the
 * whole fleet (export, diff, sync) and see only the scope's nodes. Null on the whole fleet.
 */
export function partialScope(me: Me, role: 'read' | 'write'): string | null {
  const rank = { read: 0, write: 1, admin: 2, self: -1 };
  const granting = me.bindings.filter((binding) => rank[binding.role] >= rank[role]);
  if (granting.some((binding) => 'all' in binding.scope)) return null;
  const where = granting.map((binding) => formatScope(binding.scope)).join('; ') || 'no node';
  return `limited to your scope (${role} on ${where}): nodes outside it are neither read nor changed`;
}
