/**
 * What the panel does with answers it must not trust: unsigned or re-signed ones, huge or dripping ones,
 * malformed ones, and agent URLs outside AGENT_URL_ALLOW. Fake agents over real HTTP, the real client.
 */
import { NONCE_HEADER, RESPONSE_SIGNATURE_HEADER, signResponse, type Dump } from '@wgfleet/protocol';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { AgentClient, SYNCCONF_MS_PER_PEER, type AgentClientOptions } from './agent-client';
import { AgentError } from './agent-errors';
import { parseAllowList } from '../../common/domain/agent-url-policy';

const secret = 'h'.repeat(40);
const KEY = Buffer.alloc(32, 7).toString('base64');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function sign(req: IncomingMessage, res: ServerResponse, body: string, status = 200): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader(
    RESPONSE_SIGNATURE_HEADER,
    signResponse(secret, status, String(req.headers[NONCE_HEADER]), body),
  );
  res.end(body);
}

function dumpWith(change: (dump: Dump) => void): string {
  const dump: Dump = {
    interface: { name: 'wg0', public_key: KEY, listen_port: 51820, fwmark: null },
    peers: [
      {
        public_key: Buffer.alloc(32, 9).toString('base64'),
        preshared_key_sha256: null,
        endpoint: '203.0.113.7:51820',
        allowed_ips: ['10.0.0.2/32'],
        latest_handshake: 0,
        transfer_rx: 0,
        transfer_tx: 0,
        persistent_keepalive: 0,
      },
    ],
  };
  change(dump);
  return JSON.stringify(dump);
}

async function failure(promise: Promise<unknown>): Promise<AgentError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AgentError);
    return error as AgentError;
  }
  throw new Error('expected the call to fail');
}

describe('AgentClient against hostile answers', () => {
  const servers: Server[] = [];
  const clients: AgentClient[] = [];

  const serve = async (handler: Handler): Promise<string> => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const clientFor = (baseUrl: string, options: Partial<AgentClientOptions> = {}) => {
    const client = new AgentClient({ baseUrl, secret, interfaceName: 'wg0', retries: 0, ...options });
    clients.push(client);
    return client;
  };

  afterAll(async () => {
    clients.forEach((client) => client.close());
    servers.forEach((server) => server.closeAllConnections());
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('uses a signed answer and refuses an unsigned, tampered or replayed one (bad_response_signature)', async () => {
    const good = dumpWith(() => undefined);
    let mode: 'signed' | 'unsigned' | 'tampered' | 'other-nonce' | 'other-secret' = 'signed';
    const url = await serve((req, res) => {
      if (mode === 'signed') return sign(req, res, good);
      res.setHeader('content-type', 'application/json');
      const nonce = mode === 'other-nonce' ? 'some-other-nonce-123' : String(req.headers[NONCE_HEADER]);
      const key = mode === 'other-secret' ? 'o'.repeat(40) : secret;
      if (mode !== 'unsigned') res.setHeader(RESPONSE_SIGNATURE_HEADER, signResponse(key, 200, nonce, good));
      res.end(mode === 'tampered' ? good.replace('51820', '51821') : good);
    });
    const client = clientFor(url);
    expect((await client.dump()).interface.public_key).toBe(KEY);
    for (const next of ['unsigned', 'tampered', 'other-nonce', 'other-secret'] as const) {
      mode = next;
      const error = await failure(client.dump());
      expect([next, error.reason, error.transient]).toEqual([next, 'bad_response_signature', false]);
      expect(error.message).toBe(
        "bad_response_signature: the answer is not signed with the node's agent_secret",
      );
    }
  });

  it.each([
    [
      'a public key holding a line break',
      (d: Dump) => (d.interface.public_key = `${KEY}\nPreUp = id`),
      'interface.public_key',
    ],
    [
      'a listen port that is not a number',
      (d: Dump) => ((d.interface as unknown as Json).listen_port = '51820; x'),
      'interface.listen_port',
    ],
    [
      'an allowed IP that is not a CIDR',
      (d: Dump) => (d.peers[0].allowed_ips = ['10.0.0.2/32\nPostUp = x']),
      'peers[0].allowed_ips[0]',
    ],
    [
      'an endpoint with a line break',
      (d: Dump) => (d.peers[0].endpoint = '1.2.3.4:5\n'),
      'peers[0].endpoint',
    ],
    ['a negative transfer count', (d: Dump) => (d.peers[0].transfer_rx = -1), 'peers[0].transfer_rx'],
    ['a peer listed twice', (d: Dump) => d.peers.push(d.peers[0]), 'peers[1].public_key'],
  ])('refuses a signed dump with %s (invalid_response naming the field)', async (_name, change, field) => {
    const url = await serve((req, res) => sign(req, res, dumpWith(change)));
    const error = await failure(clientFor(url).dump());
    expect(error.reason).toBe('invalid_response');
    expect(error.message).toContain(field);
    expect(error.message).not.toContain('\n');
  });

  it('validates batch, syncconf and listen-port answers too', async () => {
    const answers: Record<string, string> = {
      '/v1/wg/wg0/batch': '{"results":[{"public_key":"x","op":"upsert","ok":true}]}',
      '/v1/wg/wg0/syncconf': '{"added":"1","updated":0,"removed":0}',
      '/v1/wg/wg0': `{"name":"wg0","public_key":"${KEY}","listen_port":70000}`,
    };
    const url = await serve((req, res) => sign(req, res, answers[req.url!]));
    const client = clientFor(url);
    const batch = await failure(client.batch({ upsert: [], remove: [] }));
    expect([batch.reason, batch.message]).toEqual([
      'invalid_response',
      expect.stringContaining('results[0].public_key'),
    ]);
    const syncconf = await failure(client.syncconf({ peers: [] }));
    expect([syncconf.reason, syncconf.message]).toEqual([
      'invalid_response',
      expect.stringContaining('added'),
    ]);
    const port = await failure(client.setInterface({ listen_port: 51820 }));
    expect([port.reason, port.message]).toEqual(['invalid_response', expect.stringContaining('listen_port')]);
  });

  it('stops reading a 64 MiB chunked answer at the limit (response_too_large)', async () => {
    let sent = 0;
    const url = await serve((req, res) => {
      res.setHeader(RESPONSE_SIGNATURE_HEADER, 'v1=' + '0'.repeat(64));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    const rssBefore = process.memoryUsage().rss;
    const error = await failure(clientFor(url, { maxResponseBytes: 1024 * 1024 }).dump());
    expect(error.reason).toBe('response_too_large');
    expect(sent).toBeLessThan(32 * 1024 * 1024);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(48 * 1024 * 1024);
  });

  it('ends a dripping answer at the total timeout, not an idle one (timeout)', async () => {
    const url = await serve((_req, res) => {
      res.write('{');
      const drip = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(drip));
    });
    const started = Date.now();
    const error = await failure(clientFor(url, { timeoutMs: 400 }).dump());
    expect(error.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('gives a syncconf time for each peer it sends, on top of the timeout', async () => {
    // Answers after 700 ms: past the 400 ms timeout, within it plus 500 peers' time.
    const url = await serve((req, res) => {
      req.resume();
      const body = req.url!.endsWith('/syncconf')
        ? '{"added":500,"updated":0,"removed":0}'
        : dumpWith(() => {});
      setTimeout(() => sign(req, res, body), 700);
    });
    const client = clientFor(url, { timeoutMs: 400 });
    const peers = Array.from({ length: 500 }, (_, i) => ({
      public_key: Buffer.alloc(32, i % 256).toString('base64'),
      allowed_ips: [`10.1.${i >> 8}.${i & 255}/32`],
    }));
    expect(500 * SYNCCONF_MS_PER_PEER).toBeGreaterThan(300);
    await expect(client.syncconf({ peers })).resolves.toEqual({ added: 500, updated: 0, removed: 0 });
    expect((await failure(client.dump())).reason).toBe('timeout');
  });

  it('aborts the request in flight when the caller gives up, retries included', async () => {
    const closed: number[] = [];
    const url = await serve((req) => req.socket.once('close', () => closed.push(Date.now())));
    const started = Date.now();
    const client = clientFor(url, { timeoutMs: 10_000, retries: 3 });
    const error = await failure(client.dump({ signal: AbortSignal.timeout(300) }));
    expect(error.reason).toBe('timeout');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closed).toHaveLength(1);
    expect(closed[0] - started).toBeLessThan(1500);
  });

  it('reports the failure that caused the retries when the caller gives up during them', async () => {
    const client = clientFor('http://127.0.0.1:1', { retries: 5, retryBaseMs: 200 });
    const error = await failure(client.dump({ signal: AbortSignal.timeout(300) }));
    expect(error.reason).toBe('connect_refused');
  });

  it('classifies network failures without a host or port', async () => {
    const refused = await failure(clientFor('http://127.0.0.1:1').dump());
    expect(refused.reason).toBe('connect_refused');
    expect(refused.message).toBe('connect_refused: the agent is unreachable (connection refused)');
    const reset = await failure(clientFor(await serve((req) => req.socket.destroy())).dump());
    expect(reset.reason).toBe('connection_reset');
    expect(`${refused.message} ${reset.message}`).not.toMatch(/127\.0\.0\.1|:\d{2,5}\b/);
  });

  it('never connects outside AGENT_URL_ALLOW, by address or by a name resolving outside it', async () => {
    let requests = 0;
    const url = await serve((req, res) => {
      requests += 1;
      sign(req, res, '{"interfaces":[]}');
    });
    const port = new URL(url).port;
    const allow = parseAllowList(['10.0.0.0/8', 'agents.example.net']);
    const byAddress = await failure(clientFor(url, { allow }).interfaces());
    const byName = await failure(clientFor(`http://localhost:${port}`, { allow }).interfaces());
    expect([byAddress.reason, byName.reason]).toEqual(['url_not_allowed', 'url_not_allowed']);
    expect(requests).toBe(0);
    const allowed = parseAllowList(['127.0.0.0/8']);
    expect(await clientFor(`http://localhost:${port}`, { allow: allowed }).interfaces()).toEqual({
      interfaces: [],
    });
    expect(requests).toBe(1);
  });
});

type Json = Record<string, unknown>;
