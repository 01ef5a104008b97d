import { isCidr, normaliseCidr, normaliseCidrSet, sameCidrSet } from './cidr';

describe('CIDR normalisation', () => {
  it('treats a bare address as a host route', () => {
    expect(normaliseCidr('10.0.1.2')).toBe('10.0.1.2/32');
    expect(sameCidrSet(['10.0.1.2'], ['10.0.1.2/32'])).toBe(true);
  });

  it('spells IPv6 one way', () => {
    expect(normaliseCidr('FD00:0:0:0::0002/128')).toBe('fd00::2/128');
    expect(normaliseCidr('fd00::2')).toBe('fd00::2/128');
    expect(sameCidrSet(['fd00:0000::2/128', '10.0.0.0/24'], ['10.0.0.0/24', 'fd00::2'])).toBe(true);
  });

  it('clears host bits as WireGuard does', () => {
    expect(normaliseCidr('10.0.1.5/24')).toBe('10.0.1.0/24');
    expect(normaliseCidr('fd00::5/64')).toBe('fd00::/64');
  });

  it('keeps a canonical IPv4 host route as it is, and still refuses look-alikes', () => {
    for (const route of ['10.0.1.2/32', '0.0.0.0/32', '255.255.255.255/32', '192.168.100.9/32']) {
      expect(normaliseCidr(route)).toBe(route);
    }
    for (const bad of ['10.0.1.02/32', '256.0.0.1/32', '10.0.1/32', '10.0.1.2/33']) {
      expect(() => normaliseCidr(bad)).toThrow();
    }
  });

  it('compares as sets', () => {
    expect(normaliseCidrSet(['10.0.1.3/32', '10.0.1.2', '10.0.1.2/32'])).toEqual([
      '10.0.1.2/32',
      '10.0.1.3/32',
    ]);
    expect(sameCidrSet(['10.0.1.2/32', '10.0.1.3/32'], ['10.0.1.2/32'])).toBe(false);
  });

  it('rejects what is not a CIDR', () => {
    for (const bad of [
      '010.0.0.1',
      '10.1',
      '167772418',
      'fe80::1%eth0',
      '10.0.1.256',
      '10.0.1.0/33',
      'fd00::/129',
      'x',
      '10.0.0.0/24/1',
      '10.0.0.0/-1',
      '',
    ]) {
      expect(isCidr(bad)).toBe(false);
    }
  });
});
