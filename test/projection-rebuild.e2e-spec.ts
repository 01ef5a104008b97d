import * as fc from 'fast-check';
import { Client } from 'pg';
import { CommandContext } from '../src/common/auth/auth.decorators';
import { sha256Hex } from '@wgfleet/protocol';
import { generateKeyPair } from '../src/common/crypto/wireguard-keys';
import { AdoptionService } from '../src/modules/adoption/adoption.service';
import { QUOTA_PERIODS, type QuotaPeriod } from '../src/modules/peers/domain/peer-lifecycle';
import { PeerEnforcer } from '../src/modules/lifecycle/peer-enforcer.service';
import { ProjectionRebuilder } from '../src/modules/events/projection-rebuilder.service';
import { NodesService } from '../src/modules/nodes/nodes.service';
import { PeersService } from '../src/modules/peers/peers.service';
import { TestPanel, startPanel } from './support/panel';

const context: CommandContext = {
  actorTokenId: 'property-test',
  requestId: null,
  actor: { kind: 'token', id: 'property-test', name: 'property-test', via: 'api', request_id: null },
};
const PROJECTION_TABLES = ['nodes', 'peers', 'ip_allocations', 'node_managed_keys'];

type Command =
  | { kind: 'node'; mtu: number | null; v6: boolean }
  | { kind: 'update-node'; node: number; mtu: number | null; keepalive: number | null; enabled: boolean }
  | ({
      kind: 'peer';
      node: number;
      keepalive: number | null;
      psk: boolean;
      ownKey: boolean;
      site: boolean;
    } & Lifecycle)
  | ({
      kind: 'update-peer';
      peer: number;
      name: string;
      keepalive: number | null;
      enabled: boolean;
      psk: boolean | null;
      site: boolean | null;
    } & Lifecycle)
  | { kind: 'enforce'; at: Date }
  | { kind: 'delete-peer'; peer: number }
  | { kind: 'delete-node'; node: number }
  | {
      kind: 'adopt';
      node: number;
      found: { host: number; keepalive: number; psk: boolean; route: boolean; endpoint: boolean }[];
    };

const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });

interface Lifecycle {
  expires_at: string | null;
  quota_bytes: number | null;
  quota_period: QuotaPeriod;
}
const lifecycle = {
  expires_at: maybe(
    fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2100-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString()),
  ),
  quota_bytes: maybe(fc.integer({ min: 0, max: 2 ** 40 })),
  quota_period: fc.constantFrom(...QUOTA_PERIODS),
};
/** A network and gateway no other command's peer has: a site's, unique by the command's serial number. */
const siteOf = (serial: number) => ({
  routed_ips: [`172.${16 + ((serial >> 8) % 16)}.${serial & 255}.0/24`],
  endpoint: `203.0.113.${serial & 255}:51820`,
});

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('node' as const),
    mtu: maybe(fc.integer({ min: 1280, max: 9000 })),
    v6: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('update-node' as const),
    node: fc.nat(),
    mtu: maybe(fc.integer({ min: 1280, max: 9000 })),
    keepalive: maybe(fc.integer({ min: 0, max: 65535 })),
    enabled: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('peer' as const),
    node: fc.nat(),
    keepalive: maybe(fc.integer({ min: 0, max: 600 })),
    psk: fc.boolean(),
    ownKey: fc.boolean(),
    site: fc.boolean(),
    ...lifecycle,
  }),
  fc.record({
    kind: fc.constant('update-peer' as const),
    peer: fc.nat(),
    name: fc.string({ minLength: 1, maxLength: 20 }),
    keepalive: maybe(fc.integer({ min: 0, max: 600 })),
    enabled: fc.boolean(),
    psk: maybe(fc.boolean()),
    site: maybe(fc.boolean()),
    ...lifecycle,
  }),
  fc.record({
    kind: fc.constant('enforce' as const),
    at: fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    }),
  }),
  fc.record({ kind: fc.constant('delete-peer' as const), peer: fc.nat() }),
  fc.record({ kind: fc.constant('delete-node' as const), node: fc.nat() }),
  fc.record({
    kind: fc.constant('adopt' as const),
    node: fc.nat(),
    // Hosts of a /24 pool: some collide with allocated addresses (skipped), 0 is the node's own.
    found: fc.array(
      fc.record({
        host: fc.integer({ min: 1, max: 12 }),
        keepalive: fc.integer({ min: 0, max: 600 }),
        psk: fc.boolean(),
        route: fc.boolean(),
        endpoint: fc.boolean(),
      }),
      { maxLength: 5 },
    ),
  }),
);

describe('projections rebuilt from the event log', () => {
  let panel: TestPanel;
  let db: Client;

  beforeAll(async () => {
    panel = await startPanel();
    db = new Client({ connectionString: panel.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await panel.close();
  });

  async function snapshot(): Promise<Record<string, unknown[]>> {
    const tables: Record<string, unknown[]> = {};
    for (const table of PROJECTION_TABLES) {
      const { rows } = await db.query(`select * from ${table} order by 1, 2`);
      tables[table] = rows;
    }
    return tables;
  }

  it('equal the live ones after any sequence of commands', async () => {
    const nodes = panel.app.get(NodesService);
    const peers = panel.app.get(PeersService);
    const rebuilder = panel.app.get(ProjectionRebuilder);
    const adoption = panel.app.get(AdoptionService);
    const enforcer = panel.app.get(PeerEnforcer);
    let serial = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), async (commands) => {
        const nodeIds: string[] = [];
        const poolOf = new Map<string, string>();
        const peerIds: string[] = [];
        const pick = (ids: string[], i: number) => (ids.length ? ids[i % ids.length] : null);
        for (const step of commands) {
          serial++;
          // Commands that fail their own checks (e.g. a deleted target) are part of the sequence too.
          await (async () => {
            switch (step.kind) {
              case 'node': {
                const node = await nodes.register(
                  {
                    name: `node-${serial}`,
                    agent_url: 'http://127.0.0.1:9',
                    interface: 'wg0',
                    endpoint: 'vpn.example.com',
                    address_pool: `10.${serial % 250}.0.0/24`,
                    address_pool_v6: step.v6 ? `fd00:${serial.toString(16)}::/64` : null,
                    public_key: generateKeyPair().publicKey,
                    override_mtu: step.mtu,
                    agent_secret: 'a-secret-of-at-least-thirty-two-characters',
                  },
                  context,
                );
                nodeIds.push(node.id);
                poolOf.set(node.id, node.address_pool);
                return;
              }
              case 'update-node': {
                const id = pick(nodeIds, step.node);
                if (id)
                  await nodes.update(
                    id,
                    { override_mtu: step.mtu, override_keepalive: step.keepalive, enabled: step.enabled },
                    undefined,
                    context,
                  );
                return;
              }
              case 'peer': {
                const id = pick(nodeIds, step.node);
                if (!id) return;
                const peer = await peers.create(
                  id,
                  {
                    name: `peer-${serial}`,
                    persistent_keepalive: step.keepalive,
                    generate_preshared_key: step.psk,
                    expires_at: step.expires_at,
                    quota_bytes: step.quota_bytes,
                    quota_period: step.quota_period,
                    ...(step.ownKey ? { public_key: generateKeyPair().publicKey } : {}),
                    ...(step.site ? siteOf(serial) : {}),
                  },
                  context,
                );
                peerIds.push(peer.id);
                return;
              }
              case 'update-peer': {
                const id = pick(peerIds, step.peer);
                if (id)
                  await peers.update(
                    id,
                    {
                      name: step.name,
                      persistent_keepalive: step.keepalive,
                      enabled: step.enabled,
                      expires_at: step.expires_at,
                      quota_bytes: step.quota_bytes,
                      quota_period: step.quota_period,
                      ...(step.site === null
                        ? {}
                        : step.site
                          ? siteOf(serial)
                          : { routed_ips: [], endpoint: null }),
                      ...(step.psk === null
                        ? {}
                        : step.psk
                          ? { generate_preshared_key: true }
                          : { preshared_key: null }),
                    },
                    undefined,
                    context,
                  );
                return;
              }
              case 'enforce':
                // Suspends and resumes peers (events of their own) as their expiry and quota say.
                await enforcer.enforce(step.at);
                return;
              case 'delete-peer': {
                const id = pick(peerIds, step.peer);
                if (id) await peers.delete(id, undefined, context);
                return;
              }
              case 'adopt': {
                // What the node was seen to have; its agent is never asked.
                const id = pick(nodeIds, step.node);
                if (!id) return;
                const network = poolOf.get(id)!.replace(/\.0\/24$/, '');
                const observed = step.found.map((found, i) => ({
                  public_key: generateKeyPair().publicKey,
                  preshared_key_sha256: found.psk ? sha256Hex(generateKeyPair().privateKey) : null,
                  endpoint: found.endpoint ? `198.51.100.${i}:5182${i}` : null,
                  allowed_ips: [`${network}.${found.host}/32`, ...(found.route ? [`192.168.${i}.0/24`] : [])],
                  latest_handshake: 0,
                  transfer_rx: 0,
                  transfer_tx: 0,
                  persistent_keepalive: found.keepalive,
                }));
                const { adopted } = await adoption.adoptObserved(id, observed, undefined, new Map(), context);
                peerIds.push(...adopted.map((peer) => peer.id));
                return;
              }
              case 'delete-node': {
                const id = pick(nodeIds, step.node);
                if (id) await nodes.delete(id, undefined, context);
                return;
              }
            }
          })().catch((error: { status?: number }) => {
            if (error.status !== 404 && error.status !== 409) throw error;
          });
        }
        const live = await snapshot();
        await rebuilder.rebuild();
        expect(await snapshot()).toEqual(live);
      }),
      { numRuns: 12 },
    );
  });
});
