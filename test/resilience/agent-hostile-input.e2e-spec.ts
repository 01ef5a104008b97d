/**
 * Hostile input against the agent on a real wireguard-go interface (issue 9): fuzzed bodies on every write
 * route, 1,000 forged / replayed / expired / re-targeted / tampered signatures, and interface names built to
 * escape. Nothing is accepted that should not be, nothing reaches `wg` that should not, and the interface
 * ends exactly as it started.
 */
import { computeSignature, keyToPathSegment, sha256Hex, signRequest, type Dump } from '@wgfleet/protocol';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startAgentInProcess, type RunningAgent } from '../../agent/test/support/agent-process';
import {
  signedRequest,
  type AgentAnswer,
  type SignedRequestOptions,
} from '../../agent/test/support/signed-request';
import {
  createWgInterface,
  randomKey,
  uniqueInterfaceName,
  type WgInterface,
} from '../../agent/test/support/wg-interface';
import * as wgCli from '../../agent/src/wg/wg-cli';
import { FieldSpec, invalidField, unknownFieldName } from './support/hostile-values';

type ErrorBody = { error: { code: string; message: string } };

const PEER_FIELDS: FieldSpec = {
  public_key: { kind: 'format' },
  allowed_ips: { kind: 'list', maxItems: 1024, sample: '10.1.0.9/32' },
  preshared_key: { kind: 'format', nullable: true },
  persistent_keepalive: { kind: 'int' },
  endpoint: { kind: 'format', nullable: true },
};
const WRITE_SUBCOMMANDS = new Set(['set', 'syncconf', 'setconf', 'addconf']);

describe('hostile input against the agent', () => {
  let wg0: WgInterface;
  let agent: RunningAgent;
  let rawLog = '';
  let seeded: Array<{ public_key: string; allowed_ips: string[]; preshared_key?: string }>;
  let wgCalls: string[][];

  const iface = () => `/v1/wg/${wg0.name}`;
  const call = <T = ErrorBody>(method: string, target: string, options?: SignedRequestOptions) =>
    signedRequest<T>(agent.url, agent.secret, method, target, options);
  /** The interface as wg shows it, read without the agent. */
  const observed = async () => (await wg0.wg('show', wg0.name, 'dump')).trim().split('\n').sort().join('\n');
  const writesToWg = () => wgCalls.filter((args) => WRITE_SUBCOMMANDS.has(args[0]));
  const freshPeer = () => ({
    public_key: randomKey(),
    allowed_ips: [`10.1.${randomBytes(1)[0]}.${randomBytes(1)[0]}/32`],
  });

  beforeAll(async () => {
    wg0 = await createWgInterface(uniqueInterfaceName('wgrhi'));
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        rawLog += chunk.toString();
        done();
      },
    });
    agent = await startAgentInProcess({
      interfaces: [wg0.name],
      logger: pino({ level: 'debug' }, logStream),
    });
    seeded = [
      { public_key: randomKey(), allowed_ips: ['10.1.0.2/32'], preshared_key: randomKey() },
      { public_key: randomKey(), allowed_ips: ['10.1.0.3/32', 'fd00:1::3/128'] },
      { public_key: randomKey(), allowed_ips: ['10.1.0.4/32'] },
    ];
    for (const peer of seeded)
      expect((await call('POST', `${iface()}/peers`, { body: peer })).status).toBe(201);
  });

  // Every way the agent runs wg (execWg, execWgRaw, execWgToFile, streamWg, ...) is recorded.
  beforeEach(() => {
    wgCalls = [];
    const runners = wgCli as unknown as Record<
      string,
      (binary: string, args: readonly string[], ...rest: unknown[]) => unknown
    >;
    for (const name of Object.keys(runners).filter((key) => /^(exec|stream|spawn)Wg/.test(key))) {
      const original = runners[name];
      jest.spyOn(runners, name).mockImplementation((binary, args, ...rest) => {
        wgCalls.push([...args]);
        return original(binary, args, ...rest);
      });
    }
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await agent?.stop();
    await wg0?.destroy();
  });

  /** 400 with `{error:{code:"bad_request", message:"<field>: ..."}}`. */
  const expectFieldRejection = (answer: AgentAnswer<ErrorBody>, field: string, context: string) => {
    if (answer.status !== 400 || answer.json?.error?.code !== 'bad_request') {
      throw new Error(`${context} → ${answer.status}: ${answer.text.slice(0, 300)}`);
    }
    if (!answer.json.error.message.includes(field)) {
      throw new Error(`${context}: "${answer.json.error.message}" does not name ${field}`);
    }
  };

  it('refuses an invalid field on every write route with a 400 naming it, without writing', async () => {
    const before = await observed();
    const target = seeded[2];
    await fc.assert(
      fc.asyncProperty(invalidField(PEER_FIELDS), async ({ field, value }) => {
        const context = `${field}=${JSON.stringify(value)?.slice(0, 60)}`;
        const peer = { ...freshPeer(), [field]: value };
        expectFieldRejection(
          await call('POST', `${iface()}/peers`, { body: peer }),
          field,
          `POST peers ${context}`,
        );
        if (field !== 'public_key') {
          const update = { [field]: value };
          const path = `${iface()}/peers/${keyToPathSegment(target.public_key)}`;
          expectFieldRejection(await call('PUT', path, { body: update }), field, `PUT peer ${context}`);
        }
        const sync = { peers: [...seeded, peer] };
        expectFieldRejection(
          await call('POST', `${iface()}/syncconf`, { body: sync }),
          `peers[3].${field}`,
          `syncconf ${context}`,
        );
        const batch = await call<{ results: Array<{ ok: boolean; error?: string }> }>(
          'POST',
          `${iface()}/batch`,
          {
            body: { upsert: [peer], remove: [] },
          },
        );
        if (
          batch.status !== 200 ||
          batch.json.results[0]?.ok !== false ||
          !batch.json.results[0].error?.includes(`upsert[0].${field}`)
        ) {
          throw new Error(`batch ${context} → ${batch.status}: ${batch.text.slice(0, 300)}`);
        }
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(unknownFieldName, fc.jsonValue(), async (field, value) => {
        const body = { ...freshPeer(), [field]: value };
        expectFieldRejection(await call('POST', `${iface()}/peers`, { body }), field, `unknown ${field}`);
        expectFieldRejection(
          await call('PUT', iface(), { body: { listen_port: 51820, [field]: value } }),
          field,
          `PUT interface with ${field}`,
        );
      }),
      { numRuns: 60 },
    );
    for (const listenPort of [-1, 65536, 1.5, '51820', null, 2 ** 53 + 2]) {
      expectFieldRejection(
        await call('PUT', iface(), { body: { listen_port: listenPort } }),
        'listen_port',
        `listen_port ${listenPort}`,
      );
    }
    expect(writesToWg()).toEqual([]);
    expect(await observed()).toBe(before);
  });

  it('refuses broken JSON, oversized bodies and hostile key segments', async () => {
    const before = await observed();
    const raw = (body: string | Buffer) => ({ body: Buffer.isBuffer(body) ? body : Buffer.from(body) });
    for (const [what, body] of [
      ['truncated', '{"public_key":'],
      ['not JSON', 'public_key=x'],
      ['NUL', '\u0000'],
      ['deeply nested', `{"allowed_ips":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
      ['over 1 MiB', JSON.stringify({ ...freshPeer(), endpoint: 'x'.repeat(1024 * 1024) })],
      ['an array', '[]'],
      ['a number', '42'],
      ['null', 'null'],
    ] as const) {
      for (const [method, path] of [
        ['POST', `${iface()}/peers`],
        ['POST', `${iface()}/batch`],
        ['POST', `${iface()}/syncconf`],
        ['PUT', iface()],
      ] as const) {
        const answer = await call(method, path, raw(body));
        if (answer.status !== 400 || !/^body|^[a-z_]+[:[.]/.test(answer.json?.error?.message ?? '')) {
          throw new Error(`${what} to ${method} ${path} → ${answer.status}: ${answer.text.slice(0, 200)}`);
        }
      }
    }
    const oversized = await call(
      'POST',
      `${iface()}/peers`,
      raw(JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) })),
    );
    expect(oversized.status).toBe(400);
    expect(oversized.json.error.message).toMatch(/larger than the limit/);
    for (const segment of [
      '..%2F..%2Fetc%2Fpasswd',
      'AAAA',
      '%00',
      'x'.repeat(43),
      keyToPathSegment(randomKey()) + 'A',
      '%2e%2e',
      '-h',
    ]) {
      for (const method of ['PUT', 'DELETE']) {
        const answer = await call(
          method,
          `${iface()}/peers/${segment}`,
          method === 'PUT' ? { body: {} } : {},
        );
        if (answer.status !== 400 && answer.status !== 404) {
          throw new Error(`${method} peers/${segment} → ${answer.status}: ${answer.text.slice(0, 200)}`);
        }
      }
    }
    expect(writesToWg()).toEqual([]);
    expect(await observed()).toBe(before);
  });

  it('accepts none of 1,000 forged, replayed, expired, re-targeted or tampered requests', async () => {
    const before = await observed();
    const victim = seeded[0];
    const victimPath = `${iface()}/peers/${keyToPathSegment(victim.public_key)}`;
    /** Requests that would change the interface if they were let through. */
    const writes: Array<{ method: string; target: string; body?: unknown }> = [
      { method: 'POST', target: `${iface()}/peers`, body: freshPeer() },
      { method: 'DELETE', target: victimPath },
      { method: 'PUT', target: victimPath, body: { allowed_ips: ['10.1.9.9/32'] } },
      { method: 'POST', target: `${iface()}/syncconf`, body: { peers: [] } },
      {
        method: 'POST',
        target: `${iface()}/batch`,
        body: { upsert: [], remove: seeded.map((peer) => peer.public_key) },
      },
      { method: 'PUT', target: iface(), body: { listen_port: 40000 } },
    ];
    const now = () => Math.floor(Date.now() / 1000);
    const bytes = (body: unknown) => (body === undefined ? '' : JSON.stringify(body));
    type Attack = {
      name: string;
      code: string;
      send: (write: (typeof writes)[number]) => Promise<AgentAnswer<ErrorBody>>;
    };
    /** Sends the write with its signed headers changed by `change` after signing. */
    const tampered =
      (change: (signed: Record<string, string>) => Record<string, string>): Attack['send'] =>
      (w) =>
        call(w.method, w.target, { body: w.body, headers: change });
    const attacks: Attack[] = [
      {
        name: 'wrong secret',
        code: 'bad_signature',
        send: (w) => call(w.method, w.target, { body: w.body, secret: randomBytes(32).toString('hex') }),
      },
      {
        name: 'random signature',
        code: 'bad_signature',
        send: tampered((s) => ({
          ...s,
          'X-Agent-Signature': `v1=${randomBytes(32).toString('hex')}`,
        })),
      },
      {
        name: 'one hex digit flipped',
        code: 'bad_signature',
        send: tampered((s) => {
          const signature = s['X-Agent-Signature'];
          const last = signature.at(-1) === '0' ? '1' : '0';
          return { ...s, 'X-Agent-Signature': signature.slice(0, -1) + last };
        }),
      },
      {
        name: 'upper-case hex',
        code: 'bad_signature',
        send: tampered((s) => ({
          ...s,
          'X-Agent-Signature': 'v1=' + s['X-Agent-Signature'].slice(3).toUpperCase(),
        })),
      },
      {
        name: 'other scheme',
        code: 'bad_signature',
        send: tampered((s) => ({
          ...s,
          'X-Agent-Signature': s['X-Agent-Signature'].replace('v1=', 'v2='),
        })),
      },
      {
        name: 'body changed after signing',
        code: 'bad_signature',
        send: (w) =>
          call(w.method, w.target, {
            body: { ...(w.body as object), listen_port: 1 },
            signedBody: bytes(w.body),
          }),
      },
      {
        name: 'signed for another interface',
        code: 'bad_signature',
        send: (w) =>
          call(w.method, w.target, { body: w.body, signedTarget: w.target.replace(wg0.name, 'wg0') }),
      },
      {
        name: 'signed for another path',
        code: 'bad_signature',
        send: (w) => call(w.method, w.target, { body: w.body, signedTarget: `${iface()}/dump` }),
      },
      {
        name: 'signed with a query the request lacks',
        code: 'bad_signature',
        send: (w) => call(w.method, w.target, { body: w.body, signedTarget: `${w.target}?x=1` }),
      },
      {
        name: 'signed for another method',
        code: 'bad_signature',
        send: (w) =>
          call(w.method, w.target, {
            body: w.body,
            headers: () => signRequest(agent.secret, 'GET', w.target, bytes(w.body)),
          }),
      },
      {
        name: 'timestamp moved after signing',
        code: 'bad_signature',
        send: tampered((s) => ({
          ...s,
          'X-Agent-Timestamp': String(Number(s['X-Agent-Timestamp']) + 1),
        })),
      },
      {
        name: 'nonce changed after signing',
        code: 'bad_signature',
        send: tampered((s) => ({ ...s, 'X-Agent-Nonce': randomBytes(18).toString('base64url') })),
      },
      {
        name: 'nonce too short',
        code: 'bad_signature',
        send: (w) =>
          call(w.method, w.target, {
            body: w.body,
            headers: () => {
              const timestamp = String(now());
              const nonce = 'short';
              const body = bytes(w.body);
              const signature = computeSignature(agent.secret, {
                method: w.method,
                target: w.target,
                timestamp,
                nonce,
                body,
              });
              return {
                'X-Agent-Timestamp': timestamp,
                'X-Agent-Nonce': nonce,
                'X-Agent-Signature': signature,
              };
            },
          }),
      },
      {
        name: 'expired',
        code: 'expired',
        send: (w) =>
          call(w.method, w.target, { body: w.body, nowS: now() - 301 - Math.floor(Math.random() * 1e6) }),
      },
      {
        name: 'from the future',
        code: 'expired',
        send: (w) =>
          call(w.method, w.target, { body: w.body, nowS: now() + 301 + Math.floor(Math.random() * 1e6) }),
      },
      {
        name: 'missing signature',
        code: 'missing_auth',
        send: tampered(({ ['X-Agent-Signature']: _dropped, ...rest }) => rest),
      },
      {
        name: 'no headers',
        code: 'missing_auth',
        send: (w) => call(w.method, w.target, { body: w.body, headers: () => ({}) }),
      },
    ];
    const counts: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...attacks), fc.constantFrom(...writes), async (attack, write) => {
        const answer = await attack.send(write);
        counts[attack.name] = (counts[attack.name] ?? 0) + 1;
        if (answer.status !== 401 || answer.json?.error?.code !== attack.code) {
          throw new Error(
            `${attack.name} on ${write.method} ${write.target} → ${answer.status}: ${answer.text.slice(0, 200)}`,
          );
        }
      }),
      { numRuns: 900 },
    );
    // Replays: a read that was accepted once, then sent again byte for byte (also to a write route).
    let replays = 0;
    for (let i = 0; i < 50; i++) {
      let captured: Record<string, string> = {};
      const original = await call('GET', `${iface()}/dump`, { headers: (signed) => (captured = signed) });
      expect(original.status).toBe(200);
      const again = await call('GET', `${iface()}/dump`, { headers: () => captured });
      expect([again.status, again.json.error.code]).toEqual([401, 'replayed']);
      const elsewhere = await call('DELETE', victimPath, { headers: () => captured });
      expect([elsewhere.status, elsewhere.json.error.code]).toEqual([401, 'bad_signature']);
      replays += 2;
    }
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0) + replays).toBeGreaterThanOrEqual(
      1000,
    );
    expect(writesToWg()).toEqual([]);
    expect(await observed()).toBe(before);
    expect(rawLog).not.toContain(agent.secret);
    for (const peer of seeded) if (peer.preshared_key) expect(rawLog).not.toContain(peer.preshared_key);
    // The seeded preshared key is still the one set, seen only as its hash.
    const dump = (await call<Dump>('GET', `${iface()}/dump`)).json;
    expect(dump.peers.find((peer) => peer.public_key === victim.public_key)?.preshared_key_sha256).toBe(
      sha256Hex(victim.preshared_key!),
    );
  });

  it('stops escaping interface names before any wg call', async () => {
    const names = [
      '../x',
      'wg0;id',
      '$(id)',
      '`id`',
      'wg0 && id',
      '-h',
      '--help',
      '.',
      '..',
      'wg0\n',
      'wg0\u0000',
      'a'.repeat(16),
      wg0.name.toUpperCase(),
      `${wg0.name} `,
      'wg0/../../x',
      'ünïcödé',
    ];
    const failures: string[] = [];
    for (const name of names) {
      for (const segment of new Set([
        encodeURIComponent(name),
        name.replace(/[^\x21-\x7e]/g, encodeURIComponent),
      ])) {
        for (const [method, suffix, body] of [
          ['GET', '/dump', undefined],
          ['POST', '/peers', freshPeer()],
          ['POST', '/syncconf', { peers: [] }],
          ['PUT', '', { listen_port: 40000 }],
          ['DELETE', `/peers/${keyToPathSegment(seeded[1].public_key)}`, undefined],
        ] as const) {
          wgCalls = [];
          const answer = await call(method, `/v1/wg/${segment}${suffix}`, { body });
          if (answer.status !== 404 || wgCalls.length > 0) {
            failures.push(
              `${method} ${JSON.stringify(segment)}${suffix} → ${answer.status}, wg calls ${JSON.stringify(wgCalls)}`,
            );
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // The recorder does see wg calls: the same request to the real interface makes one.
    wgCalls = [];
    expect((await call('GET', `${iface()}/dump`)).status).toBe(200);
    expect(wgCalls).toContainEqual(['show', wg0.name, 'dump']);
  });
});
