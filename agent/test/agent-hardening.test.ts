/**
 * The agent's own defences: every answer signed for the request it answers, no replay of a request captured
 * before a restart, slow clients cut off, and `wg` children that never see the agent's secret.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESPONSE_SIGNATURE_HEADER, signRequest, verifyResponse, type Dump } from '@wgfleet/protocol';
import { WgDriver } from '../src/wg/wg-driver';
import { randomSecret, startAgentInProcess, type RunningAgent } from './support/agent-process';
import { signedRequest, type AgentAnswer, type SignedRequestOptions } from './support/signed-request';
import {
  createWgInterface,
  randomKey,
  uniqueInterfaceName,
  waitUntil,
  type WgInterface,
} from './support/wg-interface';

describe('agent hardening', () => {
  let wg0: WgInterface;
  let agent: RunningAgent;

  beforeAll(async () => {
    wg0 = await createWgInterface(uniqueInterfaceName('wgha'));
    agent = await startAgentInProcess({
      interfaces: [wg0.name],
      timeouts: { headersMs: 1000, requestMs: 2000, checkEveryMs: 200 },
    });
  });

  afterAll(async () => {
    await agent?.stop();
    await wg0?.destroy();
  });

  /** A signed request, with the nonce it was sent with. */
  const call = async (method: string, target: string, options: SignedRequestOptions = {}) => {
    let nonce = '';
    const answer = await signedRequest(agent.url, agent.secret, method, target, {
      ...options,
      headers: (signed) => {
        nonce = signed['X-Agent-Nonce'];
        return options.headers ? options.headers(signed) : signed;
      },
    });
    return { answer, nonce };
  };
  const signedFor = ({ answer, nonce }: { answer: AgentAnswer; nonce: string }) =>
    verifyResponse(
      agent.secret,
      answer.status,
      nonce,
      answer.text,
      answer.headers[RESPONSE_SIGNATURE_HEADER],
    );

  it('signs every answer to a signed request: success, streamed dump, refusal and error', async () => {
    const key = randomKey();
    const cases = [
      await call('GET', '/v1/interfaces'),
      await call('GET', `/v1/wg/${wg0.name}/dump`),
      await call('POST', `/v1/wg/${wg0.name}/peers`, { body: { public_key: key, allowed_ips: [] } }),
      await call('DELETE', `/v1/wg/${wg0.name}/peers/${Buffer.from(key, 'base64').toString('base64url')}`),
      await call('POST', `/v1/wg/${wg0.name}/peers`, { body: { public_key: 'nope', allowed_ips: [] } }),
      await call('GET', '/v1/wg/not-managed/dump'),
      await call('GET', '/v1/interfaces', { secret: 'w'.repeat(64) }),
      await call('GET', '/health'),
    ];
    expect(cases.map(({ answer }) => answer.status)).toEqual([200, 200, 201, 204, 400, 404, 401, 200]);
    for (const answered of cases) expect(signedFor(answered)).toBe(true);
    const dump = cases[1];
    expect((dump.answer.json as Dump).interface.public_key).toBe(wg0.publicKey);
    // Bound to its request: the same answer does not verify for another nonce.
    expect(signedFor({ ...dump, nonce: 'another-nonce-0000' })).toBe(false);
  });

  it('refuses a request signed before its start, replayed after a restart', async () => {
    const secret = randomSecret();
    const first = await startAgentInProcess({ interfaces: [wg0.name], secret });
    const target = '/v1/interfaces';
    const signedAtS = Math.floor(Date.now() / 1000);
    const headers = signRequest(secret, 'GET', target, '', signedAtS);
    const send = (url: string) =>
      fetch(url + target, { headers }).then(async (answer) => ({
        status: answer.status,
        body: (await answer.json()) as { error?: { code: string } },
      }));
    try {
      expect((await send(first.url)).status).toBe(200);
      expect((await send(first.url)).body.error?.code).toBe('replayed');
    } finally {
      await first.stop();
    }
    // Still well inside the skew window; only the restart lies between signing and replaying.
    await waitUntil(async () => Math.floor(Date.now() / 1000) > signedAtS, 3000, 'clock did not move');
    const restarted = await startAgentInProcess({ interfaces: [wg0.name], secret });
    try {
      const replay = await send(restarted.url);
      expect([replay.status, replay.body.error?.code]).toEqual([401, 'expired']);
      const fresh = signRequest(secret, 'GET', target, '');
      expect((await fetch(restarted.url + target, { headers: fresh })).status).toBe(200);
    } finally {
      await restarted.stop();
    }
  });

  it('closes slow-loris connections once the headers timeout passes', async () => {
    const { hostname, port } = new URL(agent.url);
    const sockets: Socket[] = [];
    const closed: Array<Promise<number>> = [];
    const started = Date.now();
    for (let i = 0; i < 50; i++) {
      const socket = connect(Number(port), hostname);
      sockets.push(socket);
      closed.push(new Promise((resolve) => socket.once('close', () => resolve(Date.now() - started))));
      socket.on('error', () => undefined);
      socket.write(`GET /health HTTP/1.1\r\nHost: ${hostname}\r\n`);
    }
    // Headers that never end: one more line every 100 ms keeps an idle timer from ever firing.
    const drip = setInterval(() => sockets.forEach((socket) => socket.write('X-Slow: 1\r\n')), 100);
    try {
      let timer: NodeJS.Timeout | undefined;
      const closedAfter = await Promise.race([
        Promise.all(closed),
        new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 5000))),
      ]).finally(() => clearTimeout(timer));
      expect(closedAfter).not.toBeNull();
      expect(Math.max(...closedAfter!)).toBeLessThan(3000);
    } finally {
      clearInterval(drip);
      sockets.forEach((socket) => socket.destroy());
    }
    // The agent still serves everyone else.
    expect((await call('GET', '/v1/interfaces')).answer.status).toBe(200);
  });

  it('gives wg children only PATH and WG_* variables, never AGENT_SECRET', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wgha-env-'));
    const fakeWg = join(dir, 'wg');
    await writeFile(fakeWg, `#!/bin/sh\nenv > ${dir}/env\necho wg0\n`);
    await chmod(fakeWg, 0o755);
    const saved = { secret: process.env.AGENT_SECRET, wg: process.env.WG_HIDE_KEYS };
    process.env.AGENT_SECRET = 'inline-agent-secret-'.repeat(3);
    process.env.WG_HIDE_KEYS = 'always';
    try {
      expect(await new WgDriver({ wgPath: fakeWg }).listInterfaces()).toEqual(['wg0']);
      const names = (await readFile(join(dir, 'env'), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('=')[0])
        .filter((name) => !['PWD', 'SHLVL', '_'].includes(name));
      expect(names.sort()).toEqual(['PATH', 'WG_HIDE_KEYS']);
    } finally {
      process.env.AGENT_SECRET = saved.secret;
      if (saved.secret === undefined) delete process.env.AGENT_SECRET;
      process.env.WG_HIDE_KEYS = saved.wg;
      if (saved.wg === undefined) delete process.env.WG_HIDE_KEYS;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
