import { createHash } from 'node:crypto';
import { parseDump } from '../../agent/src/wg/dump-parser';
import { SimulatedWgDriver } from '../../scripts/bench/fleet/simulated-wg-driver';
import { initialPeers, nodeAddressPool } from '../../scripts/bench/fleet/simulated-fleet';

// The benchmarks' simulated WireGuard must print what `wg show <iface> dump` prints, or the agent's real parser
// and encoder would measure something else: its output goes through them here.
describe('SimulatedWgDriver (benchmarks only)', () => {
  const key = (text: string) => createHash('sha256').update(text).digest('base64');
  const psk = key('psk');

  function driverWithPeers(activeShare = 0) {
    const driver = new SimulatedWgDriver(activeShare);
    driver.addInterface('wgsim0', {
      privateKey: key('private'),
      publicKey: key('public'),
      listenPort: 51820,
      peers: [
        { public_key: key('a'), allowed_ips: ['10.0.0.2/32', 'fd00::2/128'], persistent_keepalive: 25 },
        { public_key: key('b'), allowed_ips: [], preshared_key: psk, endpoint: '192.0.2.1:51820' },
      ],
    });
    return driver;
  }

  it('prints dump lines the real parser reads back as the peers that were set', async () => {
    const driver = driverWithPeers();
    const text = driver.dumpText('wgsim0').toString('latin1');
    expect(text.split('\n')[0]).toBe(`${key('private')}\t${key('public')}\t51820\toff`);
    expect(text.split('\n')[1]).toBe(`${key('a')}\t(none)\t(none)\t10.0.0.2/32,fd00::2/128\t0\t0\t0\t25`);

    expect(parseDump('wgsim0', driver.dumpText('wgsim0'))).toEqual({
      interface: { name: 'wgsim0', public_key: key('public'), listen_port: 51820, fwmark: null, mtu: null },
      peers: [
        {
          public_key: key('a'),
          preshared_key_sha256: null,
          endpoint: null,
          allowed_ips: ['10.0.0.2/32', 'fd00::2/128'],
          latest_handshake: 0,
          transfer_rx: 0,
          transfer_tx: 0,
          persistent_keepalive: 25,
        },
        {
          public_key: key('b'),
          preshared_key_sha256: createHash('sha256').update(Buffer.from(psk, 'base64')).digest('hex'),
          endpoint: '192.0.2.1:51820',
          allowed_ips: [],
          latest_handshake: 0,
          transfer_rx: 0,
          transfer_tx: 0,
          persistent_keepalive: 0,
        },
      ],
    });
    // The JSON the agent sends is the same dump.
    const json = (await driver.dumpJson('wgsim0')).toBuffer().toString('latin1');
    expect(JSON.parse(json)).toEqual(await driver.dump('wgsim0'));
  });

  it('applies addconf, remove and syncconf the way wg does', async () => {
    const driver = driverWithPeers();
    // addconf: allowed IPs replaced, fields not given kept.
    await driver.setPeers('wgsim0', [{ public_key: key('b'), allowed_ips: ['10.0.0.3/32'] }]);
    expect(await driver.peer('wgsim0', key('b'))).toMatchObject({
      allowed_ips: ['10.0.0.3/32'],
      endpoint: '192.0.2.1:51820',
      preshared_key_sha256: expect.any(String),
    });
    await driver.removePeers('wgsim0', [key('a')]);
    expect(await driver.peer('wgsim0', key('a'))).toBeNull();
    // syncconf: exactly the given peers, without fields the config does not state.
    await driver.syncconf('wgsim0', {
      listenPort: 51821,
      fwmark: null,
      peers: [
        { public_key: key('c'), allowed_ips: ['10.0.0.4/32'] },
        { public_key: key('b'), allowed_ips: [] },
      ],
    });
    const dump = await driver.dump('wgsim0');
    expect(dump.interface.listen_port).toBe(51821);
    expect(dump.peers.map((peer) => [peer.public_key, peer.preshared_key_sha256])).toEqual([
      [key('b'), null],
      [key('c'), null],
    ]);
  });

  it('moves the counters and handshakes of active peers only, between dumps', async () => {
    const driver = driverWithPeers(1);
    const first = await driver.dump('wgsim0');
    const second = await driver.dump('wgsim0');
    expect(second.peers[0].transfer_rx).toBeGreaterThan(first.peers[0].transfer_rx);
    expect(second.peers[0].latest_handshake).toBeGreaterThan(0);
    const idle = driverWithPeers(0);
    expect((await idle.dump('wgsim0')).peers[0].transfer_rx).toBe(0);
  });

  it('answers an unknown interface as wg does, and derives distinct peers inside each node pool', async () => {
    await expect(new SimulatedWgDriver().dump('nope')).rejects.toThrow(/No such device/);
    expect(nodeAddressPool(0)).toBe('10.0.0.0/21');
    expect(nodeAddressPool(33)).toBe('10.1.8.0/21');
    const fleet = {
      nodes: 40,
      peersPerNode: 1000,
      firstPeer: 100,
      seed: 'seed',
      activeShare: 0,
      driftedEvery: 20,
    };
    const peers = initialPeers(fleet, 33);
    expect(new Set(peers.map((peer) => peer.public_key)).size).toBe(900);
    expect(peers[0].allowed_ips).toEqual(['10.1.8.102/32']);
    expect(peers[899].allowed_ips).toEqual(['10.1.11.233/32']);
    // A drifted node also runs peers beyond the desired ones.
    expect(initialPeers(fleet, 20)).toHaveLength(920);
  });
});
