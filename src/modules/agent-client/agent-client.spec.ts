import {
  NONCE_HEADER,
  NonceCache,
  RESPONSE_SIGNATURE_HEADER,
  sha256Hex,
  signResponse,
  verifyRequest,
} from '@wgfleet/protocol';
import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { startAgentInProcess, type RunningAgent } from '../../../agent/test/support/agent-process';
import { generateSelfSignedCert, type TestCertificate } from '../../../agent/test/support/tls';
import {
  createWgInterface,
  randomKey,
  uniqueInterfaceName,
  type WgInterface,
} from '../../../agent/test/support/wg-interface';
import type { AppConfig } from '../../config/app-config';
import { AgentClient, IDLE_CONNECTION_MS } from './agent-client';
import { AgentClientFactory } from './agent-client.module';
import {
  AgentError,
  AgentRejectedInputError,
  AgentTlsError,
  AgentUnauthorizedError,
  AgentUnreachableError,
  AgentWgFailedError,
} from './agent-errors';

/** Standard base64 with both '+' and '/'. */
const SLASH_PLUS_KEY = Buffer.alloc(32, 0xfb).toString('base64');

async function caught(promise: Promise<unknown>): Promise<AgentError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AgentError);
    return error as AgentError;
  }
  throw new Error('expected the call to fail');
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const close = (server: Server) => new Promise((resolve) => server.close(resolve));

/** Answers as an agent with `secret` does: a JSON body signed for the request's nonce. */
function answerSigned(secret: string, req: IncomingMessage, res: ServerResponse, body: string, status = 200) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader(
    RESPONSE_SIGNATURE_HEADER,
    signResponse(secret, status, String(req.headers[NONCE_HEADER]), body),
  );
  res.end(body);
}

describe('AgentClient against the real agent', () => {
  let wg0: WgInterface;
  let agent: RunningAgent;
  let client: AgentClient;

  beforeAll(async () => {
    wg0 = await createWgInterface(uniqueInterfaceName('wgcli'));
    agent = await startAgentInProcess({ interfaces: [wg0.name] });
    client = new AgentClient({
      baseUrl: agent.url,
      secret: agent.secret,
      interfaceName: wg0.name,
      retries: 0,
    });
  });

  afterAll(async () => {
    client?.close();
    await agent?.stop();
    await wg0?.destroy();
  });

  it('calls every route with typed answers', async () => {
    expect(await client.health()).toEqual({
      status: 'ok',
      version: expect.any(String),
      uptime_s: expect.any(Number),
    });
    expect(await client.interfaces()).toEqual({ interfaces: [wg0.name] });

    const psk = randomKey();
    const added = await client.addPeer({
      public_key: SLASH_PLUS_KEY,
      allowed_ips: ['10.20.0.2/32'],
      preshared_key: psk,
    });
    expect(added).toMatchObject({ public_key: SLASH_PLUS_KEY, preshared_key_sha256: sha256Hex(psk) });

    const updated = await client.updatePeer(SLASH_PLUS_KEY, {
      allowed_ips: ['10.20.0.3/32'],
      persistent_keepalive: 5,
    });
    expect(updated).toMatchObject({ allowed_ips: ['10.20.0.3/32'], persistent_keepalive: 5 });

    const other = randomKey();
    const batch = await client.batch({
      upsert: [{ public_key: other, allowed_ips: ['10.20.0.4/32'] }],
      remove: [],
    });
    expect(batch.results).toEqual([{ public_key: other, op: 'upsert', ok: true }]);

    const dump = await client.dump();
    expect(dump.interface).toMatchObject({ name: wg0.name, public_key: wg0.publicKey });
    expect(dump.peers.map((peer) => peer.public_key).sort()).toEqual([SLASH_PLUS_KEY, other].sort());

    await client.removePeer(SLASH_PLUS_KEY);
    expect(await client.syncconf({ peers: [{ public_key: other, allowed_ips: ['10.20.0.4/32'] }] })).toEqual({
      added: 0,
      updated: 0,
      removed: 0,
    });
    expect(await client.setInterface({ listen_port: wg0.listenPort })).toEqual({
      name: wg0.name,
      public_key: wg0.publicKey,
      listen_port: wg0.listenPort,
      fwmark: null,
      mtu: expect.any(Number),
    });
  });

  it('maps 400, 404 and 409 to AgentRejectedInputError with status and code', async () => {
    const key = randomKey();
    await client.addPeer({ public_key: key, allowed_ips: [] });
    const conflict = await caught(client.addPeer({ public_key: key, allowed_ips: [] }));
    expect(conflict).toBeInstanceOf(AgentRejectedInputError);
    expect(conflict).toMatchObject({ status: 409, code: 'conflict', transient: false });

    const absent = await caught(client.removePeer(randomKey()));
    expect(absent).toMatchObject({ status: 404, code: 'not_found', transient: false });

    const bad = await caught(client.updatePeer(key, { persistent_keepalive: 70000 }));
    expect(bad).toBeInstanceOf(AgentRejectedInputError);
    expect(bad).toMatchObject({ status: 400, code: 'bad_request' });
    expect(bad.message).toContain('persistent_keepalive');
  });

  it('maps a wg failure on the node to AgentWgFailedError (502)', async () => {
    const error = await caught(
      client.addPeer({ public_key: randomKey(), allowed_ips: [], endpoint: 'no-such-host.invalid:51820' }),
    );
    expect(error).toBeInstanceOf(AgentWgFailedError);
    expect(error).toMatchObject({ status: 502, code: 'wg_failed', transient: false });
  });

  it('maps a wrong secret to AgentUnauthorizedError without ever showing a secret', async () => {
    const wrongSecret = 'w'.repeat(48);
    const wrong = new AgentClient({ baseUrl: agent.url, secret: wrongSecret, interfaceName: wg0.name });
    try {
      const error = await caught(wrong.dump());
      expect(error).toBeInstanceOf(AgentUnauthorizedError);
      expect(error).toMatchObject({ status: 401, code: 'bad_signature', transient: false });
      expect(`${error.message} ${error.stack}`).not.toContain(wrongSecret);
      expect(`${error.message} ${error.stack}`).not.toContain(agent.secret);
    } finally {
      wrong.close();
    }
  });

  const clientOf = (address: string) =>
    new AgentClient({ baseUrl: `http://${address}`, secret: 's'.repeat(32), interfaceName: 'wg0' });

  it('reuses one kept-alive connection for consecutive calls', async () => {
    const sockets = new Set<unknown>();
    const server = createHttpServer((req, res) => {
      sockets.add(req.socket);
      answerSigned('s'.repeat(32), req, res, '{"interfaces":[]}');
    });
    const address = await listen(server);
    const local = clientOf(address);
    try {
      for (let i = 0; i < 5; i++) await local.interfaces();
      expect(sockets.size).toBe(1);
    } finally {
      local.close();
      await close(server);
    }
  });

  it('closes a connection left idle for IDLE_CONNECTION_MS, though the agent would keep it longer', async () => {
    const closed: number[] = [];
    const server = createHttpServer((req, res) => {
      req.socket.once('close', () => closed.push(Date.now()));
      answerSigned('s'.repeat(32), req, res, '{"interfaces":[]}');
    });
    server.keepAliveTimeout = 60_000;
    const address = await listen(server);
    const local = clientOf(address);
    try {
      await local.interfaces();
      const answered = Date.now();
      await new Promise((resolve) => setTimeout(resolve, IDLE_CONNECTION_MS + 1000));
      expect(closed).toHaveLength(1);
      expect(closed[0] - answered).toBeGreaterThanOrEqual(IDLE_CONNECTION_MS - 100);
    } finally {
      local.close();
      await close(server);
    }
  });
});

describe('AgentClient retries', () => {
  const secret = 'r'.repeat(40);
  const servers: Server[] = [];
  const clients: AgentClient[] = [];

  const serve = async (handler: (req: IncomingMessage, res: ServerResponse, attempt: number) => void) => {
    let attempt = 0;
    const server = createHttpServer((req, res) => handler(req, res, attempt++));
    servers.push(server);
    return listen(server);
  };
  const clientFor = (address: string, options: { retries?: number; timeoutMs?: number } = {}) => {
    const created = new AgentClient({
      baseUrl: `http://${address}`,
      secret,
      interfaceName: 'wg0',
      retryBaseMs: 10,
      ...options,
    });
    clients.push(created);
    return created;
  };

  afterAll(async () => {
    clients.forEach((client) => client.close());
    await Promise.all(servers.map(close));
  });

  it('retries a reset connection, signing the same body afresh each time', async () => {
    const seen: Array<{ headers: IncomingMessage['headers']; body: string; url: string }> = [];
    const address = await serve((req, res, attempt) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ headers: req.headers, body, url: req.url! });
        if (attempt < 2) return req.socket.destroy();
        answerSigned(secret, req, res, '{"results":[]}');
      });
    });
    const peer = { public_key: SLASH_PLUS_KEY, allowed_ips: ['10.0.0.1/32'] };
    await expect(clientFor(address).batch({ upsert: [peer], remove: [] })).resolves.toEqual({ results: [] });

    expect(seen).toHaveLength(3);
    const nonces = new NonceCache(300);
    for (const request of seen) {
      expect(request.body).toBe(JSON.stringify({ upsert: [peer], remove: [] }));
      const verdict = verifyRequest({
        secret,
        method: 'POST',
        target: request.url,
        headers: request.headers,
        body: request.body,
        maxSkewS: 300,
        nonces,
      });
      expect(verdict).toEqual({ ok: true });
    }
  });

  it('gives up after the retries with a transient AgentUnreachableError', async () => {
    const address = await serve((req) => req.socket.destroy());
    const error = await caught(clientFor(address, { retries: 2 }).dump());
    expect(error).toBeInstanceOf(AgentUnreachableError);
    expect(error.transient).toBe(true);
    expect(error.message).not.toContain(secret);
  });

  it('times out each attempt and retries it', async () => {
    let attempts = 0;
    const address = await serve(() => void (attempts += 1));
    const started = Date.now();
    const error = await caught(clientFor(address, { retries: 1, timeoutMs: 150 }).dump());
    expect(error).toBeInstanceOf(AgentUnreachableError);
    expect(attempts).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('never retries an HTTP answer, not even a 503', async () => {
    let attempts = 0;
    const address = await serve((_req, res) => {
      attempts += 1;
      res.statusCode = 503;
      res.end('{"error":{"code":"unavailable","message":"closing"}}');
    });
    const error = await caught(clientFor(address, { retries: 3 }).dump());
    expect(error).toMatchObject({ status: 503, transient: true });
    expect(attempts).toBe(1);
  });

  it('reports a refused connection as unreachable', async () => {
    const server = createHttpServer();
    const address = await listen(server);
    await close(server);
    const error = await caught(clientFor(address, { retries: 1 }).health());
    expect(error).toBeInstanceOf(AgentUnreachableError);
    expect(error.code).toBe('ECONNREFUSED');
  });
});

describe('AgentClient over TLS', () => {
  let wg0: WgInterface;
  let cert: TestCertificate;
  let agent: RunningAgent;
  const clients: AgentClient[] = [];
  const clientWith = (options: { caCert?: string; certFingerprint?: string; baseUrl?: string }) => {
    const created = new AgentClient({
      baseUrl: agent.url,
      secret: agent.secret,
      interfaceName: wg0.name,
      retries: 0,
      ...options,
    });
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    wg0 = await createWgInterface(uniqueInterfaceName('wgclt'));
    cert = await generateSelfSignedCert();
    agent = await startAgentInProcess({ interfaces: [wg0.name], tls: cert });
  });

  afterAll(async () => {
    clients.forEach((client) => client.close());
    await agent?.stop();
    await wg0?.destroy();
  });

  it('trusts the agent through its CA certificate', async () => {
    const dump = await clientWith({ caCert: cert.cert }).dump();
    expect(dump.interface.public_key).toBe(wg0.publicKey);
  });

  it('trusts the agent through its pinned fingerprint, with or without colons', async () => {
    expect((await clientWith({ certFingerprint: cert.fingerprint256 }).dump()).interface.name).toBe(wg0.name);
    const bare = cert.fingerprint256.replace(/:/g, '').toLowerCase();
    expect((await clientWith({ certFingerprint: bare }).interfaces()).interfaces).toEqual([wg0.name]);
  });

  it('refuses an unknown self-signed certificate', async () => {
    const error = await caught(clientWith({}).dump());
    expect(error).toBeInstanceOf(AgentTlsError);
    expect(error.transient).toBe(false);
  });

  it('refuses a wrong fingerprint before sending anything', async () => {
    let requests = 0;
    const impostor = createHttpsServer({ cert: cert.cert, key: cert.key }, (_req, res) => {
      requests += 1;
      res.end('{}');
    });
    const address = await listen(impostor);
    try {
      const other = await generateSelfSignedCert('other');
      const error = await caught(
        clientWith({ baseUrl: `https://${address}`, certFingerprint: other.fingerprint256 }).dump(),
      );
      expect(error).toBeInstanceOf(AgentTlsError);
      expect(error.message).toContain('does not match the pinned fingerprint');
      expect(requests).toBe(0);
    } finally {
      await close(impostor);
    }
  });
});

describe('AgentClientFactory', () => {
  const factory = new AgentClientFactory({
    agentTimeoutMs: 1000,
    agentUrlPolicy: { requireTls: false, allow: null },
  } as AppConfig);
  const node = {
    id: 'node-1',
    agent_url: 'http://127.0.0.1:1',
    interface: 'wg0',
    agent_secret: 'a'.repeat(32),
  };

  afterAll(() => factory.onApplicationShutdown());

  it('keeps one client per node until its connection settings change', () => {
    const first = factory.forNode(node);
    expect(factory.forNode({ ...node })).toBe(first);
    expect(factory.forNode({ ...node, agent_secret: 'b'.repeat(32) })).not.toBe(first);
    expect(factory.forNode({ ...node, id: null })).not.toBe(factory.forNode({ ...node, id: null }));
  });
});
