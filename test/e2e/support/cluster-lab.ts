/**
 * A cluster in miniature: member nodes in network namespaces sharing one WireGuard key (agent + wireguard-go,
 * reached by the panel over their own veth), a LAN (a bridge in a router namespace) where the members' WireGuard
 * endpoints and a client namespace meet, and a real knotd in the router namespace that the panel updates (from
 * the host) and the client resolves through (its /etc/netns resolv.conf).
 *
 *   host ── 10.X.9.1 ↔ 10.X.9.2 ── [router: knotd :53, bridge 10.X.0.1/24]
 *   host ── 10.X.i.1 ↔ 10.X.i.2 ── [member i: agent :8420, wg :51820] ── 10.X.0.1i ── bridge
 *                                  [client: wg, endpoint <cluster host>:51820]     ── 10.X.0.100 ── bridge
 *
 * The host does not forward between namespaces, so nothing here depends on the machine's routing.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import {
  createNetworkNamespace,
  run,
  withSecretFile,
  type KeyPair,
  type NetworkNamespace,
} from '../../../agent/test/support/wg-interface';
import { startKnot, type KnotServer } from '../../support/knot';
import { removeStaleNamespace, startNamespaceNode, type NamespaceNode } from './namespace-node';

export const MEMBER_LISTEN_PORT = 51820;

export interface LabMember {
  index: number;
  node: NamespaceNode;
  /** The member's address on the LAN: what DNS publishes for it. */
  lanAddress: string;
  /** Its WireGuard interface: named per member, as wireguard-go's control socket path is not per namespace. */
  interfaceName: string;
  /** Stops everything answering from outside (both links down): a dead machine, as its peers see it. */
  kill(): Promise<void>;
  revive(): Promise<void>;
}

export interface ClusterLab {
  knot: KnotServer;
  /** The cluster's host name in knot's zone. */
  host: string;
  router: NetworkNamespace;
  client: NetworkNamespace;
  members: LabMember[];
  /** The member serving the client now, by the client's current endpoint; undefined when none matches. */
  memberInUse(clientInterface: string): Promise<LabMember | undefined>;
  stop(): Promise<void>;
}

export interface ClusterLabOptions {
  /** Namespace and link name prefix, e.g. "wgcl" (4 characters: link names are 15 at most). */
  prefix: string;
  /** The first two octets of a /16 the lab owns, e.g. "10.172". */
  net: string;
  members: number;
  /** The key every member shares (the cluster's identity). */
  keyPair: KeyPair;
  /** The member (1-based) whose interface key differs: a member the panel must refuse. */
  strangerKey?: { member: number; keyPair: KeyPair };
  /** The members' own tunnel address (the same on every member, as it is the cluster's), with prefix. */
  tunnelAddress: string;
  agentRuntime?: 'dist' | 'source';
}

export async function startClusterLab(options: ClusterLabOptions): Promise<ClusterLab> {
  const { prefix, net } = options;
  const routerName = `${prefix}-r`;
  const clientName = `${prefix}-c`;
  const memberName = (i: number) => `${prefix}-m${i}`;
  const bridge = `${prefix}br`;
  const resolvDir = `/etc/netns/${clientName}`;
  for (const name of [routerName, clientName, ...range(options.members).map(memberName)]) {
    await removeStaleNamespace(name);
  }
  const members: LabMember[] = [];
  let router: NetworkNamespace | undefined;
  let client: NetworkNamespace | undefined;
  let knot: KnotServer | undefined;
  const stop = async () => {
    await knot?.stop();
    for (const member of members) await member.node.stop();
    await client?.destroy();
    await router?.destroy();
    rmSync(resolvDir, { recursive: true, force: true });
  };
  try {
    router = await createNetworkNamespace(routerName);
    await router.linkToHost(`${net}.9.1/30`, `${net}.9.2/30`);
    await router.exec('ip', ['link', 'add', bridge, 'type', 'bridge']);
    await router.exec('ip', ['addr', 'add', `${net}.0.1/24`, 'dev', bridge]);
    await router.exec('ip', ['link', 'set', bridge, 'up']);
    const lanLink = async (ns: NetworkNamespace, name: string, address: string) => {
      const [inside, outside] = [`${name}l`, `${name}b`];
      await run('ip', [
        'link',
        'add',
        inside,
        'netns',
        ns.name,
        'type',
        'veth',
        'peer',
        'name',
        outside,
        'netns',
        routerName,
      ]);
      await router!.exec('ip', ['link', 'set', outside, 'master', bridge]);
      await router!.exec('ip', ['link', 'set', outside, 'up']);
      await ns.exec('ip', ['addr', 'add', `${address}/24`, 'dev', inside]);
      await ns.exec('ip', ['link', 'set', inside, 'up']);
      return inside;
    };

    knot = await startKnot({
      namespace: routerName,
      address: `${net}.9.2`,
      alsoListen: [`${net}.0.1`],
      port: 53,
    });

    client = await createNetworkNamespace(clientName);
    await lanLink(client, `${prefix}c`, `${net}.0.100`);
    // `ip netns exec` bind-mounts /etc/netns/<ns>/resolv.conf over /etc/resolv.conf: the client asks knot.
    mkdirSync(resolvDir, { recursive: true });
    writeFileSync(`${resolvDir}/resolv.conf`, `nameserver ${net}.0.1\noptions timeout:1 attempts:2\n`);

    for (const index of range(options.members)) {
      const interfaceName = `${prefix}${index}`;
      const node = await startNamespaceNode({
        namespace: memberName(index),
        hostAddress: `${net}.${index}.1/30`,
        namespaceAddress: `${net}.${index}.2/30`,
        interfaceName,
        listenPort: MEMBER_LISTEN_PORT,
        tunnelAddress: options.tunnelAddress,
        agentRuntime: options.agentRuntime ?? 'dist',
      });
      const lanAddress = `${net}.0.${10 + index}`;
      const lanInterface = await lanLink(node.namespace, `${prefix}m${index}`, lanAddress);
      const hostInterface = `vn${memberName(index)}`.slice(0, 15);
      const member: LabMember = {
        index,
        node,
        lanAddress,
        interfaceName,
        kill: async () => {
          await node.namespace.exec('ip', ['link', 'set', lanInterface, 'down']);
          await node.namespace.exec('ip', ['link', 'set', hostInterface, 'down']);
        },
        revive: async () => {
          await node.namespace.exec('ip', ['link', 'set', lanInterface, 'up']);
          await node.namespace.exec('ip', ['link', 'set', hostInterface, 'up']);
        },
      };
      members.push(member);
      const key = options.strangerKey?.member === index ? options.strangerKey.keyPair : options.keyPair;
      // The operator installs the shared key on every member (install.sh --private-key-file).
      await withSecretFile(key.privateKey, (file) => node.wg.wg('set', interfaceName, 'private-key', file));
    }

    return {
      knot,
      host: `vpn.${knot.zone}`,
      router,
      client,
      members,
      async memberInUse(clientInterface) {
        const endpoints = await client!.exec('wg', ['show', clientInterface, 'endpoints']);
        const address = /\t([\d.]+):\d+/.exec(endpoints)?.[1];
        return members.find((member) => member.lanAddress === address);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}
