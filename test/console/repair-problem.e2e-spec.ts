/**
 * The console's side of adopted peers a node lost: the node page shows the latest repair that left them behind,
 * its errors grouped, and the plan lists them as "cannot restore"; the peer form's preshared-key action gives
 * one a new key, which the panel then puts on the node. Takes docs/console-failed-job.png on the way.
 */
import { join } from 'node:path';
import { sha256Hex } from '@wgfleet/protocol';
import { putPeersOnNode } from '../onboarding/support/existing-peers';
import { createFleetNode, eventually, finishedJob, FleetNode, registerWith } from '../reconcile-fixture';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import { logIn, useConsolePages } from './support/console-browser';

jest.setTimeout(120000);

const DOCS = join(__dirname, '../../docs');
const LOST = 9;
const NODE_NAME = 'eu-central-2';

describe('console: a node that lost adopted preshared-key peers', () => {
  const pages = useConsolePages();
  let panel: TestPanel;
  let baseUrl: string;
  let node: FleetNode;
  let adopted: { id: string; name: string; public_key: string }[];

  beforeAll(async () => {
    panel = await startPanel({ DRIFT_LIVE_MIN_INTERVAL_S: '2', APPLY_DEBOUNCE_MS: '50' });
    baseUrl = (await panel.app.getUrl()).replace('[::1]', '127.0.0.1');
    node = await createFleetNode(registerWith(panel), {
      prefix: 'xrs',
      nodeFields: { name: NODE_NAME, address_pool: '10.173.0.0/16' },
    });
    await putPeersOnNode(
      node,
      Array.from({ length: LOST + 1 }, (_, i) => ({ allowed_ips: [`10.173.0.${i + 10}/32`], psk: true })),
    );
    const plan = await panel.as().post(`/api/nodes/${node.id}/adopt`, { dry_run: true }).expect(200);
    adopted = (
      await panel.as().post(`/api/nodes/${node.id}/adopt`, { plan_id: plan.body.plan_id }).expect(200)
    ).body.adopted;
    // The node loses nine of them (restarted without its config); a repair cannot restore them.
    for (const peer of adopted.slice(0, LOST)) {
      await node.wg.wg('set', node.wg.name, 'peer', peer.public_key, 'remove');
    }
    const queued = await panel.as().post(`/api/drift/nodes/${node.id}/reconcile`, {}).expect(202);
    const job = await finishedJob(panel, queued.body.job_id);
    expect(job.result.errors).toHaveLength(LOST);
  });

  afterAll(async () => {
    await node?.destroy();
    await panel?.close();
  });

  it('shows the latest partial repair with its errors grouped, and plans the lost peers as "cannot restore"', async () => {
    const { page } = await pages.open(baseUrl);
    await logIn(page, ADMIN_TOKEN);
    await page.goto(`${baseUrl}/nodes/${node.id}`);
    const problem = page.getByTestId('repair-problem');
    // It failed: the peers it could not restore are still missing when it verifies.
    await problem.getByRole('heading', { name: 'Repair failed' }).waitFor();
    await problem.getByText(`${LOST} peers`).waitFor();
    expect(await problem.locator('.error-groups > li').count()).toBe(1);
    await problem.getByText(/cannot restore: the panel holds only the hash/).waitFor();
    await problem.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(DOCS, 'console-failed-job.png') });

    await page.getByRole('button', { name: 'Plan repair' }).click();
    const review = page.getByTestId('plan-review');
    await review.getByText(adopted[0].name, { exact: true }).waitFor();
    expect(await review.locator('.diff-blocked').count()).toBe(LOST);
    expect(await review.locator('.diff-add').count()).toBe(0);
    await review.getByText('cannot restore: the panel does not hold its preshared key').first().waitFor();
  });

  it("gives a lost peer a new preshared key with the peer form's action; the panel puts the peer back", async () => {
    const { page } = await pages.open(baseUrl);
    await logIn(page, ADMIN_TOKEN);
    const [peer] = adopted;
    await page.goto(`${baseUrl}/peers?node=${node.id}`);
    await page.locator(`tr[data-peer="${peer.name}"]`).getByRole('button', { name: 'Edit' }).click();
    const keyInput = page.getByLabel('New preshared key');
    // A pasted key that is not one is refused, naming the field, and nothing is saved.
    await keyInput.fill('not-a-key');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#peer-preshared-key-error').waitFor();
    await page.getByRole('button', { name: 'Generate a new key' }).click();
    const newKey = await keyInput.inputValue();
    expect(Buffer.from(newKey, 'base64')).toHaveLength(32);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByLabel('New preshared key').waitFor({ state: 'detached' });

    const onNode = await eventually(
      async () => (await node.dump()).peers.find((item) => item.public_key === peer.public_key),
      20000,
      'the re-keyed peer back on the node',
    );
    expect(onNode.preshared_key_sha256).toBe(sha256Hex(newKey));
  });
});
