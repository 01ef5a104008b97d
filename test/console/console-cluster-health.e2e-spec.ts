/**
 * The cluster page's health parts in a real Chromium against a real panel: "DNS now" beside what was published,
 * and a member drained then undrained through the plan shown first. The member's agent cannot be reached, so the
 * checks keep it unhealthy (out of DNS): draining it for maintenance takes nothing away.
 */
import type { Browser } from 'playwright-core';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import {
  closeChecked,
  launchChromium,
  logIn,
  openConsole,
  type ConsolePage,
} from './support/console-browser';

jest.setTimeout(120000);

describe('web console: cluster health, DNS now, drain and undrain', () => {
  let panel: TestPanel;
  let baseUrl: string;
  let browser: Browser;
  let consolePage: ConsolePage | undefined;
  let clusterId: string;

  beforeAll(async () => {
    panel = await startPanel({ DRIFT_SCAN_INTERVAL_S: '3600' });
    baseUrl = (await panel.app.getUrl()).replace('[::1]', '127.0.0.1');
    const { body: node } = await panel
      .as()
      .post('/api/nodes', {
        name: 'wgcl-console',
        agent_url: 'http://127.0.0.1:9',
        interface: 'wg0',
        endpoint: '10.172.230.1:51820',
        address_pool: '10.172.231.0/24',
        agent_secret: 'x'.repeat(32),
        public_key: Buffer.alloc(32, 31).toString('base64'),
      })
      .expect(201);
    const { body: cluster } = await panel
      .as()
      .post('/api/clusters', {
        name: 'wgcl-edge',
        endpoint_host: 'vpn.wgcl-console.test',
        address_pool: '10.172.232.0/24',
        dns: {
          provider: 'webhook',
          url: 'http://127.0.0.1:9/dns',
          secret: `whsec_${Buffer.alloc(24, 3).toString('base64')}`,
        },
      })
      .expect(201);
    clusterId = cluster.id;
    await panel.as().post(`/api/clusters/${clusterId}/members`, { node_id: node.id }).expect(201);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await closeChecked(consolePage);
    await browser?.close();
    await panel?.close();
  });

  it('shows DNS now and drains and undrains a member after showing each plan', async () => {
    consolePage = await openConsole(browser, baseUrl);
    const { page } = consolePage;
    await logIn(page, ADMIN_TOKEN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clusters' }).click();
    await page.getByTestId('clusters-table').getByRole('link', { name: 'wgcl-edge' }).click();
    await page.getByRole('heading', { name: 'wgcl-edge', level: 1 }).waitFor();
    const dns = page.getByTestId('cluster-dns');
    await dns.getByText('webhook http://127.0.0.1:9/dns').waitFor();
    await page.getByTestId('dns-published').getByText('none yet').waitFor();
    await page.getByTestId('dns-now').getByText('as published').waitFor();

    const row = page.getByTestId('members-table').getByRole('row', { name: /wgcl-console/ });
    await row.getByText('unhealthy').waitFor();
    await row.getByRole('button', { name: 'Drain…' }).click();
    const plan = page.getByTestId('member-plan');
    await plan.getByText('wait until no client has a live session').waitFor();
    await plan.getByRole('button', { name: 'Confirm drain' }).click();
    await row.getByText('draining').waitFor();

    await row.getByRole('button', { name: 'Undrain…' }).click();
    await plan.getByText('end maintenance').waitFor();
    await plan.getByRole('button', { name: 'Confirm undrain' }).click();
    await row.getByText('unhealthy').waitFor();
  });
});
