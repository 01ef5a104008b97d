/**
 * Node tags in the console, in a real Chromium against a real panel: chips on the fleet and node pages, the
 * fleet filtered by `?tag=` (bookmarkable), and the node page's one-field editor. The nodes' agents do not
 * answer (nothing listens on port 9): tags need no agent.
 */
import type { Browser } from 'playwright-core';
import { nodeBody } from '../resilience/support/fleet';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import {
  closeChecked,
  launchChromium,
  logIn,
  openConsole,
  type ConsolePage,
} from './support/console-browser';

describe('node tags in the console', () => {
  let panel: TestPanel;
  let baseUrl: string;
  let browser: Browser;
  let euId: string;
  let consolePage: ConsolePage | undefined;

  beforeAll(async () => {
    panel = await startPanel();
    baseUrl = (await panel.app.getUrl()).replace('[::1]', '127.0.0.1');
    euId = (
      await panel
        .as()
        .post('/api/nodes', nodeBody({ name: 'ctag-eu', tags: { region: 'eu', tier: 'gold' } }))
        .expect(201)
    ).body.id;
    await panel
      .as()
      .post('/api/nodes', nodeBody({ name: 'ctag-us', tags: { region: 'us' } }))
      .expect(201);
    browser = await launchChromium();
  });

  afterEach(async () => {
    await closeChecked(consolePage);
    consolePage = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  const rowNames = async (): Promise<string[]> => {
    const { page } = consolePage!;
    return (
      await page
        .locator('[data-testid="fleet-table"] tbody tr')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-node') ?? ''))
    ).sort();
  };

  it('shows tags on the fleet and filters by tag, from the URL and from the field', async () => {
    consolePage = await openConsole(browser, baseUrl);
    const { page } = consolePage;
    await logIn(page, ADMIN_TOKEN);
    const euRow = page.locator('tr[data-node="ctag-eu"]');
    await euRow.getByRole('list', { name: 'Tags' }).waitFor();
    expect(await euRow.getByRole('listitem').allTextContents()).toEqual(['region=eu', 'tier=gold']);

    const filter = page.getByLabel('Tags every node must have');
    await filter.fill('region=us');
    await filter.press('Enter');
    await page.waitForURL(/\?tag=region%3Dus$/);
    await page.locator('tr[data-node="ctag-eu"]').waitFor({ state: 'detached' });
    await page.locator('tr[data-node="ctag-us"]').waitFor();
    expect(await rowNames()).toEqual(['ctag-us']);

    await page.goto(`${baseUrl}/?tag=region=eu&tag=tier=gold`);
    await page.locator('tr[data-node="ctag-eu"]').waitFor();
    expect(await rowNames()).toEqual(['ctag-eu']);
    expect(await page.getByLabel('Tags every node must have').inputValue()).toBe('region=eu, tier=gold');
  });

  it('edits the tags of a node in one k=v field, the field naming a bad item', async () => {
    consolePage = await openConsole(browser, baseUrl);
    const { page } = consolePage;
    await logIn(page, ADMIN_TOKEN);
    await page.goto(`${baseUrl}/nodes/${euId}`);
    const field = page.getByRole('textbox', { name: 'Tags', exact: true });
    expect(await field.inputValue()).toBe('region=eu, tier=gold');

    await field.fill('region=eu, canary');
    await page.getByRole('button', { name: 'Save tags' }).click();
    await page.getByText('"canary" is not key=value').waitFor();

    await field.fill('region=eu, Bad Key=x');
    await page.getByRole('button', { name: 'Save tags' }).click();
    await page.locator('#tags-error').waitFor();

    await field.fill('region=eu, canary=yes');
    await page.getByRole('button', { name: 'Save tags' }).click();
    await page.getByText('Tags saved.').waitFor();
    const { body } = await panel.as().get(`/api/nodes/${euId}`).expect(200);
    expect(body.tags).toEqual({ region: 'eu', canary: 'yes' });
    await page.locator('.tag-chip', { hasText: 'canary=yes' }).waitFor();
  });
});
