import { Command } from 'commander';
import { text } from 'node:stream/consumers';
import type { NodeUpdate, NodeView } from '../api-types';
import { CliError } from '../exit-codes';
import { addFieldOptions, fieldsFrom, NODE_FIELDS } from '../field-options';
import { nodeCreation } from '../node-creation';
import { Output, withOutputOption } from '../output';
import { examples, Runtime } from '../runtime';
import { changedTags, collect, collectTag, formatTags } from '../tags';
import { shortKey } from './format';

export function registerNodeCommands(program: Command, runtime: Runtime): void {
  const nodes = program.command('nodes').description('WireGuard nodes (servers) the panel manages');

  examples(
    withOutputOption(
      nodes
        .command('ls')
        .alias('list')
        .description('list the nodes')
        .option('--tag <key=value>', 'only nodes with this tag (repeat: all of them)', collectTag, []),
    ),
    'wgfleet nodes ls -o json',
    'wgfleet nodes list --tag region=eu --tag tier=gold',
  ).action(
    runtime.act(async (options: { tag: string[] }, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const list = await panel.listNodes(options.tag);
      if (out.json) out.printJson(list);
      else
        out.table(
          ['NAME', 'ID', 'INTERFACE', 'ENDPOINT', 'POOL', 'ENABLED', 'PUBLIC KEY', 'TAGS'],
          list.map((node) => [
            node.name,
            node.id,
            node.interface,
            node.endpoint,
            node.address_pool,
            node.enabled,
            shortKey(node.public_key),
            formatTags(node.tags),
          ]),
        );
    }),
  );

  examples(
    withOutputOption(
      nodes.command('show').description('one node, every field').argument('<node>', 'id or name'),
    ),
    'wgfleet nodes show edge-1',
  ).action(
    runtime.act(async (ref: string, _options, command) => {
      const panel = await runtime.panel(command);
      printNode(runtime.out(command), await panel.resolveNode(ref));
    }),
  );

  const add = addFieldOptions(
    withOutputOption(
      nodes
        .command('add')
        .description('register a node; its agent secret comes from stdin or WGFLEET_AGENT_SECRET')
        .argument('<name>')
        .option('--agent-secret-stdin', "read the agent's shared secret from standard input")
        .option('--disabled', 'register it disabled (not scanned, not synced)')
        .option('--tag <key=value>', 'a tag of the node (repeatable)', collectTag, []),
    ),
    NODE_FIELDS,
  );
  examples(
    add,
    'wgfleet nodes add edge-1 --agent-url https://10.0.0.5:8420 --interface wg0 \\\n' +
      '      --endpoint vpn.example.com:51820 --address-pool 10.8.0.0/16 --agent-secret-stdin < secret',
  );
  add.action(
    runtime.act(async (name: string, options: Record<string, unknown>, command) => {
      const body = nodeCreation(
        name,
        {
          ...fieldsFrom(options, NODE_FIELDS),
          ...(options.disabled ? { enabled: false } : {}),
          ...(stringList(options.tag).length > 0
            ? { tags: changedTags({}, stringList(options.tag), []) }
            : {}),
        },
        (missing) => `a new node needs ${missing.map((field) => '--' + field.replace(/_/g, '-')).join(', ')}`,
      );
      const secret = options.agentSecretStdin
        ? (await text(process.stdin)).trim()
        : process.env.WGFLEET_AGENT_SECRET;
      if (!secret)
        throw new CliError("give the agent's secret with --agent-secret-stdin or WGFLEET_AGENT_SECRET");
      const panel = await runtime.panel(command);
      printNode(runtime.out(command), await panel.createNode({ ...body, agent_secret: secret }));
    }),
  );

  const set = addFieldOptions(
    withOutputOption(
      nodes
        .command('set')
        .description('change fields of a node (only those given); `none` clears an override')
        .argument('<node>', 'id or name')
        .option('--enable', 'enable the node')
        .option('--disable', 'disable the node')
        .option('--agent-secret-stdin', 'read a new agent secret from standard input')
        .option('--tag <key=value>', 'add or change a tag (repeatable)', collectTag, [])
        .option('--untag <key>', 'remove a tag (repeatable)', collect, [])
        .option(
          '--template <name[@version]|none>',
          'follow a template, pinning its latest version (or the one given); none stops following',
        ),
    ),
    NODE_FIELDS,
  );
  examples(
    set,
    'wgfleet nodes set edge-1 --override-keepalive 25 --override-dns none',
    'wgfleet nodes set edge-1 --tag region=eu --untag canary',
    'wgfleet nodes set edge-1 --template branch-office@3',
  );
  set.action(
    runtime.act(async (ref: string, options: Record<string, unknown>, command) => {
      const panel = await runtime.panel(command);
      const node = await panel.resolveNode(ref);
      const body: NodeUpdate = { ...fieldsFrom(options, NODE_FIELDS), version: node.version };
      if (options.enable) body.enabled = true;
      if (options.disable) body.enabled = false;
      if (options.agentSecretStdin) body.agent_secret = (await text(process.stdin)).trim();
      if (typeof options.template === 'string') {
        const pin = templatePin(options.template);
        body.template_id = pin ? (await panel.resolveTemplate(pin.template)).id : null;
        if (pin?.version !== undefined) body.template_version = pin.version;
      }
      const tagged = stringList(options.tag);
      const untagged = stringList(options.untag);
      if (tagged.length > 0 || untagged.length > 0) body.tags = changedTags(node.tags, tagged, untagged);
      printNode(runtime.out(command), await panel.updateNode(node.id, body));
    }),
  );

  examples(
    withOutputOption(
      nodes
        .command('rm')
        .description('delete a node and its peers from the panel')
        .argument('<node>', 'id or name'),
    ),
    'wgfleet nodes rm edge-1',
  ).action(
    runtime.act(async (ref: string, _options, command) => {
      const panel = await runtime.panel(command);
      const node = await panel.resolveNode(ref);
      await panel.deleteNode(node.id, node.version);
      runtime
        .out(command)
        .result(`deleted node ${node.name}`, { deleted: { kind: 'node', id: node.id, name: node.name } });
    }),
  );
}

/** `name`, `name@3` or `none` (null): a trailing `@<digits>` is the version. */
export function templatePin(value: string): { template: string; version?: number } | null {
  if (value === 'none') return null;
  const match = /^(.+)@(\d+)$/.exec(value);
  return match ? { template: match[1], version: Number(match[2]) } : { template: value };
}

function printNode(out: Output, node: NodeView): void {
  if (out.json) out.printJson(node);
  else out.table(['FIELD', 'VALUE'], Object.entries({ ...node, tags: formatTags(node.tags) }));
}

/** A repeatable option's values (commander's option record is untyped). */
function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
