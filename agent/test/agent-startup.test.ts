import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgentUntilExit, startAgentProcess } from './support/agent-process';
import { signedRequest } from './support/signed-request';
import { createWgInterface, uniqueInterfaceName, type WgInterface } from './support/wg-interface';

describe('agent process start and stop', () => {
  let dir: string;
  let wg0: WgInterface;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-agent-start-'));
    wg0 = await createWgInterface(uniqueInterfaceName('wgst'));
  });

  afterAll(async () => {
    await wg0?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to start with a secret shorter than 32 bytes, saying why', async () => {
    const { code, stderr } = await runAgentUntilExit({
      AGENT_SECRET: 'x'.repeat(31),
      AGENT_INTERFACES: 'wg0',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('AGENT_SECRET: the secret must be at least 32 bytes');
    expect(stderr).not.toContain('x'.repeat(31));
  });

  it('refuses to start without any secret or with a bad listen address, listing every problem', async () => {
    const { code, stderr } = await runAgentUntilExit({ AGENT_INTERFACES: 'wg0', AGENT_LISTEN: 'nowhere' });
    expect(code).toBe(1);
    expect(stderr).toContain('AGENT_SECRET or AGENT_SECRET_FILE is required');
    expect(stderr).toContain('AGENT_LISTEN');
  });

  it('starts with AGENT_SECRET_FILE, serves signed requests and stops cleanly on SIGTERM', async () => {
    const secret = 's'.repeat(40);
    const secretFile = join(dir, 'secret');
    await writeFile(secretFile, `${secret}\n`, { mode: 0o600 });
    const agent = await startAgentProcess({ interfaces: [wg0.name], secretFile });
    expect(agent.secret).toBe(secret);
    try {
      const answer = await signedRequest(agent.url, secret, 'GET', '/v1/interfaces');
      expect(answer).toMatchObject({ status: 200, json: { interfaces: [wg0.name] } });
    } finally {
      const exited = new Promise<number | null>((resolve) =>
        agent.child.once('exit', (code) => resolve(code)),
      );
      agent.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
