import { addressRange, hostLocalRange } from './address-range';

describe('addressRange', () => {
  it('judges IPv4-mapped IPv6 as its IPv4 address, and IPv4-compatible IPv6 on its own', () => {
    expect(addressRange('::ffff:127.0.0.1')).toBe('loopback');
    expect(addressRange('::ffff:a9fe:a9fe')).toBe('linkLocal');
    expect(addressRange('[fe80::1%eth0]')).toBe('linkLocal');
    expect(addressRange('::8.8.8.8')).toBe('ipv4Compatible');
    expect(addressRange('::1')).toBe('loopback');
    expect(addressRange('10.0.0.5')).toBe('private');
    expect(addressRange('agents.example.net')).toBeNull();
    expect(addressRange('127.1')).toBeNull();
  });
});

describe('hostLocalRange', () => {
  it.each([
    ['127.0.0.2', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::7f00:1', 'IPv4-compatible IPv6'],
    ['169.254.169.254', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
  ])('names %s %s', (ip, range) => {
    expect(hostLocalRange(ip)).toBe(range);
  });

  it.each(['10.0.0.5', '192.168.1.10', '100.64.0.7', 'fd00:20::5', '93.184.216.34', '2606:4700::1111'])(
    'leaves %s to other hosts',
    (ip) => {
      expect(hostLocalRange(ip)).toBeNull();
    },
  );
});
