import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import type { NodeView, PeerView } from '../api-types';
import { CliError, EXIT } from '../exit-codes';
import { CurrentNode, describeChange, diffFleet, FleetChange, FleetDiff } from '../fleet/fleet-diff';
import { exportFleetFile, fleetDocument, parseFleetFile } from '../fleet/fleet-file';
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
        'the fleet as a YAML fleet file: nodes, overrides, peers (never a private or preshared key)',
      )
      .option('-o, --output <format>', 'yaml (default) or json', 'yaml'),
    'wgfleet export > fleet.yaml',
  ).action(
    runtime.act(async (_options, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      await noteScope(panel, out, 'read');
      const { nodes, peers } = await readFleet(panel);
      const peersOf = (id: string) => peers.get(id) ?? [];
      if (out.json) out.printJson(fleetDocument(nodes, peersOf));
      else out.write(exportFleetFile(nodes, peersOf));
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
      await noteScope(panel, out, 'write');
      const diff = await fleetDiff(panel, options);
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
      await noteScope(panel, out, 'write');
      const diff = await fleetDiff(panel, options);
      const secrets = agentSecrets(diff.changes);
      const applied: FleetChange[] = [];
      const nodeIds = new Map<string, string>();
      for (const change of diff.changes) {
        await applyChange(panel, change, nodeIds, secrets);
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

/** A fleet file is the whole fleet: a scoped caller is told that it reads and changes only its scope. */
async function noteScope(panel: PanelApi, out: Output, role: 'read' | 'write'): Promise<void> {
  const partial = partialScope(await panel.whoAmI(), role);
  if (partial) out.note(partial);
}

async function readFleet(panel: PanelApi): Promise<{ nodes: NodeView[]; peers: Map<string, PeerView[]> }> {
  const nodes = await panel.listNodes();
  const peers = new Map<string, PeerView[]>();
  for (const node of nodes) peers.set(node.id, await panel.listPeers(node.id));
  return { nodes, peers };
}

async function fleetDiff(panel: PanelApi, options: FleetOptions): Promise<FleetDiff> {
  const text = await readFleetText(options.file);
  const desired = parseFleetFile(text, options.file);
  const { nodes, peers } = await readFleet(panel);
  const current: CurrentNode[] = nodes.map((node) => ({
    id: node.id,
    version: node.version,
    name: node.name,
    fields: node,
    peers: (peers.get(node.id) ?? []).map((peer) => ({
      id: peer.id,
      version: peer.version,
      name: peer.name,
      fields: peer,
    })),
  }));
  return diffFleet(desired, current, options.prune === true);
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

async function applyChange(
  panel: PanelApi,
  change: FleetChange,
  nodeIds: Map<string, string>,
  secrets: Map<string, string>,
): Promise<void> {
  if (change.action === 'update') {
    const body = {
      ...Object.fromEntries(change.changes.map((c) => [c.field, c.to])),
      version: change.version,
    };
    if (change.kind === 'node') await panel.updateNode(change.id, body);
    else await panel.updatePeer(change.id, body);
  } else if (change.action === 'delete') {
    if (change.kind === 'node') await panel.deleteNode(change.id, change.version);
    else await panel.deletePeer(change.id, change.version);
  } else if (change.kind === 'node') {
    const node = nodeCreation(
      change.node,
      change.fields,
      (missing) => `node ${change.node} is new: the fleet file must give its ${missing.join(', ')}`,
    );
    const created = await panel.createNode({ ...node, agent_secret: secrets.get(change.node) });
    nodeIds.set(created.name, created.id);
  } else {
    const nodeId = nodeIds.get(change.node) ?? (await panel.resolveNode(change.node)).id;
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
  for (const item of diff.kept) {
    out.note(
      `  not in the file, kept (--prune deletes): ${item.kind} ${item.peer ? `${item.node}/${item.peer}` : item.node}`,
    );
  }
}
