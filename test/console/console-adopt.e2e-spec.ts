/**
 * Adopting a freshly enrolled server's peers from the console, in a real Chromium against a real panel and an
 * agent on wireguard-go: the plan with its conflict, names from a pasted CSV and one changed by hand, a refused
 * name, a node that moves before the plan is adopted. Takes docs/console-adopt.png on the way.
 */
import { join } from 'node:path';
import { ExistingPeer, peerConfiguration, putPeersOnNode } from '../onboarding/support/existing-peers';
import { createFleetNode, FleetNode, peersSynced, registerWith } from '../reconcile-fixture';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import { logIn, useConsolePages } from './support/console-browser';

jest.setTimeout(180000);

const DOCS = join(__dirname, '../../docs');
const PEERS = 30;
/** The node page polls every 5 s and the panel answers a node's live scan at most every 2 s here. */
const LIVE_TIMEOUT_MS = 20000;

/** 10.174.0.10, 10.174.0.11, ... inside the node's pool 10.174.0.0/16. */
const poolAddress = (i: number) => `10.174.${(i + 10) >> 8}.${(i + 10) & 255}/32`;
const shortKey = (key: string) => key.slice(0, 10) + '…';

describe('adopting the peers of a node from the console', () => {
  const pages = useConsolePages();
  let panel: TestPanel;
  let baseUrl: string;
  let node: FleetNode;
  let existing: ExistingPeer[];
  let ownAddress: ExistingPeer;

  beforeAll(async () => {
    panel = await startPanel({ DRIFT_LIVE_MIN_INTERVAL_S: '2', APPLY_DEBOUNCE_MS: '50' });
    baseUrl = (await panel.app.getUrl()).replace('[::1]', '127.0.0.1');
    node = await createFleetNode(registerWith(panel), {
      prefix: 'xad',
      nodeFields: { name: 'branch-office', address_pool: '10.174.0.0/16' },
    });
    const { body: reception } = await panel
      .as()
      .post(`/api/nodes/${node.id}/peers`, { name: 'reception' })
      .expect(201);
    await peersSynced(panel, [reception.id]);
    existing = await putPeersOnNode(
      node,
      Array.from({ length: PEERS }, (_, i) => ({ allowed_ips: [poolAddress(i)], psk: i % 3 === 0 })),
    );
    [ownAddress] = await putPeersOnNode(node, [{ allowed_ips: ['10.174.0.1/32'] }]);
  });

  afterAll(async () => {
    await node?.destroy();
    await panel?.close();
  });

  it(`adopts ${PEERS} peers named from a CSV, one renamed by hand, re-planning when the node moved`, async () => {
    const { page } = await pages.open(baseUrl);
    await logIn(page, ADMIN_TOKEN);
    await page.goto(`${baseUrl}/nodes/${node.id}`);
    await page.getByTestId('drift-report').getByText('Unknown (never managed by the panel)').waitFor();

    await page.getByRole('button', { name: `Adopt ${PEERS + 1} peers` }).click();
    const plan = page.getByTestId('adopt-plan');
    await plan
      .locator('.conflict-row')
      .getByText('10.174.0.1/32 is the address of node branch-office')
      .waitFor();
    expect(await plan.locator('.adopt-row').count()).toBe(PEERS);
    const nameOf = (key: string) => plan.getByLabel(`Name of ${shortKey(key)}`);
    // Named by its address until the operator says otherwise.
    expect(await nameOf(existing[1].public_key).inputValue()).toBe('10.174.0.11');

    await plan.getByText('Names from a file (CSV or YAML)').click();
    const csv = existing.map((peer, i) => `${peer.public_key},desk ${String(i).padStart(2, '0')}`);
    await plan.getByLabel('Names mapping').fill(['public_key,name', ...csv].join('\n'));
    await plan.getByRole('button', { name: 'Use these names' }).click();
    expect(await nameOf(existing[1].public_key).inputValue()).toBe('desk 01');
    await plan.getByText('Names from a file (CSV or YAML)').click();
    // Below the sticky top bar.
    await page.getByRole('heading', { name: 'Adopt' }).evaluate((heading) => {
      heading.scrollIntoView();
      heading.ownerDocument.defaultView?.scrollBy(0, -90);
    });
    await page.screenshot({ path: join(DOCS, 'console-adopt.png') });

    // A name a peer of the node has is refused, the input marked, nothing adopted.
    await nameOf(existing[0].public_key).fill('reception');
    await plan.getByRole('button', { name: `Adopt these ${PEERS}` }).click();
    await page.getByRole('alert').filter({ hasText: 'already named reception' }).waitFor();
    expect(await nameOf(existing[0].public_key).getAttribute('aria-invalid')).toBe('true');
    await nameOf(existing[0].public_key).fill('front desk');

    // The node moves: the plan is refused and a new one shown, keeping the names given.
    const [late] = await putPeersOnNode(node, [{ allowed_ips: ['10.174.9.9/32'] }]);
    const before = await peerConfiguration(node);
    await plan.getByRole('button', { name: `Adopt these ${PEERS}` }).click();
    await page.getByRole('alert').filter({ hasText: 'The node moved' }).waitFor();
    expect(await nameOf(existing[0].public_key).inputValue()).toBe('front desk');
    expect(await nameOf(late.public_key).inputValue()).toBe('10.174.9.9');

    await plan.getByRole('button', { name: `Adopt these ${PEERS + 1}` }).click();
    await page
      .getByTestId('adopt-result')
      .getByText(`Adopted ${PEERS + 1} peers; 1 skipped.`)
      .waitFor();
    await page.getByTestId('adopt-result').getByText(shortKey(ownAddress.public_key)).waitFor();

    const peers = (await panel.as().get(`/api/nodes/${node.id}/peers?limit=100`).expect(200)).body.items as {
      name: string;
      public_key: string;
      origin: string;
    }[];
    const byKey = new Map(peers.map((peer) => [peer.public_key, peer]));
    existing.forEach((peer, i) =>
      expect(byKey.get(peer.public_key)).toMatchObject({
        name: i === 0 ? 'front desk' : `desk ${String(i).padStart(2, '0')}`,
        origin: 'adopted',
      }),
    );
    expect(byKey.get(late.public_key)?.name).toBe('10.174.9.9');
    expect(await peerConfiguration(node)).toEqual(before);
    // Only the peer it could not adopt is left unknown; the adopt button says so.
    await page.getByRole('button', { name: 'Adopt 1 peer' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
  });
});
