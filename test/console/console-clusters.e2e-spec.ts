/**
 * The clusters pages in a real Chromium against a real panel: make a cluster, add a member whose key is the
 * cluster's, see a refused one explained, create a cluster peer and get its config. Members are registered with
 * their key and no agent to reach (nothing here needs one).
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

const KEY_A = Buffer.alloc(32, 21).toString('base64');
const KEY_B = Buffer.alloc(32, 22).toString('base64');

describe('web console: clusters', () => {
  let panel: TestPanel;
  let baseUrl: string;
  let browser: Browser;
  let consolePage: ConsolePage | undefined;
  const nodeIds = new Map<string, string>();

  beforeAll(async () => {
    panel = await startPanel({ DRIFT_SCAN_INTERVAL_S: '3600' });
    baseUrl = (await panel.app.getUrl()).replace('[::1]', '127.0.0.1');
    for (const [name, key, net] of [
      ['wgcm-one', KEY_A, 1],
      ['wgcm-two', KEY_B, 2],
    ] as const) {
      const { body } = await panel
        .as()
        .post('/api/nodes', {
          name,
          agent_url: 'http://127.0.0.1:9',
          interface: 'wg0',
          endpoint: `${name}.example.com:51820`,
          address_pool: `10.174.${210 + net}.0/24`,
          agent_secret: 'x'.repeat(32),
          public_key: key,
        })
        .expect(201);
      nodeIds.set(name, body.id);
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await closeChecked(consolePage);
    await browser?.close();
    await panel?.close();
  });

  it('makes a cluster, adds a member, explains a refused one, and makes a peer with its config', async () => {
    consolePage = await openConsole(browser, baseUrl);
    const { page } = consolePage;
    await logIn(page, ADMIN_TOKEN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clusters' }).click();
    await page.getByRole('heading', { name: 'Clusters', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'New cluster' }).click();
    await page.getByLabel('Name', { exact: true }).fill('edge');
    await page.getByLabel('Endpoint name').fill('vpn.example.com');
    await page.getByLabel('Address pool').fill('10.174.220.0/24');
    await page.getByRole('button', { name: 'Create cluster' }).click();
    await page.getByTestId('clusters-table').getByRole('link', { name: 'edge' }).click();
    await page.getByRole('heading', { name: 'edge', level: 1 }).waitFor();
    await page.getByTestId('cluster-dns').getByText('not published: no DNS settings').waitFor();

    const addMember = async (name: string) => {
      await page.getByLabel('Add member').selectOption(nodeIds.get(name) ?? name);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
    };
    await addMember('wgcm-one');
    const members = page.getByTestId('members-table');
    await members
      .getByRole('row', { name: /wgcm-one/ })
      .getByText('unhealthy')
      .waitFor();
    await addMember('wgcm-two');
    await page.getByRole('alert').filter({ hasText: 'wgcm-two' }).filter({ hasText: 'SHA256:' }).waitFor();

    await page.getByRole('button', { name: 'New peer' }).click();
    await page.getByLabel('Name', { exact: true }).fill('laptop');
    await page.getByRole('button', { name: 'Create peer' }).click();
    const config = page.getByTestId('client-config');
    await config.getByText('Show as text').click();
    await config.getByText('Endpoint = vpn.example.com:51820').waitFor();
    await page
      .getByTestId('cluster-peers-table')
      .getByRole('row', { name: /laptop/ })
      .waitFor();
  });
});
