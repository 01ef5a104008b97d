import { clusterDnsProviderValues, tsigAlgorithmValues } from '@wgfleet/client';
import { Command } from 'commander';
import { text } from 'node:stream/consumers';
import type { ClusterDns, ClusterView } from '../api-types';
import { CliError } from '../exit-codes';
import { addFieldOptions, choice, fieldsFrom, integer, PEER_FIELDS } from '../field-options';
import { Output, withOutputOption } from '../output';
import { examples, Runtime } from '../runtime';
import { shortKey } from './format';
import { printPeer } from './peers';

/** The options that make a cluster's DNS settings; the secret comes from stdin or WGFLEET_DNS_SECRET. */
interface DnsOptions {
  dns?: string;
  dnsServer?: string;
  dnsZone?: string;
  tsigKeyName?: string;
  tsigAlgorithm?: string;
  dnsTtl?: string;
  dnsUrl?: string;
  dnsSecretStdin?: boolean;
}

export function registerClusterCommands(program: Command, runtime: Runtime): void {
  const cluster = program
    .command('cluster')
    .description(
      'clusters: nodes sharing one endpoint name and one WireGuard key, their peers on every member',
    );

  examples(
    withOutputOption(cluster.command('list').description('list the clusters')),
    'wgfleet cluster list',
  ).action(
    runtime.act(async (_options, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const clusters = await panel.listClusters();
      if (out.json) out.printJson(clusters);
      else
        out.table(
          ['NAME', 'ID', 'ENDPOINT', 'POOL', 'MEMBERS', 'HEALTHY', 'PUBLISHED', 'PUBLIC KEY'],
          clusters.map((item) => [
            item.name,
            item.id,
            `${item.endpoint_host}:${item.endpoint_port}`,
            item.address_pool,
            item.members.length,
            item.members.filter((member) => member.health === 'healthy').length,
            item.members.filter((member) => member.published).length,
            shortKey(item.public_key),
          ]),
        );
    }),
  );

  examples(
    withOutputOption(
      cluster.command('show').description('one cluster with its members').argument('<cluster>', 'id or name'),
    ),
    'wgfleet cluster show edge',
  ).action(
    runtime.act(async (ref: string, _options, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const found = await panel.resolveCluster(ref);
      if (out.json) return out.printJson(found);
      const names = new Map((await panel.listNodes()).map((node) => [node.id, node.name]));
      printCluster(out, found, names);
    }),
  );

  const create = withOutputOption(
    cluster
      .command('create')
      .description('make a cluster; its key is given or taken from its first member')
      .argument('<name>')
      .requiredOption('--endpoint <host[:port]>', 'the DNS name clients connect to (port 51820 when omitted)')
      .requiredOption('--pool <cidr>', "the cluster peers' address pool")
      .option('--pool-v6 <cidr>', 'an IPv6 pool too')
      .option('--public-key <key>', "the members' shared interface public key")
      .option('--dns <provider>', `publish the endpoint name: ${clusterDnsProviderValues.join(' or ')}`)
      .option('--dns-server <host:port>', 'rfc2136: the primary name server')
      .option('--dns-zone <zone>', 'rfc2136: the zone')
      .option('--tsig-key-name <name>', 'rfc2136: the TSIG key name')
      .option('--tsig-algorithm <algorithm>', `rfc2136: ${tsigAlgorithmValues.join(', ')}`)
      .option('--dns-ttl <seconds>', 'rfc2136: the record TTL')
      .option('--dns-url <url>', 'webhook: where to send the change')
      .option(
        '--dns-secret-stdin',
        'read the DNS secret (TSIG or webhook) from stdin, else WGFLEET_DNS_SECRET',
      ),
  );
  examples(
    create,
    'wgfleet cluster create edge --endpoint vpn.example.com --pool 10.50.0.0/24',
    'wgfleet cluster create edge --endpoint vpn.example.com:51820 --pool 10.50.0.0/24 --dns rfc2136 \\\n' +
      '      --dns-server ns1.example.com:53 --dns-zone example.com --tsig-key-name wgfleet --dns-secret-stdin < tsig',
  );
  create.action(
    runtime.act(
      async (
        name: string,
        options: DnsOptions & { endpoint: string; pool: string; poolV6?: string; publicKey?: string },
        command,
      ) => {
        const [host, port] = splitEndpoint(options.endpoint);
        const dns = await dnsFrom(options);
        const panel = await runtime.panel(command);
        const created = await panel.createCluster({
          name,
          endpoint_host: host,
          ...(port === undefined ? {} : { endpoint_port: port }),
          address_pool: options.pool,
          ...(options.poolV6 ? { address_pool_v6: options.poolV6 } : {}),
          ...(options.publicKey ? { public_key: options.publicKey } : {}),
          ...(dns ? { dns } : {}),
        });
        printCluster(runtime.out(command), created, new Map());
      },
    ),
  );

  examples(
    withOutputOption(
      cluster
        .command('delete')
        .description('delete a cluster (it must have no members and no peers)')
        .argument('<cluster>', 'id or name'),
    ),
    'wgfleet cluster delete edge',
  ).action(
    runtime.act(async (ref: string, _options, command) => {
      const panel = await runtime.panel(command);
      const found = await panel.resolveCluster(ref);
      await panel.deleteCluster(found.id, found.version);
      runtime.out(command).result(`deleted cluster ${found.name}`, {
        deleted: { kind: 'cluster', id: found.id, name: found.name },
      });
    }),
  );

  examples(
    withOutputOption(
      cluster
        .command('add-member')
        .description("add a node; its interface key must be the cluster's (install.sh --private-key-file)")
        .argument('<cluster>', 'id or name')
        .argument('<node>', 'node id or name'),
    ),
    'wgfleet cluster add-member edge edge-1',
  ).action(
    runtime.act(async (clusterRef: string, nodeRef: string, _options, command) => {
      const panel = await runtime.panel(command);
      const [found, node] = await Promise.all([panel.resolveCluster(clusterRef), panel.resolveNode(nodeRef)]);
      const updated = await panel.addClusterMember(found.id, node.id);
      const out = runtime.out(command);
      if (out.json) out.printJson(updated);
      else out.note(`${node.name} is a member of ${found.name}; its sync brings it every cluster peer`);
    }),
  );

  examples(
    withOutputOption(
      cluster
        .command('remove-member')
        .description("remove a node from the cluster; the cluster's peers are taken off it")
        .argument('<cluster>', 'id or name')
        .argument('<node>', 'node id or name'),
    ),
    'wgfleet cluster remove-member edge edge-1',
  ).action(
    runtime.act(async (clusterRef: string, nodeRef: string, _options, command) => {
      const panel = await runtime.panel(command);
      const [found, node] = await Promise.all([panel.resolveCluster(clusterRef), panel.resolveNode(nodeRef)]);
      const updated = await panel.removeClusterMember(found.id, node.id);
      const out = runtime.out(command);
      if (out.json) out.printJson(updated);
      else out.note(`${node.name} left ${found.name}`);
    }),
  );

  examples(
    withOutputOption(
      cluster
        .command('peers')
        .description("the cluster's peers (on every member)")
        .argument('<cluster>', 'id or name'),
    ),
    'wgfleet cluster peers edge',
  ).action(
    runtime.act(async (ref: string, _options, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const found = await panel.resolveCluster(ref);
      const peers = await panel.listClusterPeers(found.id);
      if (out.json) out.printJson(peers);
      else
        out.table(
          ['NAME', 'ID', 'ADDRESSES', 'PUBLIC KEY', 'ENABLED', 'SYNC'],
          peers.map((peer) => [
            peer.name,
            peer.id,
            peer.allowed_ips,
            shortKey(peer.public_key),
            peer.enabled,
            out.status(peer.sync_status ?? '-'),
          ]),
        );
    }),
  );

  const addPeer = addFieldOptions(
    withOutputOption(
      cluster
        .command('add-peer')
        .description("add a peer carried by every member; its address comes from the cluster's pool")
        .argument('<cluster>', 'id or name')
        .argument('<name>', 'peer name')
        .option('--preshared-key', 'generate a preshared key too')
        .option('--disabled', 'add it disabled'),
    ),
    PEER_FIELDS,
  );
  examples(addPeer, 'wgfleet cluster add-peer edge alice-laptop --preshared-key');
  addPeer.action(
    runtime.act(async (ref: string, name: string, options: Record<string, unknown>, command) => {
      const panel = await runtime.panel(command);
      const found = await panel.resolveCluster(ref);
      const peer = await panel.createClusterPeer(found.id, {
        name,
        ...fieldsFrom(options, PEER_FIELDS),
        ...(options.presharedKey ? { generate_preshared_key: true } : {}),
        ...(options.disabled ? { enabled: false } : {}),
      });
      printPeer(runtime.out(command), peer);
    }),
  );
}

/** "host" or "host:port" of a DNS name (never an address, so never a bracketed IPv6). */
function splitEndpoint(endpoint: string): [string, number | undefined] {
  const match = /^([^:]+)(?::(\d+))?$/.exec(endpoint);
  if (!match) throw new CliError(`--endpoint must be host or host:port, not "${endpoint}"`);
  return [match[1], match[2] === undefined ? undefined : integer(match[2])];
}

async function dnsFrom(options: DnsOptions): Promise<ClusterDns | undefined> {
  if (!options.dns) return undefined;
  const provider = choice(clusterDnsProviderValues)(options.dns);
  const secret = options.dnsSecretStdin ? (await text(process.stdin)).trim() : process.env.WGFLEET_DNS_SECRET;
  if (!secret) throw new CliError('give the DNS secret with --dns-secret-stdin or WGFLEET_DNS_SECRET');
  if (provider === 'webhook') return { provider, url: options.dnsUrl, secret };
  return {
    provider,
    server: options.dnsServer,
    zone: options.dnsZone,
    tsig_key_name: options.tsigKeyName,
    ...(options.tsigAlgorithm ? { tsig_algorithm: choice(tsigAlgorithmValues)(options.tsigAlgorithm) } : {}),
    ...(options.dnsTtl ? { ttl: integer(options.dnsTtl) } : {}),
    tsig_secret: secret,
  };
}

function printCluster(out: Output, cluster: ClusterView, nodeNames: ReadonlyMap<string, string>): void {
  if (out.json) return out.printJson(cluster);
  const { members, dns, ...fields } = cluster;
  out.table(['FIELD', 'VALUE'], [...Object.entries(fields), ['dns', dns ? JSON.stringify(dns) : 'none']]);
  if (members.length === 0) return out.note('no members yet');
  out.table(
    ['MEMBER', 'NODE ID', 'HEALTH', 'PUBLISHED'],
    members.map((member) => [
      nodeNames.get(member.node_id) ?? '-',
      member.node_id,
      out.status(member.health),
      member.published,
    ]),
  );
}
