import type { Logger } from 'pino';
import { startAgentInProcess, type RunningAgent } from '../../../agent/test/support/agent-process';
import {
  createWgInterface,
  uniqueInterfaceName,
  type WgInterface,
} from '../../../agent/test/support/wg-interface';
import { Api } from './api';
import { NodeRef, registerNode } from './fleet';

/** Real wireguard-go interfaces served by one in-process agent: a small fleet on loopback. */
export interface WgFleet {
  interfaces: WgInterface[];
  agent: RunningAgent;
  destroy(): Promise<void>;
}

export async function startWgFleet(
  count: number,
  prefix: string,
  options: { logger?: Logger } = {},
): Promise<WgFleet> {
  const interfaces: WgInterface[] = [];
  try {
    // A few at a time: each is its own wireguard-go process.
    for (let i = 0; i < count; i += 5) {
      const batch = Math.min(5, count - i);
      interfaces.push(
        ...(await Promise.all(
          Array.from({ length: batch }, () => createWgInterface(uniqueInterfaceName(prefix))),
        )),
      );
    }
    const agent = await startAgentInProcess({
      interfaces: interfaces.map((wg) => wg.name),
      logger: options.logger,
    });
    return {
      interfaces,
      agent,
      destroy: async () => {
        await agent.stop();
        await Promise.all(interfaces.map((wg) => wg.destroy()));
      },
    };
  } catch (error) {
    await Promise.all(interfaces.map((wg) => wg.destroy()));
    throw error;
  }
}

/** One node per interface, each with its own pool (10.<base+i>.0.0/20, room for 4,000 peers). */
export async function registerFleet(
  api: Api,
  fleet: WgFleet,
  options: { agentUrl?: string; poolBase?: number } = {},
): Promise<NodeRef[]> {
  const nodes: NodeRef[] = [];
  for (const [i, wg] of fleet.interfaces.entries()) {
    nodes.push(
      await registerNode(api, {
        name: `fleet-${wg.name}`,
        agent_url: options.agentUrl ?? fleet.agent.url,
        interface: wg.name,
        agent_secret: fleet.agent.secret,
        address_pool: `10.${(options.poolBase ?? 100) + i}.0.0/20`,
        public_key: wg.publicKey,
        listen_port: wg.listenPort,
      }),
    );
  }
  return nodes;
}
