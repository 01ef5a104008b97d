/**
 * A WireGuard node as it runs in production, in miniature: its own network namespace with a wireguard-go
 * interface and a wgfleet agent process, reached by the panel (in the host namespace) over a veth pair.
 *
 *   const node = await startNamespaceNode({ namespace: 'wgf-x', hostAddress: '10.9.0.1/30', ... });
 *   await api.post('/api/nodes', { agent_url: node.agentUrl, agent_secret: node.agentSecret, ... });
 *   ...
 *   await node.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { agentCommand, randomSecret } from '../../../agent/test/support/agent-process';
import {
  createNetworkNamespace,
  createWgInterface,
  run,
  waitUntil,
  type KeyPair,
  type NetworkNamespace,
  type WgInterface,
} from '../../../agent/test/support/wg-interface';
import { stopChild } from './stop-child';

export interface NamespaceNodeOptions {
  /** Network namespace name; also names the host side of the veth pair ("vh" + name, 15 chars at most). */
  namespace: string;
  /** With prefix: the host end of the veth pair, e.g. "10.203.1.1/30". */
  hostAddress: string;
  /** With prefix: the namespace end, where the agent listens, e.g. "10.203.1.2/30". */
  namespaceAddress: string;
  interfaceName: string;
  listenPort: number;
  /** The node's own tunnel address on its interface, e.g. "10.213.1.1/24". */
  tunnelAddress?: string;
  /** Default 8420, the agent's standard port. */
  agentPort?: number;
  /** "dist" runs agent/dist/main.js (built), "source" the TypeScript sources through tsx. */
  agentRuntime: 'dist' | 'source';
  /** Append the agent's output here (its logs); dropped when omitted. */
  agentLogFile?: string;
  /** The interface's key pair (cluster members share one); default a fresh one. */
  keyPair?: KeyPair;
}

export interface NamespaceNode {
  namespace: NetworkNamespace;
  wg: WgInterface;
  agentUrl: string;
  agentSecret: string;
  agentPid: number;
  /** Where the interface listens, as seen from outside the namespace: "<namespace address>:<port>". */
  endpoint: string;
  stop(): Promise<void>;
}

const withoutPrefix = (cidr: string) => cidr.split('/')[0];

/** Everything a previous run left behind under this namespace name: its processes, veth and namespace. */
export async function removeStaleNamespace(name: string): Promise<void> {
  const names = (await run('ip', ['netns', 'list'])).split('\n').map((line) => line.split(' ')[0]);
  if (!names.includes(name)) return;
  const pids = (await run('ip', ['netns', 'pids', name])).split(/\s+/).filter(Boolean);
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await run('ip', ['link', 'del', `vh${name}`.slice(0, 15)]).catch(() => undefined);
  await run('ip', ['netns', 'del', name]);
}

export async function startNamespaceNode(options: NamespaceNodeOptions): Promise<NamespaceNode> {
  await removeStaleNamespace(options.namespace);
  const namespace = await createNetworkNamespace(options.namespace);
  let wg: WgInterface | undefined;
  let agent: ChildProcess | undefined;
  const stop = async () => {
    if (agent) await stopChild(agent);
    await wg?.destroy();
    await namespace.destroy();
  };
  try {
    await namespace.linkToHost(options.hostAddress, options.namespaceAddress);
    wg = await createWgInterface(options.interfaceName, {
      netns: namespace,
      listenPort: options.listenPort,
      address: options.tunnelAddress,
      ...(options.keyPair ? { keyPair: options.keyPair } : {}),
    });
    const secret = randomSecret();
    const listen = `${withoutPrefix(options.namespaceAddress)}:${options.agentPort ?? 8420}`;
    // `ip netns exec` execs the command, so the child's pid is the agent's own.
    agent = spawn('ip', ['netns', 'exec', options.namespace, ...agentCommand(options.agentRuntime)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
        AGENT_SECRET: secret,
        AGENT_LISTEN: listen,
        AGENT_INTERFACES: options.interfaceName,
        AGENT_LOG_LEVEL: 'info',
      },
    });
    let startupErrors = '';
    agent.stderr!.setEncoding('utf8').on('data', (chunk: string) => (startupErrors += chunk));
    if (options.agentLogFile) {
      const log = createWriteStream(options.agentLogFile, { flags: 'a' });
      agent.stdout!.pipe(log);
      agent.stderr!.pipe(log);
    } else {
      agent.stdout!.resume();
    }
    const agentUrl = `http://${listen}`;
    const started = agent;
    await waitUntil(
      async () => {
        if (started.exitCode !== null)
          throw new Error(`agent exited with ${started.exitCode}: ${startupErrors}`);
        return fetch(`${agentUrl}/health`).then(
          (answer) => answer.ok,
          () => false,
        );
      },
      30000,
      `the agent in ${options.namespace} did not answer ${agentUrl}/health: ${startupErrors}`,
    );
    return {
      namespace,
      wg,
      agentUrl,
      agentSecret: secret,
      agentPid: started.pid!,
      endpoint: `${withoutPrefix(options.namespaceAddress)}:${wg.listenPort}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Links two namespaces with a veth pair (`<prefix>ab` in A, `<prefix>ba` in B) that carries the encrypted
 * traffic: A is `<net>.9/30`, B is `<net>.10/30`.
 */
export async function linkNamespaces(
  a: NetworkNamespace,
  b: NetworkNamespace,
  prefix: string,
  net: string,
): Promise<void> {
  const [aEnd, bEnd] = [`${prefix}ab`, `${prefix}ba`];
  await run('ip', [
    'link',
    'add',
    aEnd,
    'netns',
    a.name,
    'type',
    'veth',
    'peer',
    'name',
    bEnd,
    'netns',
    b.name,
  ]);
  await a.exec('ip', ['addr', 'add', `${net}.9/30`, 'dev', aEnd]);
  await a.exec('ip', ['link', 'set', aEnd, 'up']);
  await b.exec('ip', ['addr', 'add', `${net}.10/30`, 'dev', bEnd]);
  await b.exec('ip', ['link', 'set', bEnd, 'up']);
}
