import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import {
  keyToPathSegment,
  signRequest,
  sha256Hex,
  type BatchResponse,
  type Dump,
  type DumpPeer,
  type HealthResponse,
} from '@wgfleet/protocol';
import pino from 'pino';
import { BODY_LIMIT_BYTES, BULK_BODY_LIMIT_BYTES } from '../src/app';
import { MAX_LARGE_BODIES_IN_FLIGHT } from '../src/auth';
import * as wgCli from '../src/wg/wg-cli';
import { startAgentInProcess, type RunningAgent } from './support/agent-process';
import { jsonLogStream } from './support/log-lines';
import { signedRequest, type SignedRequestOptions } from './support/signed-request';
import {
  createWgInterface,
  randomKey,
  uniqueInterfaceName,
  waitUntil,
  type WgInterface,
} from './support/wg-interface';

type ErrorAnswer = { error: { code: string; message: string } };

/** A key whose standard base64 has both '+' and '/'. */
const SLASH_PLUS_KEY = Buffer.alloc(32, 0xfb).toString('base64');

describe('agent API on a real wireguard-go interface', () => {
  let wg0: WgInterface;
  let agent: RunningAgent;
  let configDir: string;
  const logLines: Array<Record<string, unknown>> = [];
  let rawLog = '';
  const absentInterface = uniqueInterfaceName('wgnone');

  const call = <T = unknown>(method: string, target: string, options?: SignedRequestOptions) =>
    signedRequest<T>(agent.url, agent.secret, method, target, options);
  const iface = () => `/v1/wg/${wg0.name}`;
  const peerPath = (key: string) => `${iface()}/peers/${keyToPathSegment(key)}`;
  const wgPeer = async (key: string): Promise<DumpPeer | undefined> =>
    (await call<Dump>('GET', `${iface()}/dump`)).json.peers.find((peer) => peer.public_key === key);

  beforeAll(async () => {
    wg0 = await createWgInterface(uniqueInterfaceName('wgapi'));
    configDir = await mkdtemp(join(tmpdir(), 'wgfleet-agent-conf-'));
    // An existing wg-quick file: its Address/DNS/PostUp lines must survive every rewrite.
    await writeFile(
      join(configDir, `${wg0.name}.conf`),
      '[Interface]\nAddress = 10.99.0.1/24\nDNS = 10.99.0.53\nPostUp = true\nListenPort = 1\n\n[Peer]\nPublicKey = old\n',
      { mode: 0o600 },
    );
    const logStream = jsonLogStream(logLines, (text) => (rawLog += text));
    agent = await startAgentInProcess({
      interfaces: [wg0.name, absentInterface],
      configDir,
      logger: pino({ level: 'info' }, logStream),
    });
  });

  afterAll(async () => {
    await agent?.stop();
    await wg0?.destroy();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  afterEach(() => jest.restoreAllMocks());

  describe('read routes', () => {
    it('answers GET /health without auth', async () => {
      const answer = await call<HealthResponse>('GET', '/health', { headers: () => ({}) });
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({
        status: 'ok',
        version: expect.any(String),
        uptime_s: expect.any(Number),
      });
    });

    it('lists the allowed interfaces that exist', async () => {
      const answer = await call('GET', '/v1/interfaces');
      expect(answer).toMatchObject({ status: 200, json: { interfaces: [wg0.name] } });
    });

    it('dumps the interface without any private or preshared key', async () => {
      const psk = randomKey();
      const key = randomKey();
      await call('POST', `${iface()}/peers`, {
        body: { public_key: key, allowed_ips: ['10.1.0.9/32'], preshared_key: psk },
      });
      const answer = await call<Dump>('GET', `${iface()}/dump`);
      expect(answer.status).toBe(200);
      expect(answer.json.interface).toEqual({
        name: wg0.name,
        public_key: wg0.publicKey,
        listen_port: wg0.listenPort,
        fwmark: null,
        mtu: Number(await readFile(`/sys/class/net/${wg0.name}/mtu`, 'utf8')),
      });
      expect(answer.json.peers.find((peer) => peer.public_key === key)).toEqual({
        public_key: key,
        preshared_key_sha256: sha256Hex(psk),
        endpoint: null,
        allowed_ips: ['10.1.0.9/32'],
        latest_handshake: 0,
        transfer_rx: 0,
        transfer_tx: 0,
        persistent_keepalive: 0,
      });
      const privateKey = (await wg0.wg('show', wg0.name, 'private-key')).trim();
      expect(answer.text).not.toContain(privateKey);
      expect(answer.text).not.toContain(psk);
      await call('DELETE', peerPath(key));
    });

    it('answers 404 for an allowed interface that does not exist', async () => {
      const answer = await call<ErrorAnswer>('GET', `/v1/wg/${absentInterface}/dump`);
      expect(answer.status).toBe(404);
      expect(answer.json.error.code).toBe('not_found');
    });

    it('shares one wg call between concurrent dumps of one interface', async () => {
      const stream = jest.spyOn(wgCli, 'streamWg');
      const answers = await Promise.all(Array.from({ length: 16 }, () => call('GET', `${iface()}/dump`)));
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
      expect(stream.mock.calls.length).toBeLessThan(16);
      expect(stream.mock.calls.length).toBeGreaterThanOrEqual(1);
    });

    it('answers each dump with the interface as it is then, though dumps reuse the same buffers', async () => {
      // 3,000 peers make about 1 MB of JSON: several pooled buffers, handed back after each answer.
      const keys = Array.from({ length: 3000 }, () => randomKey());
      const upsert = keys.map((key, i) => ({
        public_key: key,
        allowed_ips: [`10.9.${i >> 8}.${i & 255}/32`],
        preshared_key: randomKey(),
      }));
      await call('POST', `${iface()}/batch`, { body: { upsert } });
      const dumpedKeys = async () => {
        const answers = await Promise.all(
          Array.from({ length: 4 }, () => call<Dump>('GET', `${iface()}/dump`)),
        );
        return answers.map((answer) => new Set(answer.json.peers.map((peer) => peer.public_key)));
      };
      for (const seen of await dumpedKeys()) expect(keys.every((key) => seen.has(key))).toBe(true);
      await call('POST', `${iface()}/batch`, { body: { remove: keys.slice(0, 1500) } });
      for (const seen of await dumpedKeys()) {
        expect(keys.slice(0, 1500).some((key) => seen.has(key))).toBe(false);
        expect(keys.slice(1500).every((key) => seen.has(key))).toBe(true);
      }
      await call('POST', `${iface()}/batch`, { body: { remove: keys.slice(1500) } });
    });
  });

  describe('peer routes', () => {
    it('adds a peer whose key has "/" and "+", then refuses it again with 409', async () => {
      const psk = randomKey();
      const created = await call<DumpPeer>('POST', `${iface()}/peers`, {
        body: {
          public_key: SLASH_PLUS_KEY,
          allowed_ips: ['10.1.0.2/32', 'fd00::2/128'],
          persistent_keepalive: 25,
          preshared_key: psk,
        },
      });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({
        public_key: SLASH_PLUS_KEY,
        allowed_ips: ['10.1.0.2/32', 'fd00::2/128'],
        persistent_keepalive: 25,
        preshared_key_sha256: sha256Hex(psk),
      });
      expect(await wg0.wg('show', wg0.name, 'preshared-keys')).toContain(`${SLASH_PLUS_KEY}\t${psk}`);

      const again = await call<ErrorAnswer>('POST', `${iface()}/peers`, {
        body: { public_key: SLASH_PLUS_KEY, allowed_ips: ['10.1.0.3/32'] },
      });
      expect(again.status).toBe(409);
      expect(again.json.error.code).toBe('conflict');
    });

    it('updates exactly the fields sent, by base64url and by percent-encoded base64 path', async () => {
      const replaced = await call<DumpPeer>('PUT', peerPath(SLASH_PLUS_KEY), {
        body: { allowed_ips: ['10.1.0.4/32'] },
      });
      expect(replaced.status).toBe(200);
      expect(replaced.json).toMatchObject({ allowed_ips: ['10.1.0.4/32'], persistent_keepalive: 25 });
      expect(replaced.json.preshared_key_sha256).not.toBeNull();

      const cleared = await call<DumpPeer>('PUT', `${iface()}/peers/${encodeURIComponent(SLASH_PLUS_KEY)}`, {
        body: { persistent_keepalive: 0, preshared_key: null, endpoint: '192.0.2.7:51820' },
      });
      expect(cleared.status).toBe(200);
      expect(cleared.json).toMatchObject({
        allowed_ips: ['10.1.0.4/32'],
        persistent_keepalive: 0,
        preshared_key_sha256: null,
        endpoint: '192.0.2.7:51820',
      });
      expect(await wg0.wg('show', wg0.name, 'persistent-keepalive')).toContain(`${SLASH_PLUS_KEY}\toff`);
    });

    it('answers 404 for updating or removing an absent peer', async () => {
      const absent = randomKey();
      expect((await call('PUT', peerPath(absent), { body: { allowed_ips: [] } })).status).toBe(404);
      expect((await call('DELETE', peerPath(absent))).status).toBe(404);
    });

    it('removes a peer with 204', async () => {
      const removed = await call('DELETE', peerPath(SLASH_PLUS_KEY));
      expect(removed).toMatchObject({ status: 204, text: '' });
      expect(await wgPeer(SLASH_PLUS_KEY)).toBeUndefined();
    });

    it('serialises concurrent writes so none is lost', async () => {
      const keys = Array.from({ length: 12 }, () => randomKey());
      const answers = await Promise.all(
        keys.map((key, i) =>
          call('POST', `${iface()}/peers`, {
            body: { public_key: key, allowed_ips: [`10.2.0.${i + 1}/32`] },
          }),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual(keys.map(() => 201));
      const batch = await call<BatchResponse>('POST', `${iface()}/batch`, { body: { remove: keys } });
      expect(batch.json.results.every((result) => result.ok)).toBe(true);
    });
  });

  describe('batch', () => {
    it('applies every valid item in one wg call even when others are invalid or fail in wg', async () => {
      const [a, b, failing, gone] = [randomKey(), randomKey(), randomKey(), randomKey()];
      await call('POST', `${iface()}/peers`, { body: { public_key: gone, allowed_ips: ['10.3.0.9/32'] } });
      const exec = jest.spyOn(wgCli, 'execWg');
      const answer = await call<BatchResponse>('POST', `${iface()}/batch`, {
        body: {
          upsert: [
            {
              public_key: a,
              allowed_ips: ['10.3.0.1/32'],
              persistent_keepalive: 15,
              preshared_key: randomKey(),
            },
            { public_key: randomKey(), allowed_ips: ['10.3.0.300/32'] },
            { public_key: failing, allowed_ips: ['10.3.0.3/32'], endpoint: 'no-such-host.invalid:51820' },
            { public_key: b, allowed_ips: ['10.3.0.2/32'] },
          ],
          remove: [gone, 'not-a-key'],
        },
      });
      expect(answer.status).toBe(200);
      expect(answer.json.results).toEqual([
        { public_key: a, op: 'upsert', ok: true },
        {
          public_key: expect.any(String),
          op: 'upsert',
          ok: false,
          error: expect.stringContaining('upsert[1].allowed_ips[0]'),
        },
        { public_key: failing, op: 'upsert', ok: false, error: expect.stringContaining('wg addconf') },
        { public_key: b, op: 'upsert', ok: true },
        { public_key: gone, op: 'remove', ok: true },
        { public_key: 'not-a-key', op: 'remove', ok: false, error: expect.stringContaining('remove[1]') },
      ]);
      expect(await wgPeer(a)).toMatchObject({ allowed_ips: ['10.3.0.1/32'], persistent_keepalive: 15 });
      expect(await wgPeer(b)).toMatchObject({ allowed_ips: ['10.3.0.2/32'] });
      expect(await wgPeer(failing)).toBeUndefined();
      expect(await wgPeer(gone)).toBeUndefined();
      // One combined call for the three valid upserts, then one per upsert to isolate the failure; one removal.
      const subcommands = exec.mock.calls.map(([, args]) => args[0]);
      expect(subcommands.filter((subcommand) => subcommand === 'addconf')).toHaveLength(1 + 3);
      expect(exec.mock.calls.filter(([, args]) => args[0] === 'set')).toEqual([
        ['wg', ['set', wg0.name, 'peer', gone, 'remove']],
      ]);
      await call('POST', `${iface()}/batch`, { body: { remove: [a, b] } });
    });

    it('rejects a key given twice in one batch for the second occurrence only', async () => {
      const key = randomKey();
      const answer = await call<BatchResponse>('POST', `${iface()}/batch`, {
        body: {
          upsert: [
            { public_key: key, allowed_ips: [] },
            { public_key: key, allowed_ips: ['10.4.0.1/32'] },
          ],
        },
      });
      expect(answer.json.results.map((result) => result.ok)).toEqual([true, false]);
      await call('DELETE', peerPath(key));
    });
  });

  describe('interface routes', () => {
    it('syncconf makes the peers exactly those given and counts the changes', async () => {
      const [kept, changed, removed, added] = [randomKey(), randomKey(), randomKey(), randomKey()];
      await call('POST', `${iface()}/batch`, {
        body: {
          upsert: [
            { public_key: kept, allowed_ips: ['10.5.0.1/32'], persistent_keepalive: 10 },
            { public_key: changed, allowed_ips: ['10.5.0.2/32'] },
            { public_key: removed, allowed_ips: ['10.5.0.3/32'] },
          ],
        },
      });
      const before = (await call<Dump>('GET', `${iface()}/dump`)).json.interface;
      const answer = await call('POST', `${iface()}/syncconf`, {
        body: {
          peers: [
            { public_key: kept, allowed_ips: ['10.5.0.1'], persistent_keepalive: 10 },
            { public_key: changed, allowed_ips: ['10.5.0.22/32'], preshared_key: randomKey() },
            { public_key: added, allowed_ips: [] },
          ],
        },
      });
      expect(answer).toMatchObject({ status: 200, json: { added: 1, updated: 1, removed: 1 } });
      const dump = (await call<Dump>('GET', `${iface()}/dump`)).json;
      expect(dump.interface).toEqual(before);
      expect(dump.peers.map((peer) => peer.public_key).sort()).toEqual([kept, changed, added].sort());
      expect(dump.peers.find((peer) => peer.public_key === changed)).toMatchObject({
        allowed_ips: ['10.5.0.22/32'],
      });
    });

    it('syncconf sets the listen port when given', async () => {
      const answer = await call('POST', `${iface()}/syncconf`, {
        body: { listen_port: wg0.listenPort + 1, peers: [] },
      });
      expect(answer.status).toBe(200);
      expect((await call<Dump>('GET', `${iface()}/dump`)).json.interface.listen_port).toBe(
        wg0.listenPort + 1,
      );
    });

    it('PUT /v1/wg/{iface} sets the listen port', async () => {
      const answer = await call('PUT', iface(), { body: { listen_port: wg0.listenPort } });
      expect(answer).toMatchObject({
        status: 200,
        json: { name: wg0.name, public_key: wg0.publicKey, listen_port: wg0.listenPort },
      });
      expect((await wg0.wg('show', wg0.name, 'listen-port')).trim()).toBe(String(wg0.listenPort));
    });

    it('PUT /v1/wg/{iface} sets the MTU and fwmark, which the dump reports; fwmark 0 clears it', async () => {
      const answer = await call('PUT', iface(), { body: { mtu: 1380, fwmark: 51820 } });
      expect(answer).toMatchObject({
        status: 200,
        json: { name: wg0.name, listen_port: wg0.listenPort, fwmark: 51820, mtu: 1380 },
      });
      expect((await wg0.wg('show', wg0.name, 'fwmark')).trim()).toBe('0xca6c');
      expect((await readFile(`/sys/class/net/${wg0.name}/mtu`, 'utf8')).trim()).toBe('1380');
      expect((await call<Dump>('GET', `${iface()}/dump`)).json.interface).toMatchObject({
        fwmark: 51820,
        mtu: 1380,
      });

      const cleared = await call('PUT', iface(), { body: { fwmark: 0, mtu: 1420 } });
      expect(cleared).toMatchObject({ status: 200, json: { fwmark: null, mtu: 1420 } });
      expect((await wg0.wg('show', wg0.name, 'fwmark')).trim()).toBe('off');
    });

    it('persists the interface to <dir>/<iface>.conf, 0600, keeping wg-quick lines', async () => {
      const key = randomKey();
      await call('POST', `${iface()}/peers`, { body: { public_key: key, allowed_ips: ['10.6.0.1/32'] } });
      const file = join(configDir, `${wg0.name}.conf`);
      const text = await readFile(file, 'utf8');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(text).toMatch(
        /^\[Interface\]\nAddress = 10\.99\.0\.1\/24\nDNS = 10\.99\.0\.53\nPostUp = true\n/,
      );
      expect(text).toContain(`ListenPort = ${wg0.listenPort}`);
      expect(text).toContain(`PublicKey = ${key}`);
      expect(text).not.toContain('PublicKey = old');
      expect(text.match(/^ListenPort/gm)).toHaveLength(1);
      await call('DELETE', peerPath(key));
    });
  });

  describe('signatures', () => {
    const target = () => `${iface()}/peers`;
    const body = () => ({ public_key: randomKey(), allowed_ips: ['10.7.0.1/32'] });
    const expectRefused = async (answer: Promise<{ status: number; json: unknown }>, code: string) => {
      const { status, json } = await answer;
      expect(status).toBe(401);
      expect(json).toEqual({ error: { code, message: expect.any(String) } });
    };

    it('missing headers → missing_auth', async () => {
      await expectRefused(
        call('POST', target(), { body: body(), headers: ({ 'X-Agent-Signature': _s, ...rest }) => rest }),
        'missing_auth',
      );
    });

    it('tampered body → bad_signature', async () => {
      await expectRefused(
        call('POST', target(), { body: body(), signedBody: JSON.stringify(body()) }),
        'bad_signature',
      );
    });

    it('tampered path → bad_signature', async () => {
      await expectRefused(
        call('GET', `${iface()}/dump`, { signedTarget: '/v1/interfaces' }),
        'bad_signature',
      );
    });

    it('wrong secret → bad_signature', async () => {
      await expectRefused(call('GET', '/v1/interfaces', { secret: 'w'.repeat(64) }), 'bad_signature');
    });

    it('timestamp outside the skew window → expired', async () => {
      await expectRefused(
        call('GET', '/v1/interfaces', { nowS: Math.floor(Date.now() / 1000) - 301 }),
        'expired',
      );
    });

    it('replayed nonce → replayed', async () => {
      let first: Record<string, string> = {};
      const replay = (signed: Record<string, string>) => (first = Object.keys(first).length ? first : signed);
      expect((await call('GET', '/v1/interfaces', { headers: replay })).status).toBe(200);
      await expectRefused(call('GET', '/v1/interfaces', { headers: replay }), 'replayed');
    });

    it('logs a rejected signature at warn with its code and remote address, in the one request line', async () => {
      logLines.length = 0;
      await call('GET', '/v1/interfaces', { secret: 'w'.repeat(64) });
      expect(logLines).toHaveLength(1);
      expect(logLines[0]).toMatchObject({
        level: 40,
        route: '/v1/interfaces',
        method: 'GET',
        status: 401,
        auth_error: 'bad_signature',
        remote_address: '127.0.0.1',
      });
    });
  });

  describe('bad input', () => {
    const post = (payload: unknown) => call<ErrorAnswer>('POST', `${iface()}/peers`, { body: payload });
    const expect400 = async (answer: Promise<{ status: number; json: ErrorAnswer }>, field: string) => {
      const { status, json } = await answer;
      expect(status).toBe(400);
      expect(json.error.code).toBe('bad_request');
      expect(json.error.message).toContain(field);
    };

    it.each([
      ['a bad public key', { public_key: 'abc', allowed_ips: [] }, 'public_key'],
      ['a 31-byte key', { public_key: Buffer.alloc(31).toString('base64'), allowed_ips: [] }, 'public_key'],
      ['a bad CIDR', { public_key: SLASH_PLUS_KEY, allowed_ips: ['10.0.0.0/33'] }, 'allowed_ips[0]'],
      [
        'a non-IP CIDR',
        { public_key: SLASH_PLUS_KEY, allowed_ips: ['10.0.0.1/32', 'evil,1.2.3.4'] },
        'allowed_ips[1]',
      ],
      [
        'keepalive out of range',
        { public_key: SLASH_PLUS_KEY, allowed_ips: [], persistent_keepalive: 65536 },
        'persistent_keepalive',
      ],
      [
        'keepalive not whole',
        { public_key: SLASH_PLUS_KEY, allowed_ips: [], persistent_keepalive: 1.5 },
        'persistent_keepalive',
      ],
      [
        'keepalive as text',
        { public_key: SLASH_PLUS_KEY, allowed_ips: [], persistent_keepalive: '25' },
        'persistent_keepalive',
      ],
      [
        'a bad preshared key',
        { public_key: SLASH_PLUS_KEY, allowed_ips: [], preshared_key: 'x' },
        'preshared_key',
      ],
      ['a bad endpoint', { public_key: SLASH_PLUS_KEY, allowed_ips: [], endpoint: '1.2.3.4' }, 'endpoint'],
      [
        'an unknown field',
        { public_key: SLASH_PLUS_KEY, allowed_ips: [], allowedIps: [] },
        'allowedIps: unknown field',
      ],
      ['a missing field', { public_key: SLASH_PLUS_KEY }, 'allowed_ips: is required'],
    ])('%s → 400 naming the field', async (_case, payload, field) => {
      const exec = jest.spyOn(wgCli, 'execWg');
      const stream = jest.spyOn(wgCli, 'streamWg');
      await expect400(post(payload), field);
      expect(exec).not.toHaveBeenCalled();
      expect(stream).not.toHaveBeenCalled();
    });

    it('a bad listen port → 400 naming listen_port', async () => {
      await expect400(call<ErrorAnswer>('PUT', iface(), { body: { listen_port: -1 } }), 'listen_port');
      await expect400(call<ErrorAnswer>('PUT', iface(), { body: { mtu: 100 } }), 'mtu');
      await expect400(call<ErrorAnswer>('PUT', iface(), { body: { fwmark: 2 ** 32 } }), 'fwmark');
    });

    it('a bad peer inside syncconf → 400 naming it, nothing applied', async () => {
      await expect400(
        call<ErrorAnswer>('POST', `${iface()}/syncconf`, {
          body: { peers: [{ public_key: SLASH_PLUS_KEY, allowed_ips: ['x'] }] },
        }),
        'peers[0].allowed_ips[0]',
      );
    });

    it('a bad key in the path → 400 naming the key', async () => {
      await expect400(call<ErrorAnswer>('DELETE', `${iface()}/peers/not-a-key`), 'key');
    });

    it('a body that is not JSON → 400', async () => {
      await expect400(post('{"public_key":'), 'body');
    });

    it('a body over 1 MiB → 400 naming the body', async () => {
      await expect400(post({ public_key: SLASH_PLUS_KEY, allowed_ips: ['x'.repeat(1024 * 1024)] }), 'body');
    });

    describe('syncconf, whose body is a whole peer set', () => {
      const syncconfPath = () => `${iface()}/syncconf`;
      /** About 1.9 MB of valid peers, then one with a bad key: a 400 naming it shows the whole body was read. */
      const bigPeerSet = () => {
        const peers: unknown[] = Array.from({ length: 20_000 }, (_, i) => ({
          public_key: randomKey(),
          allowed_ips: [`10.${(i >> 16) + 64}.${(i >> 8) & 255}.${i & 255}/32`],
        }));
        peers.push({ public_key: 'not-a-key', allowed_ips: [] });
        return JSON.stringify({ peers });
      };

      it('takes a body over 1 MiB and up to BULK_BODY_LIMIT_BYTES', async () => {
        const body = bigPeerSet();
        expect(body.length).toBeGreaterThan(BODY_LIMIT_BYTES);
        await expect400(call<ErrorAnswer>('POST', syncconfPath(), { body }), 'peers[20000].public_key');
      });

      it('refuses a body over BULK_BODY_LIMIT_BYTES → 400 naming the limit', async () => {
        const body = JSON.stringify({ peers: [], pad: 'x'.repeat(BULK_BODY_LIMIT_BYTES) });
        await expect400(
          call<ErrorAnswer>('POST', syncconfPath(), { body }),
          `body: larger than the limit of ${BULK_BODY_LIMIT_BYTES}`,
        );
      });

      it('refuses an unsigned or stale large request before reading its body', async () => {
        const body = bigPeerSet();
        const unsigned = await call<ErrorAnswer>('POST', syncconfPath(), { body, headers: () => ({}) });
        expect([unsigned.status, unsigned.json.error.code]).toEqual([401, 'missing_auth']);
        const stale = await call<ErrorAnswer>('POST', syncconfPath(), {
          body,
          nowS: Math.floor(Date.now() / 1000) - 3600,
        });
        expect([stale.status, stale.json.error.code]).toEqual([401, 'expired']);
      });

      it(`reads at most ${MAX_LARGE_BODIES_IN_FLIGHT} large bodies at once; another is told to retry`, async () => {
        const body = Buffer.from(bigPeerSet());
        const url = new URL(agent.url);
        // Large requests whose bodies are still arriving.
        const held = Array.from({ length: MAX_LARGE_BODIES_IN_FLIGHT }, () => {
          const req = request({
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path: syncconfPath(),
            headers: {
              ...signRequest(agent.secret, 'POST', syncconfPath(), body),
              'content-length': body.length,
            },
          });
          req.on('error', () => undefined);
          req.write(body.subarray(0, 1024));
          return req;
        });
        try {
          await waitUntil(
            async () => {
              const answer = await call<ErrorAnswer>('POST', syncconfPath(), { body });
              return answer.status === 503;
            },
            5000,
            'a large request beyond the limit to be refused',
          );
          const busy = await call<ErrorAnswer>('POST', syncconfPath(), { body });
          expect([busy.status, busy.json.error.code, busy.headers['retry-after']]).toEqual([
            503,
            'busy',
            '1',
          ]);
        } finally {
          for (const req of held) req.destroy();
        }
        await waitUntil(
          async () => (await call<ErrorAnswer>('POST', syncconfPath(), { body })).status === 400,
          5000,
          'large requests to be read again once the others are gone',
        );
      });
    });
  });

  describe('interface allow-list', () => {
    it.each([['wg-other'], ['../x'], ['wg0;id'], ['$(id)']])(
      'refuses %s with 404 before any wg call',
      async (name) => {
        const exec = jest.spyOn(wgCli, 'execWg');
        const stream = jest.spyOn(wgCli, 'streamWg');
        const answer = await call<ErrorAnswer>('GET', `/v1/wg/${encodeURIComponent(name)}/dump`);
        expect(answer.status).toBe(404);
        expect(answer.json.error.code).toBe('not_found');
        expect(exec).not.toHaveBeenCalled();
        expect(stream).not.toHaveBeenCalled();
      },
    );
  });

  describe('request log', () => {
    it('writes exactly one line per request, without headers, bodies or keys', async () => {
      logLines.length = 0;
      rawLog = '';
      const psk = randomKey();
      const key = randomKey();
      await call('POST', `${iface()}/peers`, {
        body: { public_key: key, allowed_ips: ['10.8.0.1/32'], preshared_key: psk },
      });
      expect(logLines).toHaveLength(1);
      expect(logLines[0]).toMatchObject({
        level: 30,
        route: '/v1/wg/:iface/peers',
        method: 'POST',
        iface: wg0.name,
        status: 201,
        duration_ms: expect.any(Number),
      });
      expect(rawLog).not.toContain(psk);
      expect(rawLog).not.toContain(agent.secret);
      expect(rawLog.toLowerCase()).not.toContain('x-agent-signature');
      await call('DELETE', peerPath(key));
    });
  });
});
