/**
 * A stand-in agent for benchmarks, in its own process so its work is not counted as the panel's: answers
 * `GET /v1/wg/<interface>/dump` for any interface name with the same peers (from a JSON file), signed like a real
 * agent, each peer's transfer counters grown by `step` bytes since that interface's previous dump, as if every
 * peer were moving traffic. Prints `listening <url>` once ready.
 *
 * Usage: node --require ts-node/register/transpile-only scripts/bench/canned-agent.ts <peers.json> <step>
 * with AGENT_SECRET in the environment; peers.json is `{ public_key, peers: [{ public_key, allowed_ips }] }`.
 */
import {
  NONCE_HEADER,
  RESPONSE_SIGNATURE_HEADER,
  signResponse,
  type Dump,
  type DumpPeer,
} from '@wgfleet/protocol';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CannedPeers {
  public_key: string;
  peers: Array<Pick<DumpPeer, 'public_key' | 'allowed_ips'>>;
}

const KEEPALIVE = 25;
const DUMP_PATH = /^\/v1\/wg\/([^/]+)\/dump$/;

function main(): void {
  const [file, step] = process.argv.slice(2);
  const secret = process.env.AGENT_SECRET ?? '';
  const canned = JSON.parse(readFileSync(file, 'utf8')) as CannedPeers;
  const dumps = new Map<string, number>();
  const server = createServer((req, res) => {
    const name = DUMP_PATH.exec(req.url ?? '')?.[1];
    if (req.method !== 'GET' || !name) {
      res.statusCode = 404;
      return void res.end();
    }
    const round = (dumps.get(name) ?? 0) + 1;
    dumps.set(name, round);
    const handshake = Math.floor(Date.now() / 1000) - 5;
    const dump: Dump = {
      interface: { name, public_key: canned.public_key, listen_port: 51820, fwmark: null },
      peers: canned.peers.map((peer, index) => ({
        ...peer,
        preshared_key_sha256: null,
        endpoint: `192.0.2.${index % 250}:51820`,
        latest_handshake: handshake,
        transfer_rx: round * Number(step),
        transfer_tx: round * Number(step),
        persistent_keepalive: KEEPALIVE,
      })),
    };
    const body = JSON.stringify(dump);
    res.setHeader('content-type', 'application/json');
    res.setHeader(
      RESPONSE_SIGNATURE_HEADER,
      signResponse(secret, 200, String(req.headers[NONCE_HEADER]), body),
    );
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
}

main();
