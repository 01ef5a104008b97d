/**
 * An enrollment token is a weaker secret than a write token (it sits on a node, in cloud-init), so a claim may
 * neither point the panel at its own host's services nor spend the token before the node's agent has proved
 * it holds the claimed secret; and guessing tokens counts against the same per-address limit as wrong API
 * tokens (docs/SECURITY.md "Enrollment claims").
 */
import { randomBytes } from 'node:crypto';
import { startPanel, TestPanel } from '../support/panel';
import { SigningAgent, startSigningAgent } from './support/signing-agent';

const FAILURE_LIMIT = 5;

describe('enrollment claims', () => {
  const agents: SigningAgent[] = [];
  const signingAgent = async (secret: string | null) => {
    const agent = await startSigningAgent(secret);
    agents.push(agent);
    return agent;
  };
  const secret = () => randomBytes(32).toString('hex');
  let enrollmentCount = 0;

  const enrollment = async (panel: TestPanel) =>
    (
      await panel
        .as()
        .post('/api/enrollments', {
          node: {
            name: `xhp-${++enrollmentCount}`,
            interface: 'wg0',
            endpoint: 'vpn.example.com:51820',
            address_pool: '10.171.0.0/24',
          },
        })
        .expect(201)
    ).body as { id: string; token: string };
  const statusOf = async (panel: TestPanel, id: string) =>
    (await panel.as().get('/api/enrollments').expect(200)).body.items.find(
      (item: { id: string }) => item.id === id,
    ).status;
  const nodeCount = async (panel: TestPanel) =>
    (await panel.as().get('/api/nodes').expect(200)).body.items.length;
  const claim = (panel: TestPanel, token: string, agentUrl: string, agentSecret = secret()) =>
    panel
      .http()
      .post('/api/enrollments/claim')
      .send({ token, agent_url: agentUrl, agent_secret: agentSecret });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.close()));
  });

  describe('without AGENT_URL_ALLOW', () => {
    let panel: TestPanel;

    beforeAll(async () => {
      panel = await startPanel();
    });
    afterAll(async () => {
      await panel?.close();
    });

    it("refuses agent URLs on the panel's own host, link-local, unspecified or multicast: 400, token unspent", async () => {
      const agent = await signingAgent(null);
      const port = new URL(agent.url).port;
      const { id, token } = await enrollment(panel);
      const internal = [
        `http://127.0.0.2:${port}/latest/meta-data`,
        agent.url,
        `http://localhost:${port}`,
        `http://[::1]:${port}`,
        `http://[::ffff:127.0.0.1]:${port}`,
        `http://[::7f00:1]:${port}`,
        'http://169.254.169.254/latest/meta-data',
        'http://[::ffff:169.254.169.254]/',
        'http://[fe80::1]:8420',
        `http://0.0.0.0:${port}`,
        `http://[::]:${port}`,
        'http://224.0.0.1:8420',
        'http://[ff02::1]:8420',
        'http://255.255.255.255:8420',
      ];
      for (const url of internal) {
        const answer = await claim(panel, token, url);
        expect([url, answer.status, answer.body.error?.details?.[0]?.field]).toEqual([url, 400, 'agent_url']);
        expect(answer.body.error.message).toMatch(
          /is (loopback|link-local|unspecified|multicast|broadcast|IPv4-compatible IPv6): an enrollment claim may not point the panel at its own host/,
        );
        expect(answer.body.error.message).not.toContain(port);
      }
      // Integer and hex spellings of loopback are not taken as URLs at all.
      for (const url of [`http://2130706433:${port}`, `http://0x7f.1:${port}`]) {
        const answer = await claim(panel, token, url);
        expect([url, answer.status, answer.body.error?.details?.[0]?.field]).toEqual([url, 400, 'agent_url']);
      }
      expect(agent.requests()).toBe(0);
      expect(await statusOf(panel, id)).toBe('open');
      expect(await nodeCount(panel)).toBe(0);
    });
  });

  describe('with AGENT_URL_ALLOW naming loopback', () => {
    let panel: TestPanel;

    beforeAll(async () => {
      panel = await startPanel({ AGENT_URL_ALLOW: '127.0.0.0/8', AGENT_TIMEOUT_MS: '1000' });
    });
    afterAll(async () => {
      await panel?.close();
    });

    it("spends the token only once the agent's signed answer is verified", async () => {
      const { id, token } = await enrollment(panel);
      const agentSecret = secret();
      const unsigned = await signingAgent(null);
      const otherSecret = await signingAgent(secret());
      const silent = await signingAgent(agentSecret);
      await silent.close();

      for (const [url, reason] of [
        [silent.url, 'connect_refused'],
        [unsigned.url, 'bad_response_signature'],
        [otherSecret.url, 'bad_response_signature'],
      ]) {
        const answer = await claim(panel, token, url, agentSecret);
        expect([url, answer.status, answer.body.error?.code]).toEqual([url, 502, 'agent_not_verified']);
        expect(answer.body.error.message).toContain(reason);
        expect(await statusOf(panel, id)).toBe('open');
      }
      expect(await nodeCount(panel)).toBe(0);

      const agent = await signingAgent(agentSecret);
      const claimed = await claim(panel, token, agent.url, agentSecret).expect(201);
      expect(claimed.body).toMatchObject({ agent_url: agent.url, public_key: agent.publicKey });
      expect(await statusOf(panel, id)).toBe('claimed');
      expect(await nodeCount(panel)).toBe(1);
      expect((await claim(panel, token, agent.url, agentSecret)).status).toBe(410);
    });
  });

  describe('guessing', () => {
    let panel: TestPanel;

    beforeAll(async () => {
      panel = await startPanel({
        AGENT_URL_ALLOW: '127.0.0.0/8',
        AUTH_FAILURE_LIMIT: String(FAILURE_LIMIT),
        RATE_LIMIT_WINDOW_S: '60',
      });
    });
    afterAll(async () => {
      await panel?.close();
    });

    it('counts unknown, spent and revoked tokens against the address, with wrong API tokens', async () => {
      const agentSecret = secret();
      const agent = await signingAgent(agentSecret);
      const spent = await enrollment(panel);
      await claim(panel, spent.token, agent.url, agentSecret).expect(201);
      const revoked = await enrollment(panel);
      await panel.as().delete(`/api/enrollments/${revoked.id}`).expect(204);
      const open = await enrollment(panel);

      const statuses: number[] = [];
      for (const token of ['wgfe_guess-1', 'wgfe_guess-2', spent.token, revoked.token]) {
        statuses.push((await claim(panel, token, agent.url, agentSecret)).status);
      }
      statuses.push((await panel.as('wgf_wrong-api-token').get('/api/nodes')).status);
      expect(statuses).toEqual([410, 410, 410, 410, 401]);

      const limited = await claim(panel, 'wgfe_guess-3', agent.url, agentSecret);
      expect([limited.status, limited.body.error.code]).toEqual([429, 'too_many_requests']);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await panel.as('wgf_wrong-again').get('/api/nodes')).status).toBe(429);
      // A valid token is still served from that address, and it registers its node.
      await claim(panel, open.token, agent.url, agentSecret).expect(201);
      expect(await nodeCount(panel)).toBe(2);
    });
  });
});
