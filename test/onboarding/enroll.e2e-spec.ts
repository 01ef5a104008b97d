import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { agentCommand, freePort } from '../../agent/test/support/agent-process';
import { generateSelfSignedCert, TestCertificate } from '../../agent/test/support/tls';
import { createWgInterface, uniqueInterfaceName, WgInterface } from '../../agent/test/support/wg-interface';
import { eventually } from '../reconcile-fixture';
import { startPanel, TestPanel } from '../support/panel';
import { runCommand, startAgentFromEnvFile, startTlsFront } from './support/node-process';
import { SigningAgent, startSigningAgent } from './support/signing-agent';

jest.setTimeout(180000);

const nodeSettings = (name: string, iface = 'wg0') => ({
  name,
  interface: iface,
  endpoint: 'vpn.example.com:51820',
  address_pool: '10.78.0.0/24',
  override_keepalive: 25,
});

describe('enrollment tokens', () => {
  let panel: TestPanel;
  let db: Client;
  let agent: SigningAgent;

  beforeAll(async () => {
    // The test's agent answers on loopback, which a claim may reach only when AGENT_URL_ALLOW says so.
    panel = await startPanel({ AGENT_URL_ALLOW: '127.0.0.0/8' });
    db = new Client({ connectionString: panel.databaseUrl });
    await db.connect();
    agent = await startSigningAgent('s'.repeat(40));
  });

  afterAll(async () => {
    await agent?.close();
    await db?.end();
    await panel?.close();
  });

  const nodeCount = async () => (await panel.as().get('/api/nodes').expect(200)).body.items.length;
  const claimBody = (token: string) => ({
    token,
    agent_url: agent.url,
    agent_secret: 's'.repeat(40),
  });

  it('registers a node once per token; used, revoked, expired or wrong tokens get 410 and register nothing', async () => {
    const readToken = (await panel.as().post('/api/tokens', { name: 'reader', role: 'read' }).expect(201))
      .body.token;
    await panel
      .as(readToken)
      .post('/api/enrollments', { node: nodeSettings('ro') })
      .expect(403);

    const created = await panel
      .as()
      .post('/api/enrollments', { node: nodeSettings('edge-1') })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      token: expect.stringMatching(/^wgfe_/),
      expires_at: expect.any(String),
    });
    const lifetime = new Date(created.body.expires_at).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(3590_000);
    expect(lifetime).toBeLessThanOrEqual(3600_000);

    const wrong = await panel
      .http()
      .post('/api/enrollments/claim')
      .send(claimBody('wgfe_not-a-token'))
      .expect(410);
    expect(wrong.body.error.code).toBe('enrollment_gone');
    expect(await nodeCount()).toBe(0);

    const claimed = await panel
      .http()
      .post('/api/enrollments/claim')
      .send(claimBody(created.body.token))
      .expect(201);
    expect(claimed.body).toMatchObject({
      name: 'edge-1',
      interface: 'wg0',
      override_keepalive: 25,
      agent_url: agent.url,
    });
    expect(claimed.body).not.toHaveProperty('agent_secret');
    const again = await panel
      .http()
      .post('/api/enrollments/claim')
      .send(claimBody(created.body.token))
      .expect(410);
    expect(again.body.error.message).toContain('used already');
    expect(await nodeCount()).toBe(1);
    const events = await panel.as().get(`/api/events?aggregate_id=${claimed.body.id}`).expect(200);
    expect(events.body.items.map((event: { type: string }) => event.type)).toEqual(['node.registered']);

    const expiring = await panel
      .as()
      .post('/api/enrollments', { node: nodeSettings('edge-2'), expires_in_s: 60 })
      .expect(201);
    await db.query(`update enrollments set expires_at = now() - interval '1 second' where id = $1`, [
      expiring.body.id,
    ]);
    const expired = await panel
      .http()
      .post('/api/enrollments/claim')
      .send(claimBody(expiring.body.token))
      .expect(410);
    expect(expired.body.error.message).toContain('expired');

    const revoked = await panel
      .as()
      .post('/api/enrollments', { node: nodeSettings('edge-3') })
      .expect(201);
    await panel.as().delete(`/api/enrollments/${revoked.body.id}`).expect(204);
    expect(
      (await panel.http().post('/api/enrollments/claim').send(claimBody(revoked.body.token)).expect(410)).body
        .error.message,
    ).toContain('revoked');
    expect(await nodeCount()).toBe(1);

    // Listings never show a token or its hash.
    const listed = await panel.as().get('/api/enrollments').expect(200);
    expect(listed.body.items.map((item: { status: string }) => item.status).sort()).toEqual([
      'claimed',
      'open',
      'revoked',
    ]);
    expect(JSON.stringify(listed.body)).not.toMatch(/wgfe_|token/);
  });

  it('answers 400 naming the field for bad input', async () => {
    const noNode = await panel.as().post('/api/enrollments', {}).expect(400);
    expect(noNode.body.error.message).toContain('node');
    const badPool = await panel
      .as()
      .post('/api/enrollments', { node: { ...nodeSettings('x'), address_pool: '10.0.0.5/24' } })
      .expect(400);
    expect(badPool.body.error.details[0].field).toBe('node.address_pool');
    const tooLong = await panel
      .as()
      .post('/api/enrollments', { node: nodeSettings('y'), expires_in_s: 10 })
      .expect(400);
    expect(tooLong.body.error.details[0].field).toBe('expires_in_s');
    const secretless = await panel
      .http()
      .post('/api/enrollments/claim')
      .send({ token: 'wgfe_x', agent_url: 'http://127.0.0.1:9' })
      .expect(400);
    expect(secretless.body.error.details[0].field).toBe('agent_secret');
  });
});

describe('wgfleet-agent enroll against a real panel over TLS (wireguard-go)', () => {
  let panel: TestPanel;
  let front: { url: string; close(): Promise<void> };
  let panelCert: TestCertificate;
  let agentCert: TestCertificate;
  let wg: WgInterface;
  let dir: string;
  let stopAgent: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    panel = await startPanel({ AGENT_URL_ALLOW: '127.0.0.0/8' });
    [panelCert, agentCert] = await Promise.all([
      generateSelfSignedCert('wgfleet-panel'),
      generateSelfSignedCert(),
    ]);
    front = await startTlsFront(Number(new URL(await panel.app.getUrl()).port), panelCert);
    wg = await createWgInterface(uniqueInterfaceName('wgob'));
    dir = await mkdtemp(join(tmpdir(), 'wgob-enroll-'));
  });

  afterAll(async () => {
    await stopAgent?.();
    await wg?.destroy();
    await front?.close();
    await panel?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the agent its secret and config, registers the node with its pinned certificate, and refuses a spent token', async () => {
    const configDir = join(dir, 'etc');
    const port = await freePort();
    // As the installer leaves it, except that the secret is not made yet: TLS material, the interface.
    await runCommand('mkdir', ['-p', configDir]);
    await writeFile(join(configDir, 'tls.crt'), agentCert.cert);
    await writeFile(join(configDir, 'tls.key'), agentCert.key, { mode: 0o600 });
    await writeFile(
      join(configDir, 'agent.env'),
      [
        `AGENT_SECRET_FILE=${join(configDir, 'secret')}`,
        `AGENT_INTERFACES=${wg.name}`,
        `AGENT_LISTEN=127.0.0.1:${port}`,
        `AGENT_TLS_CERT=${join(configDir, 'tls.crt')}`,
        `AGENT_TLS_KEY=${join(configDir, 'tls.key')}`,
        '',
      ].join('\n'),
    );
    await writeFile(join(dir, 'panel-ca.pem'), panelCert.cert);
    const { id: enrollmentId, token } = (
      await panel
        .as()
        .post('/api/enrollments', { node: nodeSettings('enrolled', wg.name) })
        .expect(201)
    ).body;

    const agentUrl = `https://127.0.0.1:${port}`;
    const enroll = (extra: string[] = []) =>
      runCommand(agentCommand('source')[0], [
        ...agentCommand('source').slice(1),
        'enroll',
        '--panel',
        front.url,
        '--panel-ca',
        join(dir, 'panel-ca.pem'),
        '--token',
        token,
        '--url',
        agentUrl,
        '--config-dir',
        configDir,
        ...extra,
      ]);
    // The agent is not running yet: enroll makes the secret, but the panel registers nothing and keeps the
    // token until the agent answers a request signed with it.
    const early = await enroll();
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/refused the enrollment \(502\).*connect_refused/);
    expect((await stat(join(configDir, 'secret'))).mode & 0o777).toBe(0o640);
    expect((await panel.as().get('/api/nodes').expect(200)).body.items).toEqual([]);
    const open = (await panel.as().get('/api/enrollments').expect(200)).body.items;
    expect(open).toEqual([expect.objectContaining({ id: enrollmentId, status: 'open' })]);

    // The agent started from the installer's agent.env answers the panel: signed, over TLS, certificate pinned.
    const agent = await startAgentFromEnvFile(
      agentCommand('source'),
      join(configDir, 'agent.env'),
      agentUrl,
      agentCert.cert,
    );
    stopAgent = agent.stop;
    const outcome = await enroll();
    process.stdout.write(outcome.stdout);
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    expect(outcome.stdout).toContain(`enrolled: node enrolled`);
    expect(outcome.stdout).toContain(wg.publicKey);
    for (const file of ['secret', 'agent.env']) {
      expect((await stat(join(configDir, file))).mode & 0o777).toBe(0o640);
    }

    const nodes = (await panel.as().get('/api/nodes').expect(200)).body.items;
    expect(nodes).toEqual([
      expect.objectContaining({
        name: 'enrolled',
        agent_url: agentUrl,
        public_key: wg.publicKey,
        listen_port: wg.listenPort,
        agent_cert_fingerprint: agentCert.fingerprint256,
      }),
    ]);

    await eventually(
      async () => {
        const { body } = await panel.as().get(`/api/drift/nodes/${nodes[0].id}`).expect(200);
        return body.status === 'in_sync' ? body : undefined;
      },
      20000,
      'the enrolled node in sync',
    );

    const spent = await enroll();
    expect(spent.code).toBe(1);
    expect(spent.stderr).toMatch(/refused the enrollment \(410\).*used already/);
    expect((await panel.as().get('/api/nodes').expect(200)).body.items).toHaveLength(1);

    const plain = await runCommand(agentCommand('source')[0], [
      ...agentCommand('source').slice(1),
      'enroll',
      '--panel',
      'http://panel.example.com',
      '--token',
      token,
      '--url',
      agentUrl,
      '--config-dir',
      configDir,
    ]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('--panel must be https');
  });
});
