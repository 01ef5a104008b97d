import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsOptional, validate } from 'class-validator';
import {
  IsAddressPool,
  IsCidr,
  IsCidrList,
  IsEndpoint,
  IsIpAddressList,
  IsName,
  IsWireGuardKey,
} from './validators';

const KEY = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';

class NodeAndPeerDto {
  @IsOptional() @IsWireGuardKey() public_key?: unknown;
  @IsOptional() @IsWireGuardKey() preshared_key?: unknown;
  @IsOptional() @IsCidr() route?: unknown;
  @IsOptional() @IsCidr({ family: 6 }) route_v6?: unknown;
  @IsOptional() @IsCidrList({ maxItems: 3 }) allowed_ips?: unknown;
  @IsOptional() @IsIpAddressList() dns?: unknown;
  @IsOptional() @IsEndpoint() endpoint?: unknown;
  @IsOptional() @IsAddressPool(4) address_pool?: unknown;
  @IsOptional() @IsAddressPool(6) address_pool_v6?: unknown;
  @IsOptional() @IsName() name?: unknown;
}

/** The messages class-validator reports for a body, flattened. */
async function problems(body: Record<string, unknown>): Promise<string[]> {
  const errors = await validate(plainToInstance(NodeAndPeerDto, body));
  return errors.flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('validators', () => {
  it('accepts a valid body', async () => {
    expect(
      await problems({
        public_key: KEY,
        preshared_key: KEY,
        route: '10.0.1.2',
        route_v6: 'fd00::/64',
        allowed_ips: ['10.0.1.2/32', 'FD00:1::2/128'],
        dns: [],
        endpoint: 'vpn-1.example.com:51820',
        address_pool: '10.0.1.0/24',
        address_pool_v6: 'fd00:1::/64',
      }),
    ).toEqual([]);
  });

  it('rejects keys without echoing them', async () => {
    const almost = `${KEY.slice(0, 42)}B=`;
    for (const bad of [almost, KEY.slice(1), `${KEY}=`, KEY.replace('+', '-'), 42]) {
      expect(await problems({ preshared_key: bad })).toEqual([
        'preshared_key must be a WireGuard key: 44 characters of base64 (32 bytes)',
      ]);
    }
    expect((await problems({ preshared_key: almost })).join()).not.toContain(almost);
  });

  it('checks CIDRs by family and refuses host bits', async () => {
    expect(await problems({ route: '10.0.1.0/33' })).toEqual(['route must be a CIDR like 10.0.1.2/32']);
    expect(await problems({ route_v6: '10.0.1.0/24' })).toEqual([
      'route_v6 must be an IPv6 CIDR like fd00::2/128',
    ]);
    expect(await problems({ route: '10.0.1.5/24' })).toEqual(['route has host bits set: use 10.0.1.0/24']);
    expect(await problems({ route_v6: 'fd00::5/64' })).toEqual(['route_v6 has host bits set: use fd00::/64']);
  });

  it('refuses address spellings that ipaddr.js would guess at', async () => {
    for (const sloppy of ['010.0.1.2/32', '10.1/32', '167772418/32', 'fe80::1%eth0/128', '10.0.1.2/032x']) {
      expect(await problems({ route: sloppy })).toEqual(['route must be a CIDR like 10.0.1.2/32']);
    }
  });

  it('names the list item at fault', async () => {
    expect(await problems({ allowed_ips: ['10.0.1.2/32', 'nope'] })).toEqual([
      'allowed_ips[1] must be a CIDR like 10.0.1.2/32',
    ]);
    expect(await problems({ allowed_ips: ['10.0.1.2/32', '10.0.2.7/24'] })).toEqual([
      'allowed_ips[1] has host bits set: use 10.0.2.0/24',
    ]);
    expect(await problems({ allowed_ips: [] })).toEqual(['allowed_ips must not be empty']);
    expect(await problems({ allowed_ips: '10.0.1.2/32' })).toEqual(['allowed_ips must be an array']);
    expect(await problems({ allowed_ips: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'] })).toEqual([
      'allowed_ips must have at most 3 items',
    ]);
    expect(await problems({ dns: ['1.1.1.1', '1.1.1'] })).toEqual([
      'dns[1] must be an IP address like 1.1.1.1 or 2606:4700:4700::1111',
    ]);
    expect(await problems({ dns: ['1.1.1.1/32'] })).toHaveLength(1);
    expect(await problems({ dns: Array(9).fill('1.1.1.1') })).toEqual(['dns must have at most 8 items']);
  });

  it('accepts host names, IPv4 and bracketed IPv6 endpoints with an optional port', async () => {
    for (const good of [
      'vpn.example.com',
      'localhost:1',
      '203.0.113.5:65535',
      '[2001:db8::1]',
      '[2001:db8::1]:4500',
    ]) {
      expect(await problems({ endpoint: good })).toEqual([]);
    }
  });

  it('rejects malformed endpoints', async () => {
    const message =
      'endpoint must be a host name, IPv4 address or [IPv6] address with an optional port 1-65535, ' +
      'like vpn.example.com:51820 or [2001:db8::1]:51820';
    for (const bad of [
      '2001:db8::1',
      '[10.0.0.1]:1',
      'vpn.example.com:0',
      'vpn.example.com:65536',
      'under_score.example.com',
      '-dash.example.com',
      '10.0.1:51820',
      '300.1.1.1',
      'http://vpn.example.com',
      '',
      51820,
    ]) {
      expect(await problems({ endpoint: bad })).toEqual([message]);
    }
  });

  it('validates address pools through parsePool, naming the field', async () => {
    expect(await problems({ address_pool: '10.0.1.5/24' })).toEqual([
      'address_pool: 10.0.1.5/24 has host bits set; the network is 10.0.1.0/24',
    ]);
    expect(await problems({ address_pool: '10.0.0.0/31' })).toEqual([
      'address_pool: 10.0.0.0/31 must have an IPv4 prefix between /8 and /30',
    ]);
    expect(await problems({ address_pool: 'fd00:1::/64' })).toEqual([
      'address_pool must be an IPv4 network like 10.0.1.0/24',
    ]);
    expect(await problems({ address_pool_v6: '10.0.1.0/24' })).toEqual([
      'address_pool_v6 must be an IPv6 network like fd00:1::/64',
    ]);
    expect(await problems({ address_pool: '010.0.1.0/24' })).toEqual([
      'address_pool must be an IPv4 network like 10.0.1.0/24',
    ]);
  });

  it('refuses names with a control character or any line break, naming the field', async () => {
    for (const bad of ['a\nb', 'a\rb', 'a\u0085b', 'a\u2028PostUp = id', 'a\u2029b', 'nul\u0000', 'tab\t']) {
      expect(await problems({ name: bad })).toEqual([
        'name must not contain control characters or line breaks (U+2028, U+2029 and U+0085 included)',
      ]);
    }
    for (const good of ['alice laptop', 'Zoë’s phone', '🛡️🔥'])
      expect(await problems({ name: good })).toEqual([]);
  });
});
