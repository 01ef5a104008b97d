import { Command } from 'commander';
import { planRenames } from '../bulk-rename';
import { CliError, EXIT } from '../exit-codes';
import { withOutputOption } from '../output';
import { examples, Runtime } from '../runtime';
import { readNamesFile } from './adopt';
import { shortKey } from './format';

/** `wgfleet peers rename <node> --names <file>`: the names of many peers of one node at once. */
export function registerBulkRename(peers: Command, runtime: Runtime): void {
  const rename = withOutputOption(
    peers
      .command('rename')
      .description(
        'rename peers of one node from a names file (CSV public_key,name or YAML public_key: name); ' +
          'refused, nothing renamed, when two peers would share a name',
      )
      .argument('<node>', 'node id or name')
      .requiredOption('--names <file>', 'the names file, as `wgfleet adopt --names` takes it'),
  );
  examples(rename, 'wgfleet peers rename edge-1 --names names.csv');
  rename.action(
    runtime.act(async (nodeRef: string, options: { names: string }, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const names = await readNamesFile(options.names);
      const node = await panel.resolveNode(nodeRef);
      const plan = planRenames(await panel.listPeers(node.id), names);
      if (plan.clash)
        throw new CliError(`${options.names}: ${plan.clash} on node ${node.name}; nothing renamed`);
      if (plan.unknownKeys.length > 0) {
        out.note(
          `${options.names} names ${plan.unknownKeys.length} key(s) that are no peer of node ${node.name} ` +
            `(unused): ${plan.unknownKeys.map(shortKey).join(', ')}`,
        );
      }
      const renamed = [];
      for (const { peer, to } of plan.renames) {
        renamed.push({
          from: peer.name,
          peer: await panel.updatePeer(peer.id, { name: to, version: peer.version }),
        });
      }
      if (out.json) out.printJson(renamed.map((item) => item.peer));
      else {
        out.line(`${node.name}: renamed ${renamed.length} peer(s)`);
        out.table(
          ['FROM', 'TO', 'PUBLIC KEY'],
          renamed.map((item) => [item.from, item.peer.name, shortKey(item.peer.public_key)]),
        );
      }
      return EXIT.ok;
    }),
  );
}
