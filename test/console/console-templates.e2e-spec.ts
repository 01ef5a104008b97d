/**
 * The Templates page in a real Chromium against a real panel: a template made in the form, an edit that is the
 * next version, and a node's effective values at the version it runs beside the latest's, with their sources.
 */
import type { Browser } from 'playwright-core';
import { generateKeyPair } from '../../src/common/crypto/wireguard-keys';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import {
  closeChecked,
  launchChromium,
  logIn,
  openConsole,
  type ConsolePage,
} from './support/console-browser';

describe('web console: templates', () => {
  let panel: TestPanel;
  let baseUrl: string;
  let browser: Browser;
  let consolePage: ConsolePage | undefined;

  beforeAll(async () => {
    panel = await startPanel({ PANEL_DEFAULT_KEEPALIVE: '25' });
    baseUrl = (await panel.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await closeChecked(consolePage);
    await browser?.close();
    await panel?.close();
  });

  it('creates a template, pins a node, edits the template and previews pinned against latest', async () => {
    consolePage = await openConsole(browser, baseUrl);
    const { page } = consolePage;
    await logIn(page, ADMIN_TOKEN);
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('heading', { name: 'Templates', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'New template' }).click();
    await page.getByLabel('Name').fill('branch');
    await page.getByLabel('Persistent keepalive (s)').fill('40');
    await page.getByLabel('Client routes').fill('10.0.0.0/8, 192.168.1.0/24');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('row', { name: /branch v1/ }).waitFor();

    const { body: templates } = await panel.as().get('/api/templates').expect(200);
    const template = templates.items[0];
    expect(template.settings).toEqual({
      override_keepalive: 40,
      client_routes: { mode: 'split', networks: ['10.0.0.0/8', '192.168.1.0/24'] },
    });
    const { body: node } = await panel
      .as()
      .post('/api/nodes', {
        name: 'branch-node',
        agent_url: 'http://127.0.0.1:9',
        interface: 'wg0',
        endpoint: 'vpn.example.com',
        address_pool: '10.0.1.0/24',
        listen_port: 51820,
        public_key: generateKeyPair().publicKey,
        agent_secret: 'agent-secret-that-is-long-enough-0123456789',
        template_id: template.id,
      })
      .expect(201);

    await page.reload();
    await page
      .getByRole('row', { name: /branch v1/ })
      .getByRole('button', { name: 'Edit' })
      .click();
    await page.getByLabel('Persistent keepalive (s)').fill('50');
    await page.getByRole('button', { name: 'Save as the next version' }).click();
    await page
      .getByRole('row', { name: /branch v2/ })
      .getByRole('button', { name: 'Preview' })
      .click();

    const keepalive = page.getByRole('row', { name: /persistent_keepalive/ });
    await keepalive.getByText('50').waitFor();
    expect((await keepalive.innerText()).split('\t').map((cell) => cell.trim())).toEqual([
      'persistent_keepalive',
      '40',
      'template v1',
      '50',
      'template v2',
    ]);
    const dns = page.getByRole('row', { name: /^dns / });
    expect(await dns.innerText()).toContain('panel default');

    await page.goto(`${baseUrl}/nodes/${node.id}`);
    // The template's name and latest version come with the templates list, after the node itself.
    await page.getByText(/template branch · runs version 1 \(latest is v2\)/).waitFor();
    const nodeKeepalive = page.getByRole('row', { name: /persistent_keepalive/ });
    expect(await nodeKeepalive.innerText()).toContain('template v1');
  });
});
