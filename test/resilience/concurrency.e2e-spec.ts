/**
 * Concurrent writers (issue 9): optimistic versions let exactly one of many same-version updates win and
 * lose none that retry; concurrent peer creation never hands out an address or a key twice.
 */
import { Client } from 'pg';
import { generateKeyPair } from '../../src/common/crypto/wireguard-keys';
import { startPanel, TestPanel } from '../support/panel';
import { Api, ApiAnswer, expectStatus } from './support/api';
import { allEvents, apiOf, listAll, registerNode, sleep } from './support/fleet';

const CLIENTS = 50;
const RETRYING_CLIENTS = 20;
const PEERS = 200;

describe('concurrent writers', () => {
  let panel: TestPanel;
  let api: Api;
  let db: Client;

  beforeAll(async () => {
    panel = await startPanel({ DRIFT_SCAN_INTERVAL_S: '86400' });
    api = await apiOf(panel);
    db = new Client({ connectionString: panel.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await panel?.close();
  });

  const nodeEvents = async (nodeId: string) =>
    (await allEvents(api)).filter((event) => event.aggregate_id === nodeId);

  it(`lets exactly one of ${CLIENTS} same-version updates win, by body version and by If-Match`, async () => {
    for (const how of ['body', 'if-match'] as const) {
      const node = await registerNode(api);
      const answers = await Promise.all(
        Array.from({ length: CLIENTS }, (_, i) =>
          how === 'body'
            ? api.patch(`/api/nodes/${node.id}`, { override_mtu: 1300 + i, version: node.version })
            : api.patch(
                `/api/nodes/${node.id}`,
                { override_mtu: 1300 + i },
                { 'if-match': `"${node.version}"` },
              ),
        ),
      );
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([200, ...Array(CLIENTS - 1).fill(409)]);
      for (const loser of answers.filter((answer) => answer.status === 409)) {
        expect(loser.body.error.code).toMatch(/conflict/);
      }
      const winner = answers.find((answer) => answer.status === 200)!;
      const stored = expectStatus(await api.get(`/api/nodes/${node.id}`), 200).body;
      expect(stored).toMatchObject({ version: node.version + 1, override_mtu: winner.body.override_mtu });
      const events = await nodeEvents(node.id);
      expect(events.map((event) => event.type)).toEqual(['node.registered', 'node.updated']);
    }
  });

  it(`loses none of ${RETRYING_CLIENTS} concurrent updates when the losers re-read and retry`, async () => {
    const node = await registerNode(api);
    let conflicts = 0;
    const update = async (i: number): Promise<ApiAnswer> => {
      for (;;) {
        const current = expectStatus(await api.get(`/api/nodes/${node.id}`), 200).body;
        const dns = [...(current.override_dns ?? []), `10.0.${Math.floor(i / 200)}.${i % 200}`].slice(-8);
        const answer = await api.patch(`/api/nodes/${node.id}`, {
          override_dns: dns,
          version: current.version,
        });
        if (answer.status !== 409) return answer;
        conflicts++;
        await sleep(Math.random() * 50);
      }
    };
    const answers = await Promise.all(Array.from({ length: RETRYING_CLIENTS }, (_, i) => update(i)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(RETRYING_CLIENTS).fill(200));
    const events = (await nodeEvents(node.id)).filter((event) => event.type === 'node.updated');
    expect(events).toHaveLength(RETRYING_CLIENTS);
    expect(expectStatus(await api.get(`/api/nodes/${node.id}`), 200).body.version).toBe(
      node.version + RETRYING_CLIENTS,
    );
    // Each update appended exactly its own address to what it read: none was built on a lost write.
    const added = events.map((event) => event.payload.changes.override_dns.at(-1));
    expect(new Set(added).size).toBe(RETRYING_CLIENTS);
    expect(conflicts).toBeGreaterThan(0);
  });

  it(`hands out no address or key twice across ${PEERS} concurrent peer creations`, async () => {
    const node = await registerNode(api, { address_pool: '10.20.0.0/24', address_pool_v6: 'fd20::/112' });
    const answers = await Promise.all(
      Array.from({ length: PEERS }, (_, i) =>
        api.post(`/api/nodes/${node.id}/peers`, { name: `c${i}`, generate_preshared_key: i % 2 === 0 }),
      ),
    );
    expect(answers.filter((answer) => answer.status !== 201).map((answer) => answer.text)).toEqual([]);
    const peers = await listAll<{ public_key: string; allowed_ips: string[] }>(
      api,
      `/api/nodes/${node.id}/peers`,
    );
    expect(peers).toHaveLength(PEERS);
    const addresses = peers.flatMap((peer) => peer.allowed_ips);
    expect(addresses).toHaveLength(2 * PEERS);
    expect(new Set(addresses).size).toBe(2 * PEERS);
    expect(addresses).not.toContain('10.20.0.1/32');
    expect(new Set(peers.map((peer) => peer.public_key)).size).toBe(PEERS);
    const { rows } = await db.query<{ count: string; distinct: string }>(
      'select count(*) as count, count(distinct (family, host_index)) as distinct from ip_allocations where node_id = $1',
      [node.id],
    );
    expect(rows[0]).toEqual({ count: String(2 * PEERS), distinct: String(2 * PEERS) });
  });

  it('creates peers of many nodes in shared transactions, refusing only those of a missing node', async () => {
    const nodes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => registerNode(api, { address_pool: `10.30.${i}.0/24` })),
    );
    const missing = '00000000-0000-4000-8000-000000000000';
    const answers = await Promise.all(
      Array.from({ length: 105 }, (_, i) =>
        api.post(`/api/nodes/${i < 100 ? nodes[i % 20].id : missing}/peers`, { name: `spread-${i}` }),
      ),
    );
    expect(answers.slice(0, 100).filter((answer) => answer.status !== 201)).toEqual([]);
    expect(answers.slice(100).map((answer) => answer.status)).toEqual(Array(5).fill(404));
    for (const [i, node] of nodes.entries()) {
      const peers = await listAll<{ allowed_ips: string[] }>(api, `/api/nodes/${node.id}/peers`);
      const addresses = peers.flatMap((peer) => peer.allowed_ips);
      expect(new Set(addresses).size).toBe(5);
      expect(addresses.every((address) => address.startsWith(`10.30.${i}.`))).toBe(true);
    }
    // A transaction stamps its events with one time: peers of several nodes at one time shared a transaction.
    const { rows } = await db.query<{ shared: string }>(
      `select count(*) as shared from (
         select created_at from events where type = 'peer.created' and payload->>'name' like 'spread-%'
          group by created_at having count(distinct payload->>'node_id') > 1) as transactions`,
    );
    expect(Number(rows[0].shared)).toBeGreaterThan(0);
  });

  it('lets only one of many concurrent creations claim the same key or the same address', async () => {
    const node = await registerNode(api, { address_pool: '10.21.0.0/24' });
    const key = generateKeyPair().publicKey;
    const sameKey = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.post(`/api/nodes/${node.id}/peers`, { name: `k${i}`, public_key: key }),
      ),
    );
    expect(sameKey.map((answer) => answer.status).sort()).toEqual([201, ...Array(19).fill(409)]);
    const sameAddress = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.post(`/api/nodes/${node.id}/peers`, { name: `a${i}`, allowed_ips: ['10.21.0.77/32'] }),
      ),
    );
    expect(sameAddress.map((answer) => answer.status).sort()).toEqual([201, ...Array(19).fill(409)]);
    const peers = await listAll<{ allowed_ips: string[] }>(api, `/api/nodes/${node.id}/peers`);
    expect(peers.filter((peer) => peer.allowed_ips.includes('10.21.0.77/32'))).toHaveLength(1);
  });

  it('deletes a peer once when many delete it with the same version', async () => {
    const node = await registerNode(api, { address_pool: '10.22.0.0/24' });
    const peer = expectStatus(await api.post(`/api/nodes/${node.id}/peers`, { name: 'gone' }), 201).body;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => api.delete(`/api/peers/${peer.id}?version=${peer.version}`)),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 204)).toHaveLength(1);
    expect(statuses.every((status) => [204, 404, 409].includes(status))).toBe(true);
    const deleted = (await allEvents(api)).filter(
      (event) => event.type === 'peer.deleted' && event.aggregate_id === peer.id,
    );
    expect(deleted).toHaveLength(1);
  });
});
