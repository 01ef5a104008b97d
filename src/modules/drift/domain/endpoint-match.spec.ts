import { endpointMatches } from './endpoint-match';

describe('endpointMatches', () => {
  it('compares addresses as addresses, and the port', () => {
    expect(endpointMatches('10.233.9.1:40000', '10.233.9.1:40000')).toBe(true);
    expect(endpointMatches('10.233.9.1:40000', '10.233.9.2:40000')).toBe(false);
    expect(endpointMatches('10.233.9.1:40000', '10.233.9.1:40001')).toBe(false);
    expect(endpointMatches('[2001:DB8:0::1]:51820', '[2001:db8::1]:51820')).toBe(true);
    expect(endpointMatches('10.233.9.1:40000', null)).toBe(false);
  });

  it('compares only the port of a host name, which wg shows resolved', () => {
    expect(endpointMatches('gw.example.com:51820', '203.0.113.9:51820')).toBe(true);
    expect(endpointMatches('gw.example.com:51820', '203.0.113.9:51821')).toBe(false);
  });
});
