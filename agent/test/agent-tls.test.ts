import { startAgentInProcess, type RunningAgent } from './support/agent-process';
import { signedRequest } from './support/signed-request';
import { generateSelfSignedCert, type TestCertificate } from './support/tls';
import { createWgInterface, uniqueInterfaceName, type WgInterface } from './support/wg-interface';

describe('agent over TLS', () => {
  let wg0: WgInterface;
  let tls: TestCertificate;
  let agent: RunningAgent;

  beforeAll(async () => {
    wg0 = await createWgInterface(uniqueInterfaceName('wgtls'));
    tls = await generateSelfSignedCert();
    agent = await startAgentInProcess({ interfaces: [wg0.name], tls });
  });

  afterAll(async () => {
    await agent?.stop();
    await wg0?.destroy();
  });

  it('serves HTTPS with the configured certificate', async () => {
    expect(agent.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await signedRequest(agent.url, agent.secret, 'GET', `/v1/wg/${wg0.name}/dump`, {
      ca: tls.cert,
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ interface: { name: wg0.name, public_key: wg0.publicKey } });
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(signedRequest(agent.url, agent.secret, 'GET', '/health')).rejects.toThrow(/self-signed/);
  });
});
