import { parseDnsServer, publishRfc2136, readAddresses } from '../../src/modules/cluster-health/dns/rfc2136';
import { KnotServer, startKnot } from '../support/knot';

/** The RFC 2136 provider against a real knotd on loopback with a TSIG key and an ACL allowing updates by it. */
describe('RFC 2136 publishing against knotd', () => {
  let knot: KnotServer;
  const host = () => `vpn.${knot.zone}`;
  const config = () => ({
    server: knot.server,
    zone: knot.zone,
    tsig_key_name: knot.key.name,
    tsig_algorithm: knot.key.algorithm,
    tsig_secret: knot.key.secret,
    ttl: 5,
  });

  beforeAll(async () => {
    knot = await startKnot({ port: 20000 + (process.pid % 20000) });
  });
  afterAll(async () => {
    await knot?.stop();
  });

  it('replaces the whole address set in one signed update, as kdig and the reader see it', async () => {
    await publishRfc2136(config(), host(), ['10.172.1.1', '10.172.1.2', 'fd00:172::1'], 2000);
    expect(knot.dig(host())).toEqual(['10.172.1.1', '10.172.1.2', 'fd00:172::1']);
    await publishRfc2136(config(), host(), ['10.172.1.3'], 2000);
    expect(knot.dig(host())).toEqual(['10.172.1.3']);
    expect(await readAddresses(parseDnsServer(knot.server), host(), 2000)).toEqual(['10.172.1.3']);
  });

  it('answers an empty set for a name with no addresses', async () => {
    expect(await readAddresses(parseDnsServer(knot.server), `none.${knot.zone}`, 2000)).toEqual([]);
  });

  it('is refused with a wrong secret or an unknown key, and the zone is left as it was', async () => {
    await publishRfc2136(config(), host(), ['10.172.1.4'], 2000);
    const wrongSecret = { ...config(), tsig_secret: Buffer.alloc(32, 1).toString('base64') };
    await expect(publishRfc2136(wrongSecret, host(), ['10.172.9.9'], 2000)).rejects.toThrow(
      /refused the update: NOTAUTH/,
    );
    const unknownKey = { ...config(), tsig_key_name: 'someone-else' };
    await expect(publishRfc2136(unknownKey, host(), ['10.172.9.9'], 2000)).rejects.toThrow(
      /refused the update: NOTAUTH/,
    );
    expect(knot.dig(host())).toEqual(['10.172.1.4']);
  });

  it('never names the secret in an error', async () => {
    const wrongSecret = { ...config(), tsig_secret: Buffer.alloc(32, 2).toString('base64') };
    const error = await publishRfc2136(wrongSecret, host(), ['10.172.9.9'], 2000).catch((e: Error) => e);
    expect(String(error)).not.toContain(wrongSecret.tsig_secret);
  });

  it('refuses a host outside the zone before sending anything', async () => {
    await expect(publishRfc2136(config(), 'vpn.elsewhere.test', ['10.172.1.5'], 2000)).rejects.toThrow(
      /not in zone/,
    );
  });
});
