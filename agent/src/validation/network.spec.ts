import { isCidr, isEndpoint, normaliseCidr } from './network';

describe('isCidr', () => {
  it.each(['10.0.0.1', '10.0.0.0/8', '0.0.0.0/0', 'fd00::1', 'fd00::/64', '::/0', '2001:db8::1/128'])(
    'accepts %s',
    (value) => expect(isCidr(value)).toBe(true),
  );
  it.each([
    '',
    '10.0.0.1/33',
    'fd00::/129',
    '127.1',
    '0x7f.0.0.1',
    '10.0.0.1/',
    '10.0.0.1/8/8',
    '10.0.0.1 ',
    'a,b',
    'fe80::1%eth0',
    '10.0.0.1/+8',
  ])('refuses %j', (value) => expect(isCidr(value)).toBe(false));
});

describe('isEndpoint', () => {
  it.each(['192.0.2.1:51820', '[2001:db8::1]:51820', 'vpn.example.com:1', 'host:65535'])(
    'accepts %s',
    (value) => expect(isEndpoint(value)).toBe(true),
  );
  it.each([
    '192.0.2.1',
    '192.0.2.1:0',
    'host:65536',
    '2001:db8::1:51820',
    '[nope]:1',
    '-x:1',
    'a b:1',
    '1.2.3:1',
    'x:1\nPostUp=id',
  ])('refuses %j', (value) => expect(isEndpoint(value)).toBe(false));
});

describe('normaliseCidr', () => {
  it('gives the network with an explicit prefix', () => {
    expect(normaliseCidr('10.0.0.5/24')).toBe('10.0.0.0/24');
    expect(normaliseCidr('10.0.0.5')).toBe('10.0.0.5/32');
    expect(normaliseCidr('FD00:0::2')).toBe('fd00::2/128');
  });
});
