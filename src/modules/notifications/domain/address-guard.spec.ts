import {
  assertDeliverableUrl,
  isForbiddenAddress,
  UndeliverableUrlError,
  type LookupAll,
} from './address-guard';

const resolvesTo =
  (...addresses: string[]): LookupAll =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('isForbiddenAddress', () => {
  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback, short form', '127.1'],
    ['private 10/8', '10.1.2.3'],
    ['private 172.16/12', '172.31.255.1'],
    ['private 192.168/16', '192.168.0.10'],
    ['link-local / cloud metadata', '169.254.169.254'],
    ['unspecified', '0.0.0.0'],
    ['this network', '0.1.2.3'],
    ['CGNAT', '100.64.0.1'],
    ['multicast', '224.0.0.1'],
    ['broadcast', '255.255.255.255'],
    ['reserved', '240.0.0.1'],
    ['documentation', '192.0.2.10'],
    ['IPv6 loopback', '::1'],
    ['IPv6 unspecified', '::'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv6 link-local with zone', 'fe80::1%eth0'],
    ['IPv6 unique-local', 'fd12:3456::1'],
    ['IPv6 multicast', 'ff02::1'],
    ['IPv6 documentation', '2001:db8::1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['IPv4-mapped private, hex form', '::ffff:a00:1'],
    ['NAT64 of a private address', '64:ff9b::10.0.0.1'],
    ['6to4 of loopback', '2002:7f00:1::'],
    ['Teredo', '2001::1'],
    ['bracketed IPv6 loopback', '[::1]'],
    ['IPv4-compatible loopback, hex form', '::7f00:1'],
    ['IPv4-compatible private', '::a00:1'],
    ['IPv4-compatible metadata service', '::a9fe:a9fe'],
    ['IPv4-compatible public address', '::8.8.8.8'],
    ['not an address', 'example.com'],
    ['empty', ''],
  ])('forbids %s (%s)', (_label, ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each(['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '::ffff:93.184.216.34'])(
    'allows public %s',
    (ip) => {
      expect(isForbiddenAddress(ip)).toBe(false);
    },
  );

  it('allows private targets only when asked, and never link-local, multicast or unspecified', () => {
    for (const ip of ['127.0.0.1', '10.0.0.5', 'fd00::5', '100.64.1.1', '::1']) {
      expect(isForbiddenAddress(ip, { allowPrivate: true })).toBe(false);
    }
    for (const ip of [
      '169.254.169.254',
      'fe80::1',
      '224.0.0.1',
      '0.0.0.0',
      '::',
      '255.255.255.255',
      '::a9fe:a9fe',
    ]) {
      expect(isForbiddenAddress(ip, { allowPrivate: true })).toBe(true);
    }
  });
});

describe('assertDeliverableUrl', () => {
  it('accepts a public https URL and returns the resolved addresses', async () => {
    const result = await assertDeliverableUrl('https://hooks.example.com/wgfleet?x=1', {
      lookup: resolvesTo('93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'),
    });

    expect(result.url.hostname).toBe('hooks.example.com');
    expect(result.addresses).toEqual(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']);
  });

  it('refuses a host when any resolved address is forbidden', async () => {
    await expect(
      assertDeliverableUrl('https://rebind.example.com/', {
        lookup: resolvesTo('93.184.216.34', '10.0.0.1'),
      }),
    ).rejects.toThrow('url host rebind.example.com resolves to 10.0.0.1, which is not a public address');
  });

  it('checks IP literals without a lookup, including numeric IPv4 spellings', async () => {
    const lookup = jest.fn(resolvesTo('93.184.216.34'));
    for (const url of ['http://127.0.0.1:8080/', 'http://[::1]/', 'http://0x7f.1/', 'http://2130706433/']) {
      await expect(assertDeliverableUrl(url, { lookup })).rejects.toBeInstanceOf(UndeliverableUrlError);
    }
    await expect(assertDeliverableUrl('http://1.1.1.1/', { lookup })).resolves.toMatchObject({
      addresses: ['1.1.1.1'],
    });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('resolves names through the real resolver by default', async () => {
    await expect(assertDeliverableUrl('http://localhost:9000/hook')).rejects.toThrow(
      /^url host localhost resolves to/,
    );
    await expect(
      assertDeliverableUrl('http://localhost:9000/hook', { allowPrivate: true }),
    ).resolves.toMatchObject({
      addresses: expect.arrayContaining([expect.stringMatching(/^(127\.0\.0\.1|::1)$/)]),
    });
  });

  it('allows private targets when asked', async () => {
    await expect(
      assertDeliverableUrl('http://receiver.internal/', {
        allowPrivate: true,
        lookup: resolvesTo('10.0.0.7'),
      }),
    ).resolves.toMatchObject({ addresses: ['10.0.0.7'] });
  });

  it('names the field and never echoes credentials', async () => {
    const error = await assertDeliverableUrl('https://alice:s3cret@hooks.example.com/', {
      lookup: resolvesTo('93.184.216.34'),
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(UndeliverableUrlError);
    expect(error).toMatchObject({ field: 'url', message: 'url must not contain a user name or password' });
    expect(String((error as Error).message)).not.toContain('s3cret');
  });

  it.each([
    ['not a URL', 'hooks.example.com/path', 'url must be an absolute http or https URL'],
    ['another scheme', 'ftp://hooks.example.com/', 'url must use http or https'],
    ['a file URL', 'file:///etc/passwd', 'url must use http or https'],
  ])('refuses %s', async (_label, url, message) => {
    await expect(assertDeliverableUrl(url, { lookup: resolvesTo('93.184.216.34') })).rejects.toThrow(message);
  });

  it('refuses a host that does not resolve', async () => {
    const failing: LookupAll = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await expect(assertDeliverableUrl('https://nowhere.invalid/', { lookup: failing })).rejects.toThrow(
      'url host nowhere.invalid does not resolve',
    );
    await expect(assertDeliverableUrl('https://empty.example/', { lookup: resolvesTo() })).rejects.toThrow(
      /does not resolve/,
    );
  });
});
