import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import type {
  ClusterCreation,
  ClusterDns,
  ClusterView,
  NodeView,
  PeerView,
  TemplateView,
} from '../api-types';
import { CliError, EXIT } from '../exit-codes';
import {
  ClusterChange,
  CurrentCluster,
  CurrentNode,
  describeChange,
  describeKept,
  diffFleetFile,
  FleetChange,
  FleetDiff,
} from '../fleet/fleet-diff';
import {
  ApiFields,
  exportFleetFile,
  fleetDocument,
  FleetClusters,
  parseFleetFile,
} from '../fleet/fleet-file';
import { Output, withOutputOption } from '../output';
import { nodeCreation } from '../node-creation';
import { PanelApi } from '../panel-api';
import { examples, Runtime } from '../runtime';
import { partialScope } from '../scopes';

interface FleetOptions {
  file: string;
  prune?: boolean;
}

function withFleetOptions(command: Command): Command {
  return withOutputOption(
    command
      .requiredOption('-f, --file <fleet.yaml>', 'the fleet file (- for standard input)')
      .option('--prune', 'also delete nodes and peers the file does not list'),
  );
}

export function registerFleetCommands(program: Command, runtime: Runtime): void {
  examples(
    program
      .command('export')
      .description(
        'the fleet as a YAML fleet file: nodes, overrides, peers, clusters (never a private key or a secret)',
      )
      .option('-o, --output <format>', 'yaml (default) or json', 'yaml'),
    'wgfleet export > fleet.yaml',
  ).action(
    runtime.act(async (_options, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const wholeFleet = await noteScope(panel, out, 'read');
      const { nodes, peers, clusters, templates } = await readFleet(panel, wholeFleet);
      const peersOf = (id: string) => peers.get(id) ?? [];
      if (out.json) out.printJson(fleetDocument(nodes, peersOf, clusters, templates));
      else out.write(exportFleetFile(nodes, peersOf, clusters, templates));
    }),
  );

  examples(
    withFleetOptions(
      program
        .command('diff')
        .description("what sync would change in the panel's desired state; exit 0 none, 2 changes"),
    ),
    'wgfleet diff -f fleet.yaml',
    'wgfleet diff -f fleet.yaml --prune -o json',
  ).action(
    runtime.act(async (options: FleetOptions, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const diff = await fleetDiff(panel, options, await noteScope(panel, out, 'write'));
      if (out.json) out.printJson(diff);
      else printDiff(out, diff);
      return diff.changes.length > 0 ? EXIT.changes : EXIT.ok;
    }),
  );

  examples(
    withFleetOptions(
      program
        .command('sync')
        .description(
          'make the panel match a fleet file with ordinary versioned changes; new peers get keys from the panel',
        ),
    ),
    'wgfleet diff -f fleet.yaml && wgfleet sync -f fleet.yaml',
    'EDGE3_SECRET=… wgfleet sync -f fleet.yaml --prune',
  ).action(
    runtime.act(async (options: FleetOptions, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const diff = await fleetDiff(panel, options, await noteScope(panel, out, 'write'));
      const secrets = agentSecrets(diff.changes);
      const dnsSecrets = clusterDnsSecrets(diff.changes);
      const applied: FleetChange[] = [];
      const ids: CreatedIds = { nodes: new Map(), clusters: new Map(), templates: new Map() };
      for (const change of diff.changes) {
        if (change.kind === 'node' || change.kind === 'peer' || change.kind === 'template')
          await applyChange(panel, change, ids, secrets);
        else await applyClusterChange(panel, change, ids, dnsSecrets);
        applied.push(change);
        if (!out.json) out.line(describeChange(change)[0]);
      }
      if (out.json) out.printJson({ applied, kept: diff.kept });
      else {
        printKept(out, diff);
        out.line(applied.length === 0 ? 'nothing to change' : `${applied.length} change(s) applied`);
      }
    }),
  );
}

/**
 * A fleet file is the whole fleet: a scoped caller is told that it reads and changes only its scope, and that
 * clusters and templates, which span nodes, are the whole fleet's business. True when the caller's `role` covers the fleet.
 */
async function noteScope(panel: PanelApi, out: Output, role: 'read' | 'write'): Promise<boolean> {
  const partial = partialScope(await panel.whoAmI(), role);
  if (!partial) return true;
  out.note(partial);
  out.note('clusters and templates need the whole fleet: they are neither read nor changed');
  return false;
}

interface FleetState {
  nodes: NodeView[];
  peers: Map<string, PeerView[]>;
  clusters: FleetClusters;
  templates: TemplateView[];
}

async function readFleet(panel: PanelApi, wholeFleet: boolean): Promise<FleetState> {
  const nodes = await panel.listNodes();
  const peers = new Map<string, PeerView[]>();
  for (const node of nodes) peers.set(node.id, await panel.listPeers(node.id));
  const clusters = wholeFleet ? await panel.listClusters() : [];
  const clusterPeers = new Map<string, PeerView[]>();
  for (const cluster of clusters) clusterPeers.set(cluster.id, await panel.listClusterPeers(cluster.id));
  const names = new Map(nodes.map((node) => [node.id, node.name]));
  return {
    nodes,
    peers,
    clusters: {
      clusters,
      peersOf: (id) => clusterPeers.get(id) ?? [],
      nodeName: (id) => names.get(id) ?? id,
    },
    templates: wholeFleet ? await panel.listTemplates() : [],
  };
}

function currentCluster(cluster: ClusterView, state: FleetClusters): CurrentCluster {
  const { has_secret: _secret, ...dns } = cluster.dns ?? { has_secret: true };
  return {
    id: cluster.id,
    version: cluster.version,
    name: cluster.name,
    fields: cluster,
    members: cluster.members.map((member) => state.nodeName(member.node_id)),
    dns: cluster.dns ? dns : null,
    peers: state.peersOf(cluster.id).map((peer) => ({
      id: peer.id,
      version: peer.version,
      name: peer.name,
      fields: peer,
    })),
  };
}

async function fleetDiff(panel: PanelApi, options: FleetOptions, wholeFleet: boolean): Promise<FleetDiff> {
  const text = await readFleetText(options.file);
  const desired = parseFleetFile(text, options.file);
  if (desired.clusters && !wholeFleet) {
    throw new CliError(
      `${options.file}: clusters: needs role write on the whole fleet; leave it out to sync nodes`,
    );
  }
  const templated = desired.nodes.find((node) => node.fields.template !== undefined);
  if ((desired.templates.length > 0 || templated) && !wholeFleet) {
    throw new CliError(
      `${options.file}: templates${templated ? ` (node ${templated.name}'s template:)` : ':'} need role write on ` +
        'the whole fleet; leave them out to sync nodes',
    );
  }
  const { nodes, peers, clusters, templates } = await readFleet(panel, wholeFleet);
  const templateNames = new Map(templates.map((template) => [template.id, template.name]));
  const current: CurrentNode[] = nodes.map((node) => ({
    id: node.id,
    version: node.version,
    name: node.name,
    // A fleet file names a node's template; which version it runs is the rollouts' business.
    fields: { ...node, template: node.template_id ? templateNames.get(node.template_id) : null },
    peers: (peers.get(node.id) ?? []).map((peer) => ({
      id: peer.id,
      version: peer.version,
      name: peer.name,
      fields: peer,
    })),
  }));
  return diffFleetFile(
    desired,
    {
      templates,
      nodes: current,
      clusters: clusters.clusters.map((cluster) => currentCluster(cluster, clusters)),
    },
    options.prune === true,
  );
}

async function readFleetText(file: string): Promise<string> {
  try {
    return file === '-' ? await text(process.stdin) : await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Every new node needs its agent's secret; all are checked before anything changes. */
function agentSecrets(changes: FleetChange[]): Map<string, string> {
  const secrets = new Map<string, string>();
  for (const change of changes) {
    if (change.action !== 'create' || change.kind !== 'node') continue;
    const variable = change.agentSecretEnv;
    const secret = variable ? process.env[variable] : undefined;
    if (!secret) {
      throw new CliError(
        `node ${change.node} is new: give its agent secret in an environment variable named by ` +
          `agent_secret_env in the fleet file${variable ? ` (${variable} is not set)` : ''}`,
      );
    }
    secrets.set(change.node, secret);
  }
  return secrets;
}

/**
 * Every cluster whose DNS settings are written needs their secret, from the variable its `dns.secret_env`
 * names; all are checked before anything changes.
 */
function clusterDnsSecrets(changes: FleetChange[]): Map<string, string> {
  const secrets = new Map<string, string>();
  for (const change of changes) {
    if (change.kind !== 'cluster' || change.action === 'delete') continue;
    const writesDns =
      change.action === 'create'
        ? change.fields.dns !== undefined
        : change.changes.some((c) => c.field === 'dns' && c.to !== null);
    if (!writesDns) continue;
    const variable = change.dnsSecretEnv;
    const secret = variable ? process.env[variable] : undefined;
    if (!secret) {
      throw new CliError(
        `cluster ${change.cluster}: its DNS settings are written, so give their secret in an environment ` +
          `variable named by dns.secret_env in the fleet file${variable ? ` (${variable} is not set)` : ''}`,
      );
    }
    secrets.set(change.cluster, secret);
  }
  return secrets;
}

/** The settings with the secret under the provider's name for it. */
function dnsWithSecret(cluster: string, fields: Partial<ClusterDns>, secret: string | undefined): ClusterDns {
  const { provider } = fields;
  if (provider === 'webhook') return { ...fields, provider, secret };
  if (provider === 'rfc2136') return { ...fields, provider, tsig_secret: secret };
  throw new CliError(`cluster ${cluster}: dns.provider must be rfc2136 or webhook`);
}

/** A new cluster's body: the fields the API requires checked here, so a missing one is named as the file has it. */
function clusterCreation(name: string, fields: Partial<ClusterCreation>): ClusterCreation {
  const { endpoint_host, address_pool } = fields;
  if (endpoint_host === undefined || address_pool === undefined) {
    throw new CliError(`cluster ${name} is new: the fleet file must give its endpoint_host and address_pool`);
  }
  return { ...fields, name, endpoint_host, address_pool };
}

function isFields(value: unknown): value is ApiFields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface CreatedIds {
  nodes: Map<string, string>;
  clusters: Map<string, string>;
  templates: Map<string, string>;
}

async function applyClusterChange(
  panel: PanelApi,
  change: ClusterChange,
  ids: CreatedIds,
  secrets: Map<string, string>,
): Promise<void> {
  const clusterId = async () =>
    ids.clusters.get(change.cluster) ?? (await panel.resolveCluster(change.cluster)).id;
  const nodeId = async (name: string) => ids.nodes.get(name) ?? (await panel.resolveNode(name)).id;
  switch (change.kind) {
    case 'cluster':
      if (change.action === 'create') {
        const { dns, ...fields } = change.fields;
        const created = await panel.createCluster({
          ...clusterCreation(change.cluster, fields),
          ...(isFields(dns) ? { dns: dnsWithSecret(change.cluster, dns, secrets.get(change.cluster)) } : {}),
        });
        ids.clusters.set(created.name, created.id);
      } else if (change.action === 'update') {
        const body: ApiFields = { version: change.version };
        for (const { field, to } of change.changes) {
          body[field] =
            field === 'dns' && isFields(to)
              ? dnsWithSecret(change.cluster, to, secrets.get(change.cluster))
              : to;
        }
        await panel.updateCluster(change.id, body);
      } else await panel.deleteCluster(change.id, change.version);
      return;
    case 'member':
      if (change.action === 'create')
        await panel.addClusterMember(await clusterId(), await nodeId(change.node));
      else await panel.removeClusterMember(await clusterId(), await nodeId(change.node));
      return;
    case 'cluster-peer':
      if (change.action === 'create')
        await panel.createClusterPeer(await clusterId(), { name: change.peer, ...change.fields });
      else if (change.action === 'update')
        await panel.updatePeer(change.id, {
          ...Object.fromEntries(change.changes.map((c) => [c.field, c.to])),
          version: change.version,
        });
      else await panel.deletePeer(change.id, change.version);
      return;
  }
}

/**
 * A node's `template` (a name) as the API's `template_id`: naming a template pins its latest version, null
 * unpins. Templates this sync created are known by name already.
 */
async function withTemplateId(panel: PanelApi, fields: ApiFields, ids: CreatedIds): Promise<ApiFields> {
  const { template, ...rest } = fields;
  if (template === undefined) return fields;
  if (typeof template !== 'string') return { ...rest, template_id: null };
  const templateId = ids.templates.get(template) ?? (await panel.resolveTemplate(template)).id;
  return { ...rest, template_id: templateId };
}

async function applyChange(
  panel: PanelApi,
  change: Exclude<FleetChange, ClusterChange>,
  ids: CreatedIds,
  secrets: Map<string, string>,
): Promise<void> {
  if (change.action === 'update') {
    const changed = Object.fromEntries(change.changes.map((c) => [c.field, c.to]));
    if (change.kind === 'template') {
      await panel.updateTemplate(change.id, { settings: changed, version: change.version });
      return;
    }
    const body = { ...(await withTemplateId(panel, changed, ids)), version: change.version };
    if (change.kind === 'node') await panel.updateNode(change.id, body);
    else await panel.updatePeer(change.id, body);
  } else if (change.action === 'delete') {
    if (change.kind === 'template') await panel.deleteTemplate(change.id, change.version);
    else if (change.kind === 'node') await panel.deleteNode(change.id, change.version);
    else await panel.deletePeer(change.id, change.version);
  } else if (change.kind === 'template') {
    const created = await panel.createTemplate({
      name: change.template,
      settings: Object.fromEntries(Object.entries(change.settings)),
    });
    ids.templates.set(created.name, created.id);
  } else if (change.kind === 'node') {
    const node = nodeCreation(
      change.node,
      await withTemplateId(panel, change.fields, ids),
      (missing) => `node ${change.node} is new: the fleet file must give its ${missing.join(', ')}`,
    );
    const created = await panel.createNode({ ...node, agent_secret: secrets.get(change.node) });
    ids.nodes.set(created.name, created.id);
  } else {
    const nodeId = ids.nodes.get(change.node) ?? (await panel.resolveNode(change.node)).id;
    await panel.createPeer(nodeId, { name: change.peer, ...change.fields });
  }
}

function printDiff(out: Output, diff: FleetDiff): void {
  for (const change of diff.changes) {
    const [head, ...details] = describeChange(change);
    const paint =
      change.action === 'create'
        ? out.color.green
        : change.action === 'delete'
          ? out.color.red
          : out.color.yellow;
    out.line(paint(head));
    for (const detail of details) out.line(detail);
  }
  printKept(out, diff);
  out.line(
    diff.changes.length === 0 ? 'no changes: the panel matches the file' : `${diff.changes.length} change(s)`,
  );
}

function printKept(out: Output, diff: FleetDiff): void {
  for (const item of diff.kept) out.note(`  not in the file, kept (--prune deletes): ${describeKept(item)}`);
}
