import type { ApiFields, DesiredNodeSpec, DesiredTemplateSpec } from './fleet-file';

/** A node or peer as the panel has it: its id and version make the change a versioned write. */
export interface CurrentPeer {
  id: string;
  version: number;
  name: string;
  fields: ApiFields;
}

export interface CurrentNode extends CurrentPeer {
  peers: CurrentPeer[];
}

/** A template as the panel has it: its latest version's settings. */
export interface CurrentTemplate {
  id: string;
  version: number;
  name: string;
  settings: ApiFields;
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export type FleetChange =
  | { action: 'create'; kind: 'node'; node: string; fields: ApiFields; agentSecretEnv?: string }
  | { action: 'update'; kind: 'node'; node: string; id: string; version: number; changes: FieldChange[] }
  | { action: 'delete'; kind: 'node'; node: string; id: string; version: number }
  | { action: 'create'; kind: 'peer'; node: string; peer: string; fields: ApiFields }
  | {
      action: 'update';
      kind: 'peer';
      node: string;
      peer: string;
      id: string;
      version: number;
      changes: FieldChange[];
    }
  | { action: 'delete'; kind: 'peer'; node: string; peer: string; id: string; version: number }
  | { action: 'create'; kind: 'template'; template: string; settings: ApiFields }
  | {
      action: 'update';
      kind: 'template';
      template: string;
      id: string;
      version: number;
      changes: FieldChange[];
    }
  | { action: 'delete'; kind: 'template'; template: string; id: string; version: number };

/** In the panel, not in the file, and left alone because --prune was not given. */
export type KeptItem =
  { kind: 'node' | 'peer'; node: string; peer?: string } | { kind: 'template'; template: string };

export interface FleetDiff {
  changes: FleetChange[];
  kept: KeptItem[];
}

/** Lists whose order carries no meaning: compared as sets. */
const SET_FIELDS = new Set([
  'allowed_ips',
  'routed_ips',
  'endpoint_allowed_ips',
  'override_endpoint_allowed_ip',
]);

/** Maps whose key order carries no meaning (the panel answers in its own order). */
const MAP_FIELDS = new Set(['tags']);

function same(field: string, a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b) && SET_FIELDS.has(field)) {
    return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  }
  if (isMap(a) && isMap(b) && MAP_FIELDS.has(field)) {
    return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  }
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldChanges(desired: ApiFields, current: ApiFields): FieldChange[] {
  return Object.entries(desired)
    .filter(([field, value]) => !same(field, value, current[field]))
    .map(([field, value]) => ({ field, from: current[field] ?? null, to: value }));
}

/**
 * What it takes to make the panel's desired state match a fleet file. Nodes and peers are matched by name (peers
 * within their node); only fields the file states are compared; what the file leaves out is deleted only with
 * `prune`. Order: creations and updates before deletions, nodes before their peers (deletions the other way).
 */
export function diffFleet(desired: DesiredNodeSpec[], current: CurrentNode[], prune: boolean): FleetDiff {
  const changes: FleetChange[] = [];
  const kept: KeptItem[] = [];
  const deletions: FleetChange[] = [];
  const currentByName = new Map(current.map((node) => [node.name, node]));
  const desiredNames = new Set(desired.map((node) => node.name));

  for (const node of desired) {
    const existing = currentByName.get(node.name);
    if (!existing) {
      changes.push({
        action: 'create',
        kind: 'node',
        node: node.name,
        fields: node.fields,
        ...(node.agentSecretEnv ? { agentSecretEnv: node.agentSecretEnv } : {}),
      });
    } else {
      const nodeChanges = fieldChanges(node.fields, existing.fields);
      if (nodeChanges.length > 0) {
        changes.push({
          action: 'update',
          kind: 'node',
          node: node.name,
          id: existing.id,
          version: existing.version,
          changes: nodeChanges,
        });
      }
    }
    // A node the panel does not have yet has no peers there: every peer of the file is created.
    const existingPeers = existing?.peers ?? [];
    const peersByName = new Map(existingPeers.map((peer) => [peer.name, peer]));
    const wanted = new Set(node.peers.map((peer) => peer.name));
    for (const peer of node.peers) {
      const found = peersByName.get(peer.name);
      if (!found) {
        changes.push({
          action: 'create',
          kind: 'peer',
          node: node.name,
          peer: peer.name,
          fields: peer.fields,
        });
        continue;
      }
      const peerChanges = fieldChanges(peer.fields, found.fields);
      if (peerChanges.length > 0) {
        changes.push({
          action: 'update',
          kind: 'peer',
          node: node.name,
          peer: peer.name,
          id: found.id,
          version: found.version,
          changes: peerChanges,
        });
      }
    }
    for (const peer of existingPeers.filter((p) => !wanted.has(p.name))) {
      if (prune) {
        deletions.push({
          action: 'delete',
          kind: 'peer',
          node: node.name,
          peer: peer.name,
          id: peer.id,
          version: peer.version,
        });
      } else kept.push({ kind: 'peer', node: node.name, peer: peer.name });
    }
  }
  for (const node of current.filter((n) => !desiredNames.has(n.name))) {
    if (prune)
      deletions.push({ action: 'delete', kind: 'node', node: node.name, id: node.id, version: node.version });
    else kept.push({ kind: 'node', node: node.name });
  }
  return { changes: [...changes, ...deletions], kept };
}

/**
 * Templates of a fleet file against the panel's, by name: a template's settings are the file's exactly (a setting
 * the file leaves out is removed, as null). An edit is the template's next version and moves no node. Creations
 * and updates go before the nodes (which may name them), deletions after (a followed template cannot go).
 */
export function diffTemplates(
  desired: DesiredTemplateSpec[],
  current: CurrentTemplate[],
  prune: boolean,
): { changes: FleetChange[]; deletions: FleetChange[]; kept: KeptItem[] } {
  const changes: FleetChange[] = [];
  const deletions: FleetChange[] = [];
  const kept: KeptItem[] = [];
  const currentByName = new Map(current.map((template) => [template.name, template]));
  for (const template of desired) {
    const existing = currentByName.get(template.name);
    if (!existing) {
      changes.push({
        action: 'create',
        kind: 'template',
        template: template.name,
        settings: template.settings,
      });
      continue;
    }
    const removed = Object.fromEntries(
      Object.keys(existing.settings)
        .filter((key) => template.settings[key] === undefined)
        .map((key) => [key, null]),
    );
    const settingChanges = fieldChanges({ ...removed, ...template.settings }, existing.settings);
    if (settingChanges.length > 0) {
      changes.push({
        action: 'update',
        kind: 'template',
        template: template.name,
        id: existing.id,
        version: existing.version,
        changes: settingChanges,
      });
    }
  }
  const wanted = new Set(desired.map((template) => template.name));
  for (const template of current.filter((t) => !wanted.has(t.name))) {
    if (prune)
      deletions.push({
        action: 'delete',
        kind: 'template',
        template: template.name,
        id: template.id,
        version: template.version,
      });
    else kept.push({ kind: 'template', template: template.name });
  }
  return { changes, deletions, kept };
}

/** A change as one line of a plan (details of updates on the lines after it). */
export function describeChange(change: FleetChange): string[] {
  const sign = change.action === 'create' ? '+' : change.action === 'update' ? '~' : '-';
  const target =
    change.kind === 'template'
      ? `template ${change.template}`
      : change.kind === 'node'
        ? `node ${change.node}`
        : `peer ${change.node}/${change.peer}`;
  const head = `${sign} ${change.action} ${target}`;
  if (change.action === 'update') {
    return [
      head,
      ...change.changes.map((c) => `    ${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`),
    ];
  }
  if (change.action === 'create') {
    const values = change.kind === 'template' ? change.settings : change.fields;
    return [
      head,
      ...Object.entries(values).map(([field, value]) => `    ${field}: ${JSON.stringify(value)}`),
    ];
  }
  return [head];
}
