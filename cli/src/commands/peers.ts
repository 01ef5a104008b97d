import { Command } from 'commander';
import type { NodeView, PeerUpdate, PeerView } from '../api-types';
import { addFieldOptions, fieldsFrom, PEER_FIELDS } from '../field-options';
import { Output, withOutputOption } from '../output';
import { writeOwnerOnlyFile } from '../owner-only-file';
import { examples, Runtime } from '../runtime';
import { qrTooLargeNote, terminalQr } from '../terminal-qr';
import { shortKey } from './format';
import { registerBulkRename } from './rename';

const NODE_OPTION = ['--node <node>', 'the node (id or name) when a peer name is used on several'] as const;

export function registerPeerCommands(program: Command, runtime: Runtime): void {
  const peers = program.command('peers').description('WireGuard peers (clients) of the nodes');
  registerBulkRename(peers, runtime);

  examples(
    withOutputOption(
      peers
        .command('ls')
        .description('list peers, of one node or of all')
        .option('--node <node>', 'only this node')
        .option(
          '--search <text>',
          'only peers whose name contains it (any case) or whose key starts with it',
        ),
    ),
    'wgfleet peers ls --node edge-1',
    'wgfleet peers ls --search laptop',
  ).action(
    runtime.act(async (options: { node?: string; search?: string }, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const nodes: NodeView[] = options.node
        ? [await panel.resolveNode(options.node)]
        : await panel.listNodes();
      const rows: { node: NodeView; peer: PeerView }[] = [];
      for (const node of nodes)
        for (const peer of await panel.listPeers(node.id, options.search)) rows.push({ node, peer });
      if (out.json) {
        out.printJson(rows.map((row) => row.peer));
        return;
      }
      // A site's networks matter as much as its address, but most fleets have none: the column comes with them.
      const routed = rows.some(({ peer }) => peer.routed_ips.length > 0);
      out.table(
        [
          'NODE',
          'NAME',
          'ID',
          'ADDRESSES',
          ...(routed ? ['ROUTED NETWORKS'] : []),
          'PUBLIC KEY',
          'ENABLED',
          'SYNC',
        ],
        rows.map(({ node, peer }) => [
          node.name,
          peer.name,
          peer.id,
          peer.allowed_ips,
          ...(routed ? [peer.routed_ips.length > 0 ? peer.routed_ips : '-'] : []),
          shortKey(peer.public_key),
          peer.enabled,
          out.status(peer.sync_status ?? '-'),
        ]),
      );
    }),
  );

  const add = addFieldOptions(
    withOutputOption(
      peers
        .command('add')
        .description('add a peer; keys and address are made by the panel when not given')
        .argument('<node>', 'node id or name')
        .argument('<name>', 'peer name')
        .option('--preshared-key', 'generate a preshared key too')
        .option('--disabled', 'add it disabled'),
    ),
    PEER_FIELDS,
  );
  examples(
    add,
    'wgfleet peers add edge-1 alice-laptop --preshared-key',
    'wgfleet peers add edge-1 bob --public-key <key> --allowed-ips 10.8.0.9/32',
  );
  add.action(
    runtime.act(async (nodeRef: string, name: string, options: Record<string, unknown>, command) => {
      const panel = await runtime.panel(command);
      const node = await panel.resolveNode(nodeRef);
      const body = {
        name,
        ...fieldsFrom(options, PEER_FIELDS),
        ...(options.presharedKey ? { generate_preshared_key: true } : {}),
        ...(options.disabled ? { enabled: false } : {}),
      };
      printPeer(runtime.out(command), await panel.createPeer(node.id, body));
    }),
  );

  const set = addFieldOptions(
    withOutputOption(
      peers
        .command('set')
        .description('change fields of a peer (only those given); `none` makes a setting inherit again')
        .argument('<peer>', 'peer id or name')
        .option(...NODE_OPTION)
        .option('--name <name>', 'rename it')
        .option('--enable', 'enable it')
        .option('--disable', 'disable it (removed from its node)'),
    ),
    PEER_FIELDS,
  );
  examples(
    set,
    'wgfleet peers set alice-laptop --keepalive 25',
    'wgfleet peers set bob --node edge-1 --disable',
  );
  set.action(
    runtime.act(async (ref: string, options: Record<string, unknown> & { node?: string }, command) => {
      const panel = await runtime.panel(command);
      const peer = await panel.resolvePeer(ref, options.node);
      const body: PeerUpdate = { ...fieldsFrom(options, PEER_FIELDS), version: peer.version };
      if (typeof options.name === 'string') body.name = options.name;
      if (options.enable) body.enabled = true;
      if (options.disable) body.enabled = false;
      printPeer(runtime.out(command), await panel.updatePeer(peer.id, body));
    }),
  );

  examples(
    withOutputOption(
      peers
        .command('rm')
        .description('delete a peer (removed from its node)')
        .argument('<peer>', 'peer id or name')
        .option(...NODE_OPTION),
    ),
    'wgfleet peers rm alice-laptop --node edge-1',
  ).action(
    runtime.act(async (ref: string, options: { node?: string }, command) => {
      const panel = await runtime.panel(command);
      const peer = await panel.resolvePeer(ref, options.node);
      await panel.deletePeer(peer.id, peer.version);
      runtime
        .out(command)
        .result(`deleted peer ${peer.name}`, { deleted: { kind: 'peer', id: peer.id, name: peer.name } });
    }),
  );

  examples(
    peers
      .command('config')
      .description("the peer's wg-quick client config (holds its private key: needs a write token)")
      .argument('<peer>', 'peer id or name')
      .option(...NODE_OPTION)
      .option('--qr', 'draw it as a QR code in the terminal, for the WireGuard mobile apps')
      .option('--out <file>', 'write it to a file (mode 0600) instead of stdout'),
    'wgfleet peers config alice-laptop --out alice.conf',
    'wgfleet peers config alice-phone --qr',
  ).action(
    runtime.act(async (ref: string, options: { node?: string; qr?: boolean; out?: string }, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const peer = await panel.resolvePeer(ref, options.node);
      const config = await panel.peerConfig(peer.id);
      const qr = options.qr ? await terminalQr(config) : undefined;
      const rendered = qr ? qr.text : config;
      if (options.out) {
        await writeOwnerOnlyFile(options.out, rendered);
        out.note(`wrote the config of ${peer.name} to ${options.out}`);
      } else out.write(rendered);
      // Told after the code, where it stays on screen.
      const tooLarge = qr && !options.out && process.stdout.isTTY ? qrTooLargeNote(qr, process.stdout) : null;
      if (tooLarge) out.note(tooLarge);
    }),
  );
}

export function printPeer(out: Output, peer: PeerView): void {
  if (out.json) out.printJson(peer);
  else out.table(['FIELD', 'VALUE'], Object.entries(peer));
}
