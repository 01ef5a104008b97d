import type {
  ApiFields,
  DesiredClusterSpec,
  DesiredDnsSpec,
  DesiredNodeSpec,
  DesiredTemplateSpec,
  FleetSpec,
} from './fleet-file';

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

export interface CurrentCluster extends CurrentPeer {
  /** Member nodes by name. */
  members: string[];
  /** Its DNS settings without the secret; null: none. */
  dns: ApiFields | null;
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
  | TemplateChange
  | ClusterChange;

/** A change `dns` carries its settings without the secret, which `dnsSecretEnv` names the variable of. */
export type ClusterChange =
  | { action: 'create'; kind: 'cluster'; cluster: string; fields: ApiFields; dnsSecretEnv?: string }
  | {
      action: 'update';
      kind: 'cluster';
      cluster: string;
      id: string;
      version: number;
      changes: FieldChange[];
      dnsSecretEnv?: string;
    }
  | { action: 'delete'; kind: 'cluster'; cluster: string; id: string; version: number }
  | { action: 'create' | 'delete'; kind: 'member'; cluster: string; node: string }
  | { action: 'create'; kind: 'cluster-peer'; cluster: string; peer: string; fields: ApiFields }
  | {
      action: 'update';
      kind: 'cluster-peer';
      cluster: string;
      peer: string;
      id: string;
      version: number;
      changes: FieldChange[];
    }
  | { action: 'delete'; kind: 'cluster-peer'; cluster: string; peer: string; id: string; version: number };

export type TemplateChange =
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
  | { kind: 'node' | 'peer'; node: string; peer?: string }
  | { kind: 'template'; template: string }
  | { kind: 'cluster' | 'member' | 'cluster-peer'; cluster: string; name?: string };

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
 * The templates, the nodes and, when the file has a `clusters:` list, the clusters. Templates are written before
 * the nodes (which may name them) and deleted after them; clusters change after nodes are made (their members
 * must exist) and before nodes are deleted.
 */
export function diffFleetFile(
  spec: FleetSpec,
  current: { templates: CurrentTemplate[]; nodes: CurrentNode[]; clusters: CurrentCluster[] },
  prune: boolean,
): FleetDiff {
  const templates = diffTemplates(spec.templates, current.templates, prune);
  const nodes = diffFleet(spec.nodes, current.nodes, prune);
  const clusters = spec.clusters
    ? diffClusters(spec.clusters, current.clusters, prune)
    : { changes: [], kept: [] };
  const isNodeDeletion = (change: FleetChange) => change.action === 'delete' && change.kind === 'node';
  return {
    changes: [
      ...templates.changes,
      ...nodes.changes.filter((change) => !isNodeDeletion(change)),
      ...clusters.changes,
      ...nodes.changes.filter(isNodeDeletion),
      ...templates.deletions,
    ],
    kept: [...templates.kept, ...nodes.kept, ...clusters.kept],
  };
}

/** The stated DNS fields against the panel's: a change, or null when they agree (or the file leaves DNS out). */
function dnsChange(
  desired: DesiredDnsSpec | null | undefined,
  current: ApiFields | null,
): FieldChange | null {
  if (desired === undefined) return null;
  if (desired === null) return current === null ? null : { field: 'dns', from: current, to: null };
  if (current !== null && fieldChanges(desired.fields, current).length === 0) return null;
  return { field: 'dns', from: current, to: desired.fields };
}

/**
 * Clusters matched by name, their members by node name and their peers by name. Creations and updates first
 * (a cluster, then its members, then its peers); deletions after, the other way round.
 */
export function diffClusters(
  desired: DesiredClusterSpec[],
  current: CurrentCluster[],
  prune: boolean,
): FleetDiff {
  const changes: ClusterChange[] = [];
  const deletions: ClusterChange[] = [];
  const kept: KeptItem[] = [];
  const currentByName = new Map(current.map((cluster) => [cluster.name, cluster]));
  const secretEnv = (spec: DesiredClusterSpec) =>
    spec.dns?.secretEnv ? { dnsSecretEnv: spec.dns.secretEnv } : {};
  for (const spec of desired) {
    const existing = currentByName.get(spec.name);
    if (!existing) {
      changes.push({
        action: 'create',
        kind: 'cluster',
        cluster: spec.name,
        fields: { ...spec.fields, ...(spec.dns ? { dns: spec.dns.fields } : {}) },
        ...secretEnv(spec),
      });
    } else {
      const dns = dnsChange(spec.dns, existing.dns);
      const clusterChanges = [...fieldChanges(spec.fields, existing.fields), ...(dns ? [dns] : [])];
      if (clusterChanges.length > 0) {
        changes.push({
          action: 'update',
          kind: 'cluster',
          cluster: spec.name,
          id: existing.id,
          version: existing.version,
          changes: clusterChanges,
          ...(dns ? secretEnv(spec) : {}),
        });
      }
    }
    const members = existing?.members ?? [];
    if (spec.members) {
      for (const node of spec.members.filter((name) => !members.includes(name)))
        changes.push({ action: 'create', kind: 'member', cluster: spec.name, node });
      for (const node of members.filter((name) => !spec.members?.includes(name))) {
        if (prune) deletions.push({ action: 'delete', kind: 'member', cluster: spec.name, node });
        else kept.push({ kind: 'member', cluster: spec.name, name: node });
      }
    }
    const existingPeers = new Map((existing?.peers ?? []).map((peer) => [peer.name, peer]));
    for (const peer of spec.peers) {
      const found = existingPeers.get(peer.name);
      if (!found) {
        changes.push({
          action: 'create',
          kind: 'cluster-peer',
          cluster: spec.name,
          peer: peer.name,
          fields: peer.fields,
        });
        continue;
      }
      const peerChanges = fieldChanges(peer.fields, found.fields);
      if (peerChanges.length > 0) {
        changes.push({
          action: 'update',
          kind: 'cluster-peer',
          cluster: spec.name,
          peer: peer.name,
          id: found.id,
          version: found.version,
          changes: peerChanges,
        });
      }
    }
    const wanted = new Set(spec.peers.map((peer) => peer.name));
    for (const peer of (existing?.peers ?? []).filter((p) => !wanted.has(p.name))) {
      if (prune) {
        deletions.push({
          action: 'delete',
          kind: 'cluster-peer',
          cluster: spec.name,
          peer: peer.name,
          id: peer.id,
          version: peer.version,
        });
      } else kept.push({ kind: 'cluster-peer', cluster: spec.name, name: peer.name });
    }
  }
  const desiredNames = new Set(desired.map((cluster) => cluster.name));
  for (const cluster of current.filter((c) => !desiredNames.has(c.name))) {
    if (!prune) {
      kept.push({ kind: 'cluster', cluster: cluster.name });
      continue;
    }
    // A cluster is deleted without peers or members: they go first.
    for (const peer of cluster.peers) {
      deletions.push({
        action: 'delete',
        kind: 'cluster-peer',
        cluster: cluster.name,
        peer: peer.name,
        id: peer.id,
        version: peer.version,
      });
    }
    for (const node of cluster.members)
      deletions.push({ action: 'delete', kind: 'member', cluster: cluster.name, node });
    deletions.push({
      action: 'delete',
      kind: 'cluster',
      cluster: cluster.name,
      id: cluster.id,
      version: cluster.version,
    });
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

/** What a change is about, as a plan names it. */
function targetOf(change: FleetChange): string {
  switch (change.kind) {
    case 'node':
      return `node ${change.node}`;
    case 'peer':
      return `peer ${change.node}/${change.peer}`;
    case 'cluster':
      return `cluster ${change.cluster}`;
    case 'member':
      return `member ${change.cluster}/${change.node}`;
    case 'cluster-peer':
      return `peer ${change.cluster}/${change.peer} (cluster)`;
    case 'template':
      return `template ${change.template}`;
  }
}

/** A kept item as a plan names it. */
export function describeKept(item: KeptItem): string {
  if ('node' in item) return `${item.kind} ${item.peer ? `${item.node}/${item.peer}` : item.node}`;
  if (item.kind === 'template') return `template ${item.template}`;
  return `${item.kind} ${item.name ? `${item.cluster}/${item.name}` : item.cluster}`;
}

/** A change as one line of a plan (details of updates on the lines after it). */
export function describeChange(change: FleetChange): string[] {
  const sign = change.action === 'create' ? '+' : change.action === 'update' ? '~' : '-';
  const target = targetOf(change);
  const head = `${sign} ${change.action} ${target}`;
  if (change.action === 'update') {
    return [
      head,
      ...change.changes.map((c) => `    ${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`),
    ];
  }
  if (change.action === 'create' && change.kind !== 'member') {
    const values = change.kind === 'template' ? change.settings : change.fields;
    return [
      head,
      ...Object.entries(values).map(([field, value]) => `    ${field}: ${JSON.stringify(value)}`),
    ];
  }
  return [head];
}
