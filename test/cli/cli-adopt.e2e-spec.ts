import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFleetNode, FleetNode, registerWith } from '../reconcile-fixture';
import { ExistingPeer, peerConfiguration, putPeersOnNode } from '../onboarding/support/existing-peers';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import { bundleCli, CliSession, cliSession, panelUrl } from './support/cli-process';

jest.setTimeout(180000);

const PEERS = 30;

/** 10.174.0.10, 10.174.0.11, ... inside the node's pool 10.174.0.0/16. */
const poolAddress = (i: number) => `10.174.${(i + 10) >> 8}.${(i + 10) & 255}/32`;

interface PeerJson {
  name: string;
  public_key: string;
  origin: string;
  sync_status: string;
}

describe('wgfleet adopt against a real panel and an agent on wireguard-go', () => {
  let panel: TestPanel;
  let node: FleetNode;
  let cli: CliSession;
  let existing: ExistingPeer[];
  let ownAddress: ExistingPeer;

  beforeAll(async () => {
    await bundleCli();
    panel = await startPanel({ DRIFT_SCAN_INTERVAL_S: '3600', APPLY_DEBOUNCE_MS: '50' });
    cli = await cliSession({ WGFLEET_URL: panelUrl(panel), WGFLEET_TOKEN: ADMIN_TOKEN });
    node = await createFleetNode(registerWith(panel), {
      prefix: 'xad',
      nodeFields: { address_pool: '10.174.0.0/16' },
    });
    existing = await putPeersOnNode(
      node,
      Array.from({ length: PEERS }, (_, i) => ({ allowed_ips: [poolAddress(i)], psk: i % 3 === 0 })),
    );
    [ownAddress] = await putPeersOnNode(node, [{ allowed_ips: ['10.174.0.1/32'] }]);
  });

  afterAll(async () => {
    await node?.destroy();
    await panel?.close();
    await cli?.cleanup();
  });

  const peersOfNode = async (): Promise<PeerJson[]> =>
    (await panel.as().get(`/api/nodes/${node.id}/peers?limit=1000`).expect(200)).body.items;
  const clientName = (i: number) => `client ${String(i).padStart(2, '0')}${i === 7 ? ', 2nd floor' : ''}`;

  it(`plans ${PEERS} peers with names from a CSV, refuses the plan once the node moved, adopts it afterwards`, async () => {
    const namesPath = join(cli.env.HOME, 'names.csv');
    const csv = existing.map((peer, i) => `${peer.public_key},"${clientName(i)}"`);
    await writeFile(namesPath, ['public_key,name', ...csv].join('\n') + '\n');
    const planPath = join(cli.env.HOME, 'adopt.json');

    const planned = await cli.run(['adopt', node.name, '--names', namesPath, '-o', planPath]);
    expect(planned).toMatchObject({ code: 0 });
    expect(planned.stdout).toContain(`${node.name}: ${PEERS} to adopt, 1 cannot be adopted`);
    expect(planned.stdout).toMatch(/\+ adopt\s+client 00/);
    expect(planned.stdout).toMatch(/! conflict\s+-\s+\S+\s+10\.174\.0\.1\/32 is the address of node/);
    const saved = JSON.parse(await readFile(planPath, 'utf8'));
    expect(saved).toMatchObject({ format: 'wgfleet-adoption-plan/v1', node_id: node.id });
    expect(saved.plan.adopt).toHaveLength(PEERS + 1);

    // A peer appears on the node after the plan: exit 4, nothing adopted.
    const [late] = await putPeersOnNode(node, [{ allowed_ips: ['10.174.9.9/32'] }]);
    const stale = await cli.run(['adopt', node.name, '--plan', planPath]);
    expect(stale.code).toBe(4);
    expect(stale.stderr).toContain('the plan is stale');
    expect(stale.stderr).toContain(`wgfleet adopt ${node.name} -o`);
    expect(await peersOfNode()).toEqual([]);
    await node.wg.wg('set', node.wg.name, 'peer', late.public_key, 'remove');

    expect(await cli.run(['adopt', node.name, '--names', namesPath, '-o', planPath])).toMatchObject({
      code: 0,
    });
    // A name edited in the saved plan is the one the peer gets.
    const edited = JSON.parse(await readFile(planPath, 'utf8'));
    const first = edited.plan.adopt.find(
      (entry: { public_key: string }) => entry.public_key === existing[0].public_key,
    );
    first.name = 'front desk';
    await writeFile(planPath, JSON.stringify(edited));
    const before = await peerConfiguration(node);

    const adopted = await cli.run(['adopt', node.name, '--plan', planPath, '-o', 'json']);
    expect(adopted).toMatchObject({ code: 0 });
    const result = JSON.parse(adopted.stdout);
    expect(result.adopted).toHaveLength(PEERS);
    expect(result.skipped).toEqual([expect.objectContaining({ public_key: ownAddress.public_key })]);

    const byKey = new Map((await peersOfNode()).map((peer) => [peer.public_key, peer]));
    existing.forEach((peer, i) =>
      expect(byKey.get(peer.public_key)).toMatchObject({
        name: i === 0 ? 'front desk' : clientName(i),
        origin: 'adopted',
        sync_status: 'applied',
      }),
    );
    expect(await peerConfiguration(node)).toEqual(before);
  });

  it('adopts with names from YAML at once, and names a peer without one by its address', async () => {
    const [named, unnamed] = await putPeersOnNode(node, [
      { allowed_ips: ['10.174.1.1/32'] },
      { allowed_ips: ['10.174.1.2/32'] },
    ]);
    const namesPath = join(cli.env.HOME, 'names.yaml');
    await writeFile(namesPath, `# the lab\n${named.public_key}: "lab printer"  # by the door\n`);

    const adopted = await cli.run(['adopt', node.name, '--names', namesPath, '--auto-approve']);
    expect(adopted).toMatchObject({ code: 0 });
    expect(adopted.stdout).toContain(`${node.name}: adopted 2, skipped 1`);
    const byKey = new Map((await peersOfNode()).map((peer) => [peer.public_key, peer.name]));
    expect(byKey.get(named.public_key)).toBe('lab printer');
    expect(byKey.get(unnamed.public_key)).toBe('10.174.1.2');
  });

  it('renames adopted peers in bulk from a names file, refusing two peers with one name', async () => {
    const namesPath = join(cli.env.HOME, 'rename.csv');
    await writeFile(
      namesPath,
      [
        `${existing[1].public_key},${clientName(2)}`,
        `${existing[2].public_key},${clientName(1)}`,
        `${existing[3].public_key},kiosk`,
      ].join('\n'),
    );
    const renamed = await cli.run(['peers', 'rename', node.name, '--names', namesPath]);
    expect(renamed).toMatchObject({ code: 0 });
    expect(renamed.stdout).toContain(`${node.name}: renamed 3 peer(s)`);
    const byKey = new Map((await peersOfNode()).map((peer) => [peer.public_key, peer.name]));
    expect([1, 2, 3].map((i) => byKey.get(existing[i].public_key))).toEqual([
      clientName(2),
      clientName(1),
      'kiosk',
    ]);

    await writeFile(namesPath, `${existing[4].public_key},kiosk\n`);
    const clash = await cli.run(['peers', 'rename', node.name, '--names', namesPath]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain('two peers would be named kiosk');
    expect(clash.stderr).toContain('nothing renamed');
    expect((await peersOfNode()).find((peer) => peer.public_key === existing[4].public_key)?.name).toBe(
      clientName(4),
    );
  });

  it('refuses names a peer of the node has, or a names file it cannot read, adopting nothing', async () => {
    const [peer] = await putPeersOnNode(node, [{ allowed_ips: ['10.174.2.1/32'] }]);
    const namesPath = join(cli.env.HOME, 'taken.csv');
    await writeFile(namesPath, `${peer.public_key},lab printer\n`);
    const taken = await cli.run(['adopt', node.name, '--names', namesPath, '--auto-approve']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(`names.${peer.public_key}`);
    expect(taken.stderr).toContain('already named lab printer');

    await writeFile(namesPath, `${peer.public_key} lab printer\n`);
    const unreadable = await cli.run(['adopt', node.name, '--names', namesPath]);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toContain(`${namesPath}: line 1: expected public_key,name or public_key: name`);
    expect((await peersOfNode()).map((item) => item.public_key)).not.toContain(peer.public_key);
  });
});
