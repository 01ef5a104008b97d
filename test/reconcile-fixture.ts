/**
 * A real node for reconcile and sync tests: a wireguard-go interface, an in-process agent on it whose
 * requests are counted, registered with a test panel. The agent can be stopped and started again on the
 * same port (an outage).
 */
import type { Dump } from '@wgfleet/protocol';
import { sha256Hex } from '@wgfleet/protocol';
import { Writable } from 'node:stream';
import pino from 'pino';
import { buildApp } from '../agent/src/app';
import { randomSecret } from '../agent/test/support/agent-process';
import { signedRequest } from '../agent/test/support/signed-request';
import {
  createWgInterface,
  KeyPair,
  uniqueInterfaceName,
  WgInterface,
} from '../agent/test/support/wg-interface';
import { WgDriver } from '../agent/src/wg/wg-driver';
import type { TestPanel } from './support/panel';

export interface AgentRequestLine {
  route: string | null;
  method: string;
  status: number;
  /** When the agent answered (ms since epoch). */
  time: number;
}

export interface FleetNode {
  id: string;
  name: string;
  wg: WgInterface;
  url: string;
  secret: string;
  /** Every request the agent answered since the last reset. */
  requests: () => AgentRequestLine[];
  resetRequests: () => void;
  dump: () => Promise<Dump>;
  stopAgent: () => Promise<void>;
  startAgent: () => Promise<void>;
  destroy: () => Promise<void>;
}

let poolIndex = 0;

/** Registers a node with a panel and answers its id (through supertest, or fetch for a panel process). */
export type NodeRegistrar = (body: Record<string, unknown>) => Promise<string>;

export const registerWith =
  (panel: TestPanel): NodeRegistrar =>
  async (body) =>
    (await panel.as().post('/api/nodes', body).expect(201)).body.id as string;

export async function createFleetNode(
  registerNode: NodeRegistrar,
  options: {
    prefix: string;
    nodeFields?: Record<string, unknown>;
    /** The agent keeps `<dir>/<iface>.conf` (AGENT_CONFIG_DIR); default none. */
    configDir?: string;
    /** The interface's key pair (cluster members share one); default a fresh one. */
    keyPair?: KeyPair;
  },
): Promise<FleetNode> {
  const wg = await createWgInterface(uniqueInterfaceName(options.prefix), {
    ...(options.keyPair ? { keyPair: options.keyPair } : {}),
  });
  const secret = randomSecret();
  let lines: AgentRequestLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) {
        const entry = JSON.parse(text) as Partial<AgentRequestLine> & { msg?: string };
        if (entry.method && entry.status !== undefined) {
          lines.push({
            route: entry.route ?? null,
            method: entry.method,
            status: entry.status,
            time: entry.time ?? 0,
          });
        }
      }
      done();
    },
  });
  let app: ReturnType<typeof buildApp> | null = null;
  let port = 0;
  const startAgent = async () => {
    app = buildApp(
      {
        secret,
        host: '127.0.0.1',
        port,
        interfaces: [wg.name],
        tls: null,
        maxSkewS: 300,
        logLevel: 'info',
        configDir: options.configDir ?? null,
      },
      new WgDriver(),
      { logger: pino({ level: 'info' }, stream) },
    );
    const url = await app.listen({ host: '127.0.0.1', port });
    port = Number(new URL(url).port);
  };
  await startAgent();
  const url = `http://127.0.0.1:${port}`;
  const name = `${options.prefix}-${++poolIndex}-${wg.name}`;
  const id = await registerNode({
    name,
    agent_url: url,
    interface: wg.name,
    endpoint: 'vpn.example.com:51820',
    address_pool: `10.${100 + (poolIndex % 100)}.0.0/16`,
    agent_secret: secret,
    ...options.nodeFields,
  });
  return {
    id,
    name,
    wg,
    url,
    secret,
    requests: () => lines,
    resetRequests: () => {
      lines = [];
    },
    dump: async () => {
      const answer = await signedRequest<Dump>(url, secret, 'GET', `/v1/wg/${wg.name}/dump`);
      if (answer.status !== 200) throw new Error(`dump answered ${answer.status}: ${answer.text}`);
      return answer.json;
    },
    stopAgent: async () => {
      await app?.close();
      app = null;
    },
    startAgent,
    destroy: async () => {
      await app?.close();
      await wg.destroy();
    },
  };
}

/** Polls until `check` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The finished job (succeeded or failed). */
export async function finishedJob(panel: TestPanel, jobId: string, timeoutMs = 20000) {
  return eventually(
    async () => {
      const { body } = await panel.as().get(`/api/reconcile/jobs/${jobId}`).expect(200);
      return body.status === 'succeeded' || body.status === 'failed' ? body : undefined;
    },
    timeoutMs,
    `reconcile job ${jobId}`,
  );
}

/** Waits until every given peer shows sync_status applied (or failed when asked). */
export async function peersSynced(
  panel: TestPanel,
  peerIds: string[],
  status = 'applied',
  timeoutMs = 20000,
) {
  for (const id of peerIds) {
    await eventually(
      async () => {
        const { body } = await panel.as().get(`/api/peers/${id}`).expect(200);
        return body.sync_status === status ? body : undefined;
      },
      timeoutMs,
      `peer ${id} ${status}`,
    );
  }
}

/** SHA-256 of the preshared key the panel holds for a peer, read from its client config. */
export async function presharedKeyHash(panel: TestPanel, peerId: string): Promise<string> {
  const { text } = await panel.as().get(`/api/peers/${peerId}/config`).expect(200);
  const key = /PresharedKey\s*=\s*(\S+)/.exec(text)?.[1];
  if (!key) throw new Error('the config has no preshared key');
  return sha256Hex(key);
}
