/**
 * The panel treats agent answers as untrusted input: a real panel registers and scans nodes whose "agents"
 * answer with injected keys, wrong types, 64 MiB, a drip, or no signature, and must store none of it, report
 * such nodes `unknown` with a classified reason, and keep serving. Registration refuses agent URLs the policy
 * forbids and keeps what the operator gave.
 */
import { NONCE_HEADER, RESPONSE_SIGNATURE_HEADER, signResponse, type Dump } from '@wgfleet/protocol';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair } from '../../src/common/crypto/wireguard-keys';
import { startPanel, type TestPanel } from '../support/panel';

const SECRET = 'agent-answers-secret-0123456789-abcdefgh';
const FINGERPRINT = 'ab'.repeat(32);

type Mode = 'valid' | 'newline-key' | 'text-port' | 'huge' | 'drip' | 'unsigned' | 'refused';

interface FakeAgent {
  url: string;
  publicKey: string;
  mode: Mode;
  server: Server;
}

function dumpBody(publicKey: string, mode: Mode): string {
  const dump: Dump = {
    interface: { name: 'wg0', public_key: publicKey, listen_port: 51999, fwmark: null },
    peers: [],
  };
  if (mode === 'newline-key') dump.interface.public_key = `${publicKey}\nPostUp = touch /tmp/owned`;
  if (mode === 'text-port') (dump.interface as unknown as Record<string, unknown>).listen_port = 'many';
  return JSON.stringify(dump);
}

function answer(agent: FakeAgent, req: IncomingMessage, res: ServerResponse): void {
  const signed = (body: string) => {
    res.setHeader('content-type', 'application/json');
    res.setHeader(
      RESPONSE_SIGNATURE_HEADER,
      signResponse(SECRET, 200, String(req.headers[NONCE_HEADER]), body),
    );
    res.end(body);
  };
  switch (agent.mode) {
    case 'huge': {
      // Chunked, no Content-Length: only counting bytes as they arrive can stop it.
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    case 'drip': {
      res.write('{');
      const drip = setInterval(() => res.write(' '), 100);
      return void res.on('close', () => clearInterval(drip));
    }
    case 'unsigned':
      return void res.end(dumpBody(agent.publicKey, 'valid'));
    case 'refused':
      return void req.socket.destroy();
    default:
      return signed(dumpBody(agent.publicKey, agent.mode));
  }
}

describe('agent answers are untrusted input', () => {
  let panel: TestPanel;
  let strict: TestPanel;
  const agents: FakeAgent[] = [];

  const fakeAgent = async (mode: Mode = 'valid'): Promise<FakeAgent> => {
    const agent = { mode, publicKey: generateKeyPair().publicKey } as FakeAgent;
    agent.server = createServer((req, res) => answer(agent, req, res));
    await new Promise<void>((resolve) => agent.server.listen(0, '127.0.0.1', resolve));
    agent.url = `http://127.0.0.1:${(agent.server.address() as AddressInfo).port}`;
    agents.push(agent);
    return agent;
  };
  const nodeBody = (agentUrl: string, overrides: Record<string, unknown> = {}) => ({
    name: `wgha-${Math.random().toString(36).slice(2, 8)}`,
    agent_url: agentUrl,
    interface: 'wg0',
    endpoint: 'vpn.example.com',
    address_pool: '10.0.1.0/24',
    agent_secret: SECRET,
    ...overrides,
  });
  const eventCount = async () =>
    (await panel.as().get('/api/events?limit=1000').expect(200)).body.items.length;

  beforeAll(async () => {
    // A smaller size limit than the default keeps the test quick on a busy machine; the default is sized
    // in docs/CONFIGURATION.md.
    panel = await startPanel({ AGENT_TIMEOUT_MS: '1000', AGENT_MAX_RESPONSE_BYTES: String(8 * 1024 * 1024) });
    strict = await startPanel({
      PANEL_REQUIRE_AGENT_TLS: 'true',
      AGENT_URL_ALLOW: '10.0.0.0/8, agents.example.net',
    });
  });

  afterAll(async () => {
    await panel?.close();
    await strict?.close();
    for (const agent of agents) {
      agent.server.closeAllConnections();
      await new Promise((resolve) => agent.server.close(resolve));
    }
  });

  it.each([
    ['a public key holding a line break and a PostUp line', 'newline-key' as const, 'interface.public_key'],
    ['a listen port that is not a number', 'text-port' as const, 'interface.listen_port'],
  ])('refuses a registration whose agent answers %s, storing nothing', async (_what, mode, field) => {
    const agent = await fakeAgent(mode);
    const before = await eventCount();
    const refused = await panel.as().post('/api/nodes', nodeBody(agent.url)).expect(502);
    expect(refused.body.error.code).toBe('agent_invalid_response');
    expect(refused.body.error.message).toContain(field);
    expect(refused.body.error.message).not.toContain('PostUp');
    expect(await eventCount()).toBe(before);
  });

  it("keeps the operator's public key and listen port; the agent only fills what was left out", async () => {
    const agent = await fakeAgent();
    const operatorKey = generateKeyPair().publicKey;
    const given = await panel
      .as()
      .post('/api/nodes', nodeBody(agent.url, { public_key: operatorKey, listen_port: 51820 }))
      .expect(201);
    expect(given.body).toMatchObject({
      public_key: operatorKey,
      listen_port: 51820,
      agent_transport: 'http',
    });
    const filled = await panel.as().post('/api/nodes', nodeBody(agent.url)).expect(201);
    expect(filled.body).toMatchObject({ public_key: agent.publicKey, listen_port: 51999 });
  });

  it.each([
    ['a 64 MiB chunked dump', 'response_too_large', 'huge' as const],
    ['a dump dripping a byte at a time', 'timeout', 'drip' as const],
    ['an unsigned dump', 'bad_response_signature', 'unsigned' as const],
    ['a closed connection', 'connection_reset', 'refused' as const],
  ])(
    'reports a node answering %s as unknown with reason %s; the panel keeps serving',
    async (_w, reason, mode) => {
      const agent = await fakeAgent();
      const node = (await panel.as().post('/api/nodes', nodeBody(agent.url)).expect(201)).body;
      agent.mode = mode;
      const started = Date.now();
      const report = (await panel.as().get(`/api/drift/nodes/${node.id}`).expect(200)).body;
      expect(Date.now() - started).toBeLessThan(5000);
      expect(report).toMatchObject({ status: 'unknown', has_drift: false });
      expect(report.error).toMatch(new RegExp(`^${reason}: `));
      expect(report.error).not.toMatch(/127\.0\.0\.1|:\d{2,5}\b/);
      await panel.http().get('/health').expect(200);
      const history = (await panel.as().get(`/api/drift/nodes/${node.id}/history`).expect(200)).body;
      expect(history.items[0]).toMatchObject({ status: 'unknown' });
    },
  );

  it('refuses http:// with a CA or a fingerprint, at registration and update (400 naming agent_url)', async () => {
    const agent = await fakeAgent();
    const withPin = await panel
      .as()
      .post('/api/nodes', nodeBody(agent.url, { agent_cert_fingerprint: FINGERPRINT }))
      .expect(400);
    expect(withPin.body.error.details).toEqual([
      { field: 'agent_url', message: expect.stringContaining('https') },
    ]);
    const node = (await panel.as().post('/api/nodes', nodeBody(agent.url)).expect(201)).body;
    const patched = await panel
      .as()
      .patch(`/api/nodes/${node.id}`, { agent_cert_fingerprint: FINGERPRINT, version: node.version })
      .expect(400);
    expect(patched.body.error.details[0].field).toBe('agent_url');
    const pinned = await panel
      .as()
      .post('/api/nodes', nodeBody('https://127.0.0.1:9', { agent_cert_fingerprint: FINGERPRINT }))
      .expect(201);
    expect(pinned.body.agent_transport).toBe('https-pinned');
  });

  it('PANEL_REQUIRE_AGENT_TLS and AGENT_URL_ALLOW refuse agent URLs before any request', async () => {
    let requests = 0;
    const agent = await fakeAgent();
    agent.server.prependListener('request', () => (requests += 1));
    const plain = await strict.as().post('/api/nodes', nodeBody(agent.url)).expect(400);
    expect(plain.body.error.details).toEqual([
      { field: 'agent_url', message: expect.stringContaining('PANEL_REQUIRE_AGENT_TLS') },
    ]);
    const outside = await strict
      .as()
      .post('/api/nodes', nodeBody(agent.url.replace('http:', 'https:')))
      .expect(400);
    expect(outside.body.error.details).toEqual([
      { field: 'agent_url', message: expect.stringContaining('AGENT_URL_ALLOW') },
    ]);
    const node = (await strict.as().post('/api/nodes', nodeBody('https://10.255.255.1:9'))).body;
    expect(node.agent_transport).toBe('https');
    const moved = await strict
      .as()
      .patch(`/api/nodes/${node.id}`, { agent_url: 'https://192.168.1.1:8420', version: node.version })
      .expect(400);
    expect(moved.body.error.details[0].message).toContain('AGENT_URL_ALLOW');
    expect(requests).toBe(0);
  });
});
