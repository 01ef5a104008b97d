import { generateKeyPair } from '../agent/test/support/wg-interface';
import { keyFingerprint } from '../src/modules/clusters';
import { createFleetNode, eventually, FleetNode, peersSynced, registerWith } from './reconcile-fixture';
import { startPanel, TestPanel } from './support/panel';

jest.setTimeout(180000);

/**
 * Clusters on real agents and wireguard-go: members share one interface key, a cluster peer is carried by every
 * member, drift is per member, and a member leaving drops the cluster's peers. Run under
 * `flock /tmp/wgfleet-netns.lock` (interfaces `wgcm*`, pools in 10.174.0.0/16).
 */
describe('clusters', () => {
  let panel: TestPanel;
  const nodes: FleetNode[] = [];
  const shared = generateKeyPair();
  const TSIG_SECRET = Buffer.alloc(32, 7).toString('base64');
  let memberA: FleetNode;
  let memberB: FleetNode;
  let stranger: FleetNode;
  let clusterId: string;

  beforeAll(async () => {
    panel = await startPanel({
      APPLY_DEBOUNCE_MS: '100',
      APPLY_MAX_WAIT_MS: '1000',
      DRIFT_LIVE_MIN_INTERVAL_S: '0',
    });
    let pool = 0;
    const node = async (keyPair?: ReturnType<typeof generateKeyPair>) => {
      const created = await createFleetNode(registerWith(panel), {
        prefix: 'wgcm',
        nodeFields: { address_pool: `10.174.${++pool}.0/24` },
        ...(keyPair ? { keyPair } : {}),
      });
      nodes.push(created);
      return created;
    };
    memberA = await node(shared);
    memberB = await node(shared);
    stranger = await node();
  });

  afterAll(async () => {
    for (const node of nodes) await node.destroy();
    await panel?.close();
  });

  async function onNode(target: FleetNode, publicKey: string) {
    return (await target.dump()).peers.find((peer) => peer.public_key === publicKey);
  }

  it('creates a cluster whose DNS secret is write-only', async () => {
    const { body: cluster } = await panel
      .as()
      .post('/api/clusters', {
        name: 'edge',
        endpoint_host: 'VPN.Example.com',
        endpoint_port: 51820,
        address_pool: '10.174.100.0/24',
        dns: {
          provider: 'rfc2136',
          server: '127.0.0.1:5353',
          zone: 'example.com',
          tsig_key_name: 'wgfleet',
          tsig_secret: TSIG_SECRET,
        },
      })
      .expect(201);
    clusterId = cluster.id;
    expect(cluster).toMatchObject({
      name: 'edge',
      endpoint_host: 'vpn.example.com',
      endpoint_port: 51820,
      address_pool: '10.174.100.0/24',
      public_key: null,
      members: [],
      dns: {
        provider: 'rfc2136',
        server: '127.0.0.1:5353',
        zone: 'example.com',
        tsig_key_name: 'wgfleet',
        tsig_algorithm: 'hmac-sha256',
        ttl: 30,
        has_secret: true,
      },
    });
    const listed = (await panel.as().get('/api/clusters').expect(200)).text;
    expect(listed).toContain(clusterId);
    expect(listed).not.toContain(TSIG_SECRET);
    expect(panel.logs()).not.toContain(TSIG_SECRET);

    await panel
      .as()
      .post('/api/clusters', {
        name: 'edge',
        endpoint_host: 'vpn2.example.com',
        address_pool: '10.174.101.0/24',
      })
      .expect(409);
    const { body: badHost } = await panel
      .as()
      .post('/api/clusters', { name: 'bad', endpoint_host: '10.0.0.1', address_pool: '10.174.101.0/24' })
      .expect(400);
    expect(badHost.error.details).toEqual([expect.objectContaining({ field: 'endpoint_host' })]);
    const { body: noSecret } = await panel
      .as()
      .post('/api/clusters', {
        name: 'bad',
        endpoint_host: 'vpn2.example.com',
        address_pool: '10.174.101.0/24',
        dns: { provider: 'webhook', url: 'https://hook.example.com' },
      })
      .expect(400);
    expect(noSecret.error.details).toContainEqual(expect.objectContaining({ field: 'dns.secret' }));
  });

  it('takes the first member key and refuses a node whose interface key differs', async () => {
    const { body: first } = await panel
      .as()
      .post(`/api/clusters/${clusterId}/members`, { node_id: memberA.id })
      .expect(201);
    expect(first.public_key).toBe(shared.publicKey);
    expect(first.members).toEqual([
      expect.objectContaining({ node_id: memberA.id, health: 'unhealthy', published: false }),
    ]);

    const { body: refused } = await panel
      .as()
      .post(`/api/clusters/${clusterId}/members`, { node_id: stranger.id })
      .expect(409);
    const text = JSON.stringify(refused);
    expect(refused.error.details).toEqual([expect.objectContaining({ field: 'node_id' })]);
    expect(text).toContain(stranger.id);
    expect(text).toContain(keyFingerprint(shared.publicKey));
    expect(text).toContain(keyFingerprint(stranger.wg.publicKey));
    expect(text).not.toContain(shared.privateKey);

    const { body: second } = await panel
      .as()
      .post(`/api/clusters/${clusterId}/members`, { node_id: memberB.id })
      .expect(201);
    expect(second.members.map((member: { node_id: string }) => member.node_id).sort()).toEqual(
      [memberA.id, memberB.id].sort(),
    );
    // A node is in one cluster at most.
    const { body: other } = await panel
      .as()
      .post('/api/clusters', {
        name: 'other',
        endpoint_host: 'vpn3.example.com',
        address_pool: '10.174.102.0/24',
      })
      .expect(201);
    await panel.as().post(`/api/clusters/${other.id}/members`, { node_id: memberA.id }).expect(409);
    await panel.as().delete(`/api/clusters/${other.id}`).expect(204);
  });

  it('carries a cluster peer on every member, with one config pointing at the cluster name', async () => {
    const { body: peer } = await panel
      .as()
      .post(`/api/clusters/${clusterId}/peers`, { name: 'laptop' })
      .expect(201);
    // The pool's first host is the members' own address, as a node's is.
    expect(peer).toMatchObject({ cluster_id: clusterId, node_id: null, allowed_ips: ['10.174.100.2/32'] });
    expect(peer.effective.endpoint).toBe('vpn.example.com:51820');
    for (const member of [memberA, memberB]) {
      await eventually(() => onNode(member, peer.public_key), 10000, `the cluster peer on ${member.name}`);
    }
    await peersSynced(panel, [peer.id]);
    expect((await panel.as().get(`/api/peers/${peer.id}`).expect(200)).body.cluster_id).toBe(clusterId);
    const listed = (await panel.as().get(`/api/clusters/${clusterId}/peers`).expect(200)).body.items;
    expect(listed.map((item: { id: string }) => item.id)).toEqual([peer.id]);
    // Listed under the cluster, not under each member.
    expect((await panel.as().get(`/api/nodes/${memberA.id}/peers`).expect(200)).body.items).toEqual([]);

    const { text: config } = await panel.as().get(`/api/peers/${peer.id}/config`).expect(200);
    expect(config).toContain('Endpoint = vpn.example.com:51820');
    expect(config).toContain(`PublicKey = ${shared.publicKey}`);
    expect(config).toContain('Address = 10.174.100.2/32');

    // A change is applied on every member.
    await panel.as().patch(`/api/peers/${peer.id}`, { persistent_keepalive: 17 }).expect(200);
    for (const member of [memberA, memberB]) {
      await eventually(
        async () => ((await onNode(member, peer.public_key))?.persistent_keepalive === 17 ? true : undefined),
        10000,
        `the change on ${member.name}`,
      );
    }
  });

  it('sees drift per member', async () => {
    const { body: page } = await panel.as().get(`/api/clusters/${clusterId}/peers`).expect(200);
    const peer = page.items[0];
    await memberB.wg.wg('set', memberB.wg.name, 'peer', peer.public_key, 'remove');
    const reportB = (await panel.as().get(`/api/drift/nodes/${memberB.id}`).expect(200)).body;
    expect(reportB.missing_peers).toEqual([expect.objectContaining({ peer_id: peer.id })]);
    const reportA = (await panel.as().get(`/api/drift/nodes/${memberA.id}`).expect(200)).body;
    expect(reportA).toMatchObject({ has_drift: false, missing_peers: [], unknown_peers: [] });
  });

  it('drops the cluster peers from a member that leaves, and keeps them on the others', async () => {
    const { body: page } = await panel.as().get(`/api/clusters/${clusterId}/peers`).expect(200);
    const peer = page.items[0];
    // Put it back by hand on B first, so its removal is the sync's doing.
    await memberB.wg.wg('set', memberB.wg.name, 'peer', peer.public_key, 'allowed-ips', '10.174.100.2/32');
    const { body: left } = await panel
      .as()
      .delete(`/api/clusters/${clusterId}/members/${memberB.id}`)
      .expect(200);
    expect(left.members.map((member: { node_id: string }) => member.node_id)).toEqual([memberA.id]);
    await eventually(
      async () => ((await onNode(memberB, peer.public_key)) ? undefined : true),
      10000,
      'the cluster peer gone from the former member',
    );
    expect(await onNode(memberA, peer.public_key)).toBeDefined();

    // The cluster keeps its pool and members while it has peers.
    await panel.as().patch(`/api/clusters/${clusterId}`, { address_pool: '10.174.103.0/24' }).expect(409);
    await panel.as().delete(`/api/peers/${peer.id}`).expect(204);
    await eventually(
      async () => ((await onNode(memberA, peer.public_key)) ? undefined : true),
      10000,
      'the deleted cluster peer gone from the member',
    );
    await panel.as().delete(`/api/clusters/${clusterId}`).expect(409);
    await panel.as().delete(`/api/clusters/${clusterId}/members/${memberA.id}`).expect(200);
    await panel.as().delete(`/api/clusters/${clusterId}`).expect(204);
    await panel.as().get(`/api/clusters/${clusterId}`).expect(404);
  });
});
