/**
 * A captured request must not replay after the agent restarts, even when the panel's clock runs ahead (its
 * timestamp is then after the restart) or the agent is killed right after answering: the nonce journal in
 * the state directory carries the accepted nonces across the restart.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { signRequest, type AgentErrorBody as ErrorBody } from '@wgfleet/protocol';
import pino from 'pino';
import { NONCE_JOURNAL_FILE } from '../src/nonce-journal';
import {
  randomSecret,
  startAgentInProcess,
  startAgentProcess,
  type RunningAgent,
} from './support/agent-process';
import { signedRequest } from './support/signed-request';
import { createWgInterface, randomKey, uniqueInterfaceName, type WgInterface } from './support/wg-interface';

jest.setTimeout(60000);

describe('replay across an agent restart', () => {
  let wg0: WgInterface;
  let stateDir: string;
  const running: RunningAgent[] = [];

  beforeAll(async () => {
    wg0 = await createWgInterface(uniqueInterfaceName('xha'));
  });
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'xha-state-'));
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((agent) => agent.stop()));
    await rm(stateDir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await wg0?.destroy();
  });

  const track = <T extends RunningAgent>(agent: T): T => {
    running.push(agent);
    return agent;
  };
  const addPeer = async () => {
    const key = randomKey();
    await wg0.wg('set', wg0.name, 'peer', key, 'allowed-ips', '10.172.0.2/32');
    return { key, target: `/v1/wg/${wg0.name}/peers/${Buffer.from(key, 'base64').toString('base64url')}` };
  };
  /** One signed request, kept as captured: every call sends exactly the same bytes. */
  const capture = (secret: string, method: string, target: string, nowS: number) => {
    const headers = signRequest(secret, method, target, '', nowS);
    return async (url: string) => {
      const answer = await fetch(url + target, { method, headers });
      const text = await answer.text();
      return { status: answer.status, code: text ? (JSON.parse(text) as ErrorBody).error?.code : undefined };
    };
  };
  const peersOnNode = async () => (await wg0.wg('show', wg0.name, 'peers')).split('\n').filter(Boolean);

  it('refuses a DELETE replayed after a restart when the panel signed it with a clock 60 s ahead', async () => {
    const secret = randomSecret();
    const first = track(await startAgentInProcess({ interfaces: [wg0.name], secret, stateDir }));
    const { key, target } = await addPeer();
    const captured = capture(secret, 'DELETE', target, Math.floor(Date.now() / 1000) + 60);
    const neverSent = capture(secret, 'GET', '/v1/interfaces', Math.floor(Date.now() / 1000));
    expect((await captured(first.url)).status).toBe(204);
    await first.stop();
    running.length = 0;

    // The operator puts the peer back; the captured DELETE, timestamped after the restart, must not remove it.
    await wg0.wg('set', wg0.name, 'peer', key, 'allowed-ips', '10.172.0.2/32');
    const restarted = track(await startAgentInProcess({ interfaces: [wg0.name], secret, stateDir }));
    expect(await captured(restarted.url)).toEqual({ status: 401, code: 'replayed' });
    expect(await peersOnNode()).toContain(key);
    expect((await stat(join(stateDir, NONCE_JOURNAL_FILE))).mode & 0o777).toBe(0o600);
    // A request signed before the restart but never seen is no replay: the journal vouches for that time.
    expect(await neverSent(restarted.url)).toEqual({ status: 200, code: undefined });
  });

  it('refuses the replay when the agent was killed right after answering (the nonce was written first)', async () => {
    const secret = randomSecret();
    const first = track(await startAgentProcess({ interfaces: [wg0.name], secret, stateDir }));
    const { key, target } = await addPeer();
    const captured = capture(secret, 'DELETE', target, Math.floor(Date.now() / 1000) + 30);
    expect((await captured(first.url)).status).toBe(204);
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;
    running.length = 0;

    await wg0.wg('set', wg0.name, 'peer', key, 'allowed-ips', '10.172.0.2/32');
    const restarted = track(await startAgentProcess({ interfaces: [wg0.name], secret, stateDir }));
    expect(await captured(restarted.url)).toEqual({ status: 401, code: 'replayed' });
    expect(await peersOnNode()).toContain(key);
  });

  it('with a corrupt journal refuses requests signed before its start, as without one, and logs why', async () => {
    const secret = randomSecret();
    await writeFile(join(stateDir, NONCE_JOURNAL_FILE), 'garbage\n');
    const logged: string[] = [];
    const stream = new PassThrough().setEncoding('utf8');
    stream.on('data', (line: string) => logged.push(line));
    const signedBeforeStartS = Math.floor(Date.now() / 1000) - 1;
    const agent = track(
      await startAgentInProcess({ interfaces: [wg0.name], secret, stateDir, logger: pino(stream) }),
    );
    const old = capture(secret, 'GET', '/v1/interfaces', signedBeforeStartS);
    expect(await old(agent.url)).toEqual({ status: 401, code: 'expired' });
    expect(logged.join('')).toContain(
      'nonce journal is corrupt: requests timestamped before this start are refused',
    );
    expect((await signedRequest(agent.url, secret, 'GET', '/v1/interfaces')).status).toBe(200);
  });
});
