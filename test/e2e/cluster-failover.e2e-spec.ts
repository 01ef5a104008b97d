/**
 * Cluster failover end to end, with real components only: three members sharing one WireGuard key (agent +
 * wireguard-go in namespaces), a fourth whose key differs, knotd taking the panel's TSIG-signed updates, and a
 * client whose endpoint is the cluster's host name, re-resolving it the way reresolve-dns does. The member the
 * client uses dies (its links go down) → the panel's checks take it out of DNS → the client follows → pings
 * through another member. Then the member comes back, drain and undrain, and the refusals.
 *
 * Each failover round prints its parts; CLUSTER_FAILOVER_RUNS=N runs N rounds (docs/BENCHMARKS.md, "Cluster
 * failover"). Run under `flock /tmp/wgfleet-netns.lock`.
 */
import { generateKeyPair } from '../../agent/test/support/wg-interface';
import { startPanel, ADMIN_TOKEN, type TestPanel } from '../support/panel';
import { WebhookReceiver } from '../support/webhook-receiver';
import { bringUpClientConfig, type ClientTunnel } from './support/client-tunnel';
import { startClusterLab, MEMBER_LISTEN_PORT, type ClusterLab, type LabMember } from './support/cluster-lab';
import { pollFor, registerNode } from './support/fleet-flows';
import { PanelApi, UnexpectedAnswer, type NodeView } from './support/panel-api';
import { startReresolver, type Reresolver } from './support/reresolve';

const NET = '10.172';
const TUNNEL_ADDRESS = `${NET}.100.1`;
const CLIENT_INTERFACE = 'wgclc0';
const CHECK_INTERVAL_MS = 1000;
const UNHEALTHY_AFTER = 3;
const RUNS = Number(process.env.CLUSTER_FAILOVER_RUNS ?? 1);

interface MemberView {
  node_id: string;
  health: 'healthy' | 'unhealthy' | 'draining';
  published: boolean;
}
interface ClusterView {
  id: string;
  members: MemberView[];
}
interface PlanView {
  plan_id: string;
  addresses_after: string[];
  status: string;
}

describe('cluster failover: health, DNS publishing, a client following the name', () => {
  const clusterKey = generateKeyPair();
  let lab: ClusterLab;
  let panel: TestPanel;
  let api: PanelApi;
  let nodes: NodeView[];
  let cluster: ClusterView;
  let client: ClientTunnel;
  let reresolver: Reresolver;
  let receiver: WebhookReceiver;

  const members = () => lab.members.slice(0, 3);
  const nodeOf = (member: LabMember) => nodes[member.index - 1];
  const memberView = async (member: LabMember) =>
    (await api.get<ClusterView>(`/api/clusters/${cluster.id}`)).members.find(
      (m) => m.node_id === nodeOf(member).id,
    );
  const ping = () => client.ping(TUNNEL_ADDRESS);
  const dnsHas = (member: LabMember) => lab.knot.dig(lab.host).includes(member.lanAddress);

  beforeAll(async () => {
    lab = await startClusterLab({
      prefix: 'wgcl',
      net: NET,
      members: 4,
      keyPair: clusterKey,
      strangerKey: { member: 4, keyPair: generateKeyPair() },
      tunnelAddress: `${TUNNEL_ADDRESS}/24`,
    });
    panel = await startPanel({
      DRIFT_SCAN_INTERVAL_S: '86400',
      CLUSTER_CHECK_INTERVAL_MS: String(CHECK_INTERVAL_MS),
      CLUSTER_UNHEALTHY_AFTER: String(UNHEALTHY_AFTER),
      CLUSTER_DRAIN_TIMEOUT_S: '3',
    });
    api = new PanelApi(await panel.app.getUrl(), ADMIN_TOKEN);
    receiver = await WebhookReceiver.start();
    await api.post('/api/webhooks', {
      url: receiver.url(),
      events: ['cluster.member_down', 'cluster.member_up', 'cluster.published'],
    });
    nodes = [];
    for (const member of lab.members) {
      nodes.push(
        await registerNode(api, {
          name: `wgcl-member-${member.index}`,
          agent_url: member.node.agentUrl,
          agent_secret: member.node.agentSecret,
          interface: member.interfaceName,
          endpoint: `${member.lanAddress}:${MEMBER_LISTEN_PORT}`,
          address_pool: `${NET}.${20 + member.index}.0/24`,
        }),
      );
    }
    cluster = await api.post<ClusterView>('/api/clusters', {
      name: 'wgcl-failover',
      endpoint_host: lab.host,
      endpoint_port: MEMBER_LISTEN_PORT,
      address_pool: `${NET}.100.0/24`,
      public_key: clusterKey.publicKey,
      dns: {
        provider: 'rfc2136',
        server: lab.knot.server,
        zone: lab.knot.zone,
        tsig_key_name: lab.knot.key.name,
        tsig_algorithm: lab.knot.key.algorithm,
        tsig_secret: lab.knot.key.secret,
        ttl: 1,
      },
    });
    for (const member of members()) {
      await api.post(`/api/clusters/${cluster.id}/members`, { node_id: nodeOf(member).id });
    }
  }, 180000);

  afterAll(async () => {
    await reresolver?.stop();
    await client?.destroy();
    await panel?.close();
    await receiver?.stop();
    await lab?.stop();
  }, 60000);

  it('refuses a member whose interface key differs, naming the node', async () => {
    const stranger = nodes[3];
    const refusal = await api
      .post(`/api/clusters/${cluster.id}/members`, { node_id: stranger.id })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UnexpectedAnswer);
    expect((refusal as UnexpectedAnswer).status).toBe(409);
    expect(String((refusal as UnexpectedAnswer).message)).toContain(stranger.id);
  });

  it('publishes every healthy member, and the client pings through the cluster name', async () => {
    await pollFor(
      async (seen) => {
        const view = await api.get<ClusterView>(`/api/clusters/${cluster.id}`);
        seen(view.members);
        return view.members.every((m) => m.health === 'healthy' && m.published) ? true : undefined;
      },
      { timeoutMs: 30000, what: 'every member healthy and published' },
    );
    expect(lab.knot.dig(lab.host)).toEqual(
      members()
        .map((m) => m.lanAddress)
        .sort(),
    );
    const dnsNow = await api.get<{ dns_now: string[]; in_agreement: boolean }>(
      `/api/clusters/${cluster.id}/dns`,
    );
    expect(dnsNow).toMatchObject({
      dns_now: members()
        .map((m) => m.lanAddress)
        .sort(),
      in_agreement: true,
    });

    const peer = await api.post<{ id: string }>(`/api/clusters/${cluster.id}/peers`, { name: 'wgcl-client' });
    await pollFor(
      async (seen) => {
        const view = await api.get<{ sync_status: string }>(`/api/peers/${peer.id}`);
        seen(view.sync_status);
        return view.sync_status === 'applied' ? true : undefined;
      },
      { timeoutMs: 30000, what: 'the cluster peer applied on every member' },
    );
    client = await bringUpClientConfig(lab.client, CLIENT_INTERFACE, await api.clientConfig(peer.id));
    reresolver = startReresolver(lab.client, {
      interfaceName: CLIENT_INTERFACE,
      peerKey: clusterKey.publicKey,
      host: lab.host,
      port: MEMBER_LISTEN_PORT,
      intervalMs: 200,
      quietMs: 1000,
    });
    await pollFor(async () => ((await ping()) ? true : undefined), {
      timeoutMs: 20000,
      intervalMs: 0,
      what: 'a ping through the cluster',
    });
  }, 120000);

  it('fails over: the member in use dies, DNS drops it, the client follows and pings through another', async () => {
    for (let run = 1; run <= RUNS; run++) {
      const used = await lab.memberInUse(CLIENT_INTERFACE);
      if (!used) throw new Error('the client uses no member');
      const died = Date.now();
      await used.kill();
      const detected = await pollFor(
        async () => ((await memberView(used))?.health === 'unhealthy' ? Date.now() : undefined),
        { timeoutMs: 20000, intervalMs: 50, what: 'the dead member unhealthy' },
      );
      const published = await pollFor(async () => (dnsHas(used) ? undefined : Date.now()), {
        timeoutMs: 20000,
        intervalMs: 50,
        what: 'DNS without the dead member',
      });
      const answered = await pollFor(async () => ((await ping()) ? Date.now() : undefined), {
        timeoutMs: 60000,
        intervalMs: 0,
        what: 'a ping through another member',
      });
      // Null when the client never had to re-resolve: a member it had a live session with reached it first
      // (WireGuard follows an authenticated packet's source).
      const last = reresolver.lastReresolvedAt();
      const reresolved = last !== null && last >= died ? last : null;
      const now = await lab.memberInUse(CLIENT_INTERFACE);
      expect(now).toBeDefined();
      expect(now).not.toBe(used);
      // Detection: CLUSTER_UNHEALTHY_AFTER failed checks, each at most an interval plus the check's timeout
      // (800 ms), with slack for a busy machine.
      expect(detected - died).toBeLessThan(UNHEALTHY_AFTER * (CHECK_INTERVAL_MS + 800) + 3000);
      console.log(
        `Cluster failover run ${run}: ${JSON.stringify({
          total_ms: answered - died,
          detection_ms: detected - died,
          publishing_ms: published - detected,
          reresolve_ms: reresolved === null ? null : reresolved - published,
          handshake_ms: answered - Math.max(reresolved ?? published, published),
        })}`,
      );

      await used.revive();
      await pollFor(async () => ((await memberView(used))?.published && dnsHas(used) ? true : undefined), {
        timeoutMs: 20000,
        what: 'the revived member published again',
      });
    }
  }, 600000);

  it('drains a member out of DNS after a reviewed plan, refuses the last one, and undrains', async () => {
    const [first, second, third] = members();
    const drain = (member: LabMember, body: object, expected = 200) =>
      api.call<PlanView>(
        'POST',
        `/api/clusters/${cluster.id}/members/${nodeOf(member).id}/drain`,
        expected,
        body,
      );
    const undrain = (member: LabMember, body: object) =>
      api.call<PlanView>(
        'POST',
        `/api/clusters/${cluster.id}/members/${nodeOf(member).id}/undrain`,
        200,
        body,
      );

    const plan = await drain(first, { dry_run: true });
    expect(plan).toMatchObject({
      status: 'planned',
      addresses_after: [second.lanAddress, third.lanAddress].sort(),
    });
    expect(dnsHas(first)).toBe(true);
    expect(JSON.stringify(await drain(first, {}, 400))).toContain('plan_id');
    expect(await drain(first, { plan_id: plan.plan_id })).toMatchObject({ status: 'done' });
    expect(dnsHas(first)).toBe(false);
    expect(await memberView(first)).toMatchObject({ health: 'draining', published: false });
    await new Promise((resolve) => setTimeout(resolve, 3 * CHECK_INTERVAL_MS));
    expect(await memberView(first)).toMatchObject({ health: 'draining' });

    const second_plan = await drain(second, { dry_run: true });
    await drain(second, { plan_id: second_plan.plan_id });
    await drain(third, { dry_run: true }, 409);
    expect(lab.knot.dig(lab.host)).toEqual([third.lanAddress]);
    // A draining member still answers: its clients keep their sessions until they move by themselves. One that
    // follows the name to the last member needs a new handshake first, after WireGuard's own timers (up to about
    // 20 s, docs/BENCHMARKS.md "Cluster failover").
    await pollFor(async () => ((await ping()) ? true : undefined), {
      timeoutMs: 60000,
      intervalMs: 0,
      what: 'a ping through the cluster while two members drain',
    });
    await pollFor(
      async () => {
        const page = await api.get<{ items: Array<{ payload: { node_id: string; outcome: string } }> }>(
          '/api/events?type=cluster.member_drained&limit=10',
        );
        return page.items.some((e) => e.payload.node_id === nodeOf(first).id) ? true : undefined;
      },
      { timeoutMs: 20000, what: 'the first drain over (its clients left or CLUSTER_DRAIN_TIMEOUT_S)' },
    );

    for (const member of [first, second]) {
      const back = await undrain(member, { dry_run: true });
      expect(back.addresses_after).toContain(member.lanAddress);
      await undrain(member, { plan_id: back.plan_id });
    }
    await pollFor(async () => (members().every((m) => dnsHas(m)) ? true : undefined), {
      timeoutMs: 20000,
      what: 'every member published again after undrain',
    });
    expect((await api.get<ClusterView>(`/api/clusters/${cluster.id}`)).members.map((m) => m.health)).toEqual([
      'healthy',
      'healthy',
      'healthy',
    ]);
  }, 180000);

  it('sent cluster.member_down, cluster.member_up and cluster.published webhooks', async () => {
    const all = members()
      .map((m) => m.lanAddress)
      .sort();
    // Deliveries leave the outbox after their transaction: the last one may still be on its way.
    const bodies = await pollFor(
      async (seen) => {
        const received = receiver.received.map(
          (hook) => JSON.parse(hook.body) as { type: string; data: { addresses: string[] } },
        );
        seen(received.map((body) => body.type));
        const last = received.filter((body) => body.type === 'cluster.published').at(-1);
        return last?.data.addresses.join() === all.join() ? received : undefined;
      },
      { timeoutMs: 15000, what: 'the last cluster.published webhook naming every member' },
    );
    expect([...new Set(bodies.map((body) => body.type))].sort()).toEqual([
      'cluster.member_down',
      'cluster.member_up',
      'cluster.published',
    ]);
    expect(receiver.received.map((hook) => hook.body).join()).not.toContain(lab.knot.key.secret);
  });

  it('never shows the TSIG secret: not in the logs, the cluster, the events or DNS now', async () => {
    const secret = lab.knot.key.secret;
    expect(panel.logs()).not.toContain(secret);
    expect(JSON.stringify(await api.get(`/api/clusters/${cluster.id}`))).not.toContain(secret);
    expect(JSON.stringify(await api.get(`/api/clusters/${cluster.id}/dns`))).not.toContain(secret);
    expect(JSON.stringify(await api.get('/api/events?limit=1000'))).not.toContain(secret);
  });
});
