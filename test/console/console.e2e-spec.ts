/**
 * The console in a real Chromium against a real panel and real agents on wireguard-go: what an operator does
 * with it, from login to a repaired node. Takes the README's screenshots (docs/console-*.png) on the way.
 */
import { join } from 'node:path';
import { run } from '../../agent/test/support/wg-interface';
import { createFleetNode, FleetNode, peersSynced, registerWith } from '../reconcile-fixture';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import { logIn, useConsolePages } from './support/console-browser';

const DOCS = join(__dirname, '../../docs');
/** The fleet page polls every 4 s and the panel answers a node's live scan at most every 5 s. */
const LIVE_TIMEOUT_MS = 20000;
const NODE_NAMES = ['eu-west-1', 'us-east-1'];

describe('web console in a browser', () => {
  const pages = useConsolePages();
  let panel: TestPanel;
  let baseUrl: string;
  const nodes: FleetNode[] = [];
  let peers: { id: string; public_key: string; name: string }[];
  let readToken: string;

  beforeAll(async () => {
    panel = await startPanel({ DRIFT_LIVE_MIN_INTERVAL_S: '2' });
    baseUrl = await panel.app.getUrl();
    baseUrl = baseUrl.replace('[::1]', '127.0.0.1');
    for (const name of NODE_NAMES) {
      nodes.push(await createFleetNode(registerWith(panel), { prefix: 'wgwc', nodeFields: { name } }));
    }
    peers = [];
    for (const [index, name] of ['alice-laptop', 'bob-phone', 'carol-desktop'].entries()) {
      const { body } = await panel.as().post(`/api/nodes/${nodes[0].id}/peers`, { name }).expect(201);
      peers.push(body);
      if (index < 2) {
        await panel
          .as()
          .post(`/api/nodes/${nodes[1].id}/peers`, { name: `${name}-us` })
          .expect(201);
      }
    }
    await peersSynced(
      panel,
      peers.map((peer) => peer.id),
    );
    readToken = (await panel.as().post('/api/tokens', { name: 'auditor', role: 'read' }).expect(201)).body
      .token;
  });

  afterAll(async () => {
    for (const node of nodes) await node.destroy();
    await panel?.close();
  });

  it('logs in with a token, shows the fleet in sync, and logs out', async () => {
    const { page } = await pages.open(baseUrl);
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Bearer token' }).waitFor();
    await logIn(page, ADMIN_TOKEN);
    for (const name of NODE_NAMES) {
      await page.locator(`tr[data-node="${name}"][data-status="in_sync"]`).waitFor();
    }
    expect(await page.evaluate('sessionStorage.length')).toBe(1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  it('shows drift made by hand with wg set without a reload; plan, apply (a moved node re-plans), back in sync', async () => {
    const { page } = await pages.open(baseUrl);
    await logIn(page, ADMIN_TOKEN);
    const [node] = nodes;
    const [name] = NODE_NAMES;
    await page.locator(`tr[data-node="${name}"][data-status="in_sync"]`).waitFor();

    await run('wg', ['set', node.wg.name, 'peer', peers[0].public_key, 'remove']);
    await run('wg', ['set', node.wg.name, 'peer', peers[1].public_key, 'persistent-keepalive', '7']);
    await page.locator(`tr[data-node="${name}"][data-status="drift"]`).waitFor({ timeout: LIVE_TIMEOUT_MS });
    // Drift sorts first.
    expect(await page.locator('tbody tr').first().getAttribute('data-node')).toBe(name);
    // A third node whose agent is down: the fleet shows every state at once.
    const down = await createFleetNode(registerWith(panel), {
      prefix: 'wgwc',
      nodeFields: { name: 'ap-south-1' },
    });
    nodes.push(down);
    await down.stopAgent();
    await page
      .locator('tr[data-node="ap-south-1"][data-status="unknown"]')
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.screenshot({ path: join(DOCS, 'console-fleet.png') });

    await page.getByRole('link', { name }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    const report = page.getByTestId('drift-report');
    await report.getByText('Missing on the node').waitFor();
    await report.getByText('persistent_keepalive').waitFor();

    await page.getByRole('button', { name: 'Plan repair' }).click();
    const review = page.getByTestId('plan-review');
    await review.getByText(peers[0].name).waitFor();
    await review.getByText(peers[1].name).waitFor();
    await page.getByRole('heading', { name: 'Repair' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(DOCS, 'console-plan.png') });

    // The node moves after the plan was made: applying it is refused and a new plan is shown.
    await run('wg', ['set', node.wg.name, 'peer', peers[2].public_key, 'persistent-keepalive', '9']);
    await page.getByRole('button', { name: 'Apply this plan' }).click();
    await page.getByText('The node moved since the last plan was made').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await review.getByText(peers[2].name).waitFor();
    await page.getByRole('button', { name: 'Apply this plan' }).click();
    await page.locator('[data-testid="job"][data-status="succeeded"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.getByText('verified on the node').waitFor();
    await page.getByText(/^In sync: the node runs exactly/).waitFor({ timeout: LIVE_TIMEOUT_MS });

    await page.getByRole('link', { name: 'Fleet' }).first().click();
    await page
      .locator(`tr[data-node="${name}"][data-status="in_sync"]`)
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
  });

  it('shows the API error of a bad override at its field', async () => {
    const { page } = await pages.open(baseUrl);
    await logIn(page, ADMIN_TOKEN);
    await page.goto(`${baseUrl}/nodes/${nodes[1].id}`);
    await page.getByLabel('Client MTU').fill('80');
    await page.getByRole('button', { name: 'Save overrides' }).click();
    const error = page.locator('#override_mtu-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/mtu/i);
    expect(await page.getByLabel('Client MTU').getAttribute('aria-invalid')).toBe('true');
    const { body } = await panel.as().get(`/api/nodes/${nodes[1].id}`).expect(200);
    expect(body.override_mtu).toBeNull();

    await page.getByLabel('Client MTU').fill('1380');
    await page.getByRole('button', { name: 'Save overrides' }).click();
    await page.getByText('Saved.').waitFor();
    expect((await panel.as().get(`/api/nodes/${nodes[1].id}`).expect(200)).body.override_mtu).toBe(1380);
  });

  it('shows a read token no write action', async () => {
    const { page } = await pages.open(baseUrl);
    await logIn(page, readToken);
    await page.locator(`tr[data-node="${NODE_NAMES[0]}"]`).waitFor();
    expect(await page.getByRole('link', { name: 'Tokens' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);

    await page.getByRole('link', { name: NODE_NAMES[0] }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    expect(await page.getByRole('button', { name: 'Plan repair' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save overrides' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Peers' }).click();
    await page.locator(`tr[data-peer="${peers[0].name}"]`).waitFor();
    expect(await page.getByRole('button', { name: 'New peer' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Edit|Delete|Config/ }).count()).toBe(0);

    await page.getByRole('searchbox', { name: 'Search peers' }).fill('BOB');
    await page.locator(`tr[data-peer="${peers[0].name}"]`).waitFor({ state: 'detached' });
    await page.locator(`tr[data-peer="${peers[1].name}"]`).waitFor();
  });

  /** The new-peer form of the first node, logged in as admin, its name filled in. */
  async function newPeerForm(name: string) {
    const { page } = await pages.open(baseUrl);
    await logIn(page, ADMIN_TOKEN);
    await page.getByRole('link', { name: 'Peers' }).click();
    await page.getByLabel('Node').selectOption({ label: NODE_NAMES[0] });
    await page.getByRole('button', { name: 'New peer' }).click();
    await page.getByLabel('Name').fill(name);
    return page;
  }

  it('creates a peer and shows its QR code in the page', async () => {
    const page = await newPeerForm('dave-tablet');
    await page.getByRole('button', { name: 'Create peer' }).click();
    const qr = page.getByRole('img', { name: /QR code of the WireGuard config for dave-tablet/ });
    await qr.waitFor();
    await page.waitForFunction("document.querySelector('img.qr')?.naturalWidth > 0");
    await page.getByRole('link', { name: 'Download dave-tablet.conf' }).waitFor();
    await page.locator('tr[data-peer="dave-tablet"] .sync-applied').waitFor({ timeout: LIVE_TIMEOUT_MS });
  });

  it('creates a site with its routed network and endpoint, showing a refused network at its field', async () => {
    const page = await newPeerForm('branch-b');
    await page.getByLabel('Routed networks').fill('0.0.0.0/0');
    await page.getByLabel('Endpoint').fill('10.175.9.1:40000');
    await page.getByRole('button', { name: 'Create peer' }).click();
    await page.locator('#peer-routed-ips-error').waitFor();
    expect(await page.locator('#peer-routed-ips-error').textContent()).toMatch(/pool/);

    await page.getByLabel('Routed networks').fill('10.175.60.0/24');
    await page.getByRole('button', { name: 'Create peer' }).click();
    const row = page.locator('tr[data-peer="branch-b"]');
    await row.getByText('routes 10.175.60.0/24').waitFor();
    await row.getByText('via 10.175.9.1:40000').waitFor();
    await row.locator('.sync-applied').waitFor({ timeout: LIVE_TIMEOUT_MS });
  });

  it('works at a phone width of 390 px', async () => {
    const { page } = await pages.open(baseUrl, { width: 390, height: 844 });
    await logIn(page, ADMIN_TOKEN);
    await page.locator(`tr[data-node="${NODE_NAMES[0]}"]`).waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
