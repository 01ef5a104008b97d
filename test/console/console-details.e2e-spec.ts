/**
 * The console's details in a real Chromium against a real panel and agents on wireguard-go: one wording for
 * drift and plan values, what a repair keeps, page titles and focus, sorting, labels in field errors, the
 * repair box on a phone, a config as text, and events newest first.
 */
import type { Page } from 'playwright-core';
import { randomKey, run } from '../../agent/test/support/wg-interface';
import { createFleetNode, FleetNode, peersSynced, registerWith } from '../reconcile-fixture';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import { logIn, useConsolePages } from './support/console-browser';

/** The fleet page polls every 4 s and the panel answers a node's live scan at most every 2 s here. */
const LIVE_TIMEOUT_MS = 20000;
const EDGE = 'xcp-edge';
const DOWN = 'xcp-down';

describe('web console details', () => {
  const pages = useConsolePages();
  let panel: TestPanel;
  let baseUrl: string;
  let edge: FleetNode;
  let down: FleetNode;
  const peers: Record<string, { id: string; public_key: string }> = {};

  beforeAll(async () => {
    panel = await startPanel({ DRIFT_LIVE_MIN_INTERVAL_S: '2' });
    baseUrl = (await panel.app.getUrl()).replace('[::1]', '127.0.0.1');
    edge = await createFleetNode(registerWith(panel), { prefix: 'xcp', nodeFields: { name: EDGE } });
    down = await createFleetNode(registerWith(panel), { prefix: 'xcp', nodeFields: { name: DOWN } });
    await down.stopAgent();
    // Made in this order, so "by name" and "oldest first" differ.
    for (const name of ['zed-router', 'alice-laptop', 'mike-phone']) {
      const { body } = await panel
        .as()
        .post(`/api/nodes/${edge.id}/peers`, { name, persistent_keepalive: 25 })
        .expect(201);
      peers[name] = body;
    }
    for (const name of ['down-a', 'down-b']) {
      await panel.as().post(`/api/nodes/${down.id}/peers`, { name }).expect(201);
    }
    await peersSynced(
      panel,
      Object.values(peers).map((peer) => peer.id),
    );
  });

  afterAll(async () => {
    await edge?.destroy();
    await down?.destroy();
    await panel?.close();
  });

  /** A page signed in with the admin token, closed and checked after the test. */
  const signedIn = async (viewport?: { width: number; height: number }) => {
    const { page } = await pages.open(baseUrl, viewport);
    await logIn(page, ADMIN_TOKEN);
    return page;
  };

  const edgePeers = async () => {
    const page = await signedIn();
    await page.getByRole('link', { name: 'Peers' }).click();
    await page.getByLabel('Node').selectOption({ label: EDGE });
    return page;
  };

  const focusedHeading = (page: Page) =>
    page.evaluate<string | null>(
      "document.activeElement?.tagName === 'H1' ? document.activeElement.textContent.trim() : null",
    );
  /** Waits for the tab's title (polled from here: the console's CSP forbids evaluating strings in it). */
  const titled = async (page: Page, title: string) => {
    const deadline = Date.now() + 5000;
    while ((await page.title()) !== `${title} · wgfleet`) {
      if (Date.now() > deadline) throw new Error(`title is "${await page.title()}", not ${title} · wgfleet`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('names each page in the tab title and moves focus to its heading after navigation', async () => {
    const { page } = await pages.open(baseUrl);
    expect(await page.title()).toBe('Sign in · wgfleet');
    await logIn(page, ADMIN_TOKEN);
    await titled(page, 'Fleet');

    await page.getByRole('link', { name: 'Peers' }).click();
    await titled(page, 'Peers');
    expect(await focusedHeading(page)).toBe('Peers');

    await page.getByRole('link', { name: 'Events' }).click();
    await titled(page, 'Events');
    expect(await focusedHeading(page)).toBe('Events');

    await page.getByRole('link', { name: 'Fleet' }).first().click();
    await page.getByRole('link', { name: EDGE }).click();
    await titled(page, EDGE);
    expect(await focusedHeading(page)).toMatch(new RegExp(`^${EDGE}`));
  });

  it("shows an unreachable node's desired peer count, not 0, and its reason in words", async () => {
    const page = await signedIn();
    const row = page.locator(`tr[data-node="${DOWN}"][data-status="unknown"]`);
    await row.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect((await row.locator('td.num').textContent())?.trim()).toBe('2');
    // The reason code reads as words: "connect_refused: …" shows "connect refused: …".
    expect(await row.locator('.reason').textContent()).toMatch(/^connect refused: /);
  });

  it('sorts peers by name, with a choice of order', async () => {
    const page = await edgePeers();
    const names = () =>
      page.locator('tr[data-peer]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-peer')));
    await page.locator('tr[data-peer="zed-router"]').waitFor();
    expect(await names()).toEqual(['alice-laptop', 'mike-phone', 'zed-router']);
    await page.getByLabel('Sort peers').selectOption({ label: 'oldest first' });
    await page.locator('tbody tr[data-peer]:first-child[data-peer="zed-router"]').waitFor();
    expect(await names()).toEqual(['zed-router', 'alice-laptop', 'mike-phone']);
  });

  it('shows a config as text beside its QR code', async () => {
    const page = await edgePeers();
    await page
      .locator('tr[data-peer="alice-laptop"]')
      .getByRole('button', { name: /Config/ })
      .click();
    const config = page.getByTestId('client-config');
    await config.getByRole('img', { name: /QR code/ }).waitFor();
    await config.getByText('Show as text').click();
    const text = await config.getByLabel('WireGuard config for alice-laptop').textContent();
    expect(text).toContain('[Interface]');
    expect(text).toContain('PrivateKey = ');
    expect(text).toContain('[Peer]');
  });

  it("words a field's API error with the form's label", async () => {
    const page = await signedIn();
    await page.goto(`${baseUrl}/nodes/${edge.id}`);
    await page.getByLabel('Client MTU').fill('80');
    await page.getByRole('button', { name: 'Save overrides' }).click();
    const error = page.locator('#override_mtu-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^Client MTU /);
    expect(await error.textContent()).not.toContain('override_mtu');
  });

  it('reads drift expected (panel) → actual (node) and a plan now → after, and says what the repair keeps', async () => {
    const stranger = randomKey();
    await run('wg', ['set', edge.wg.name, 'peer', stranger, 'allowed-ips', '10.176.3.3/32']);
    await run('wg', [
      'set',
      edge.wg.name,
      'peer',
      peers['alice-laptop'].public_key,
      'persistent-keepalive',
      '7',
    ]);
    const page = await signedIn();
    await page.goto(`${baseUrl}/nodes/${edge.id}`);

    const mismatched = page.getByRole('region', {
      name: /^Mismatched: expected \(panel\) → actual \(node\)/,
    });
    await mismatched.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await mismatched.locator('.expected').textContent()).toBe('25');
    expect(await mismatched.locator('.actual').textContent()).toBe('7');
    const keptNote = page.getByTestId('unknown-kept');
    expect(await keptNote.textContent()).toBe('1 unknown peer kept: adopt it or remove unknown peers');

    await page.getByRole('button', { name: 'Plan repair' }).click();
    const review = page.getByTestId('plan-review');
    await review.getByText('Values read now → after.').waitFor();
    expect(await review.locator('.diff-update del').textContent()).toBe('7');
    expect(await review.locator('.diff-update ins').textContent()).toBe('25');
    expect(await review.getByTestId('plan-kept').textContent()).toBe(
      '1 unknown peer kept: adopt it or remove unknown peers.',
    );

    await page.getByLabel('Remove unknown peers (never managed here)').check();
    expect(await keptNote.count()).toBe(0);
    await page.getByRole('button', { name: 'Plan again' }).click();
    await review.locator('.diff-remove').waitFor();
    expect(await review.getByTestId('plan-kept').count()).toBe(0);
    await page.getByRole('button', { name: 'Apply this plan' }).click();
    await page.locator('[data-testid="job"][data-status="succeeded"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
  });

  it('lists events newest first, a repair naming its node', async () => {
    const page = await signedIn();
    await page.getByRole('link', { name: 'Events' }).click();
    const first = page.locator('table.events tbody tr').first();
    await first.waitFor();
    const positions = await page
      .locator('table.events tbody tr td.num')
      .evaluateAll((cells) => cells.map((cell) => Number(cell.textContent)));
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
    // The repair of the test before is the newest event.
    expect(await first.textContent()).toContain(`repair of node ${EDGE}`);
  });

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    it(`fits the repair options box at ${viewport.width} px`, async () => {
      const page = await signedIn(viewport);
      await page.goto(`${baseUrl}/nodes/${edge.id}`);
      const options = page.locator('fieldset.options');
      await options.waitFor();
      // How far the box reaches past its own width, its card and the window (all <= 0 when it fits).
      const fit = await page.evaluate<{ overflowing: number; pastCard: number; pastWindow: number }>(`(() => {
        const box = document.querySelector('fieldset.options');
        return {
          overflowing: box.scrollWidth - box.clientWidth,
          pastCard: box.getBoundingClientRect().right - box.closest('.card').getBoundingClientRect().right,
          pastWindow: document.documentElement.scrollWidth - window.innerWidth,
        };
      })()`);
      expect(fit.overflowing).toBeLessThanOrEqual(0);
      expect(fit.pastCard).toBeLessThanOrEqual(0);
      expect(fit.pastWindow).toBeLessThanOrEqual(0);
    });
  }
});
